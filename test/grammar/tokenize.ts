/**
 * Tokenizes text with the extension's real TextMate grammars through vscode-textmate and
 * vscode-oniguruma (the same engines VS Code uses), for grammar tests.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; language: string }[] };
};

let registryPromise: Promise<vsctm.Registry> | undefined;

function registry(): Promise<vsctm.Registry> {
  registryPromise ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    return new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) => {
        const g = manifest.contributes.grammars.find((x) => x.scopeName === scopeName);
        if (!g) return null;
        const file = path.join(ROOT, g.path);
        return vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file);
      },
    });
  })();
  return registryPromise;
}

/** One token: its text and scopes (outermost first). */
export interface Token {
  line: number;
  /** Offset of the token in its line. */
  start: number;
  text: string;
  /** The whole line the token is on. */
  lineText: string;
  scopes: string[];
}

/** Every grammar contributed in package.json. */
export function contributedGrammars(): { scopeName: string; path: string; language: string }[] {
  return manifest.contributes.grammars;
}

/** Tokenizes `text` (several lines) with the grammar `scopeName`, keeping state across lines. */
export async function tokenize(scopeName: string, text: string): Promise<Token[]> {
  const grammar = await (await registry()).loadGrammar(scopeName);
  if (!grammar) throw new Error(`grammar ${scopeName} not found`);
  let state = vsctm.INITIAL;
  const out: Token[] = [];
  text.split(/\r?\n/).forEach((lineText, line) => {
    const r = grammar.tokenizeLine(lineText, state);
    for (const t of r.tokens) out.push({ line, start: t.startIndex, text: lineText.slice(t.startIndex, t.endIndex), lineText, scopes: t.scopes });
    state = r.ruleStack;
  });
  return out;
}

/**
 * Scopes at the first occurrence of `needle` (on `line`, if given): the scopes of the token
 * covering its first character, so fixtures can say "this word has that scope". A RegExp
 * needle picks an occurrence that a plain string cannot (e.g. a lone `n` column).
 */
export function scopesOf(tokens: Token[], needle: string | RegExp, line?: number): string[] {
  for (const t of tokens) {
    if (line !== undefined && t.line !== line) continue;
    const at = typeof needle === 'string' ? t.lineText.indexOf(needle) : t.lineText.search(needle);
    if (at >= 0 && t.start <= at && at < t.start + t.text.length) return t.scopes;
  }
  throw new Error(`no "${needle}"${line === undefined ? '' : ` on line ${line}`} in ${JSON.stringify(tokens.filter((x) => line === undefined || x.line === line).map((x) => x.text))}`);
}
