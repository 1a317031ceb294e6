/**
 * Finds every regular expression in the source tree with the TypeScript parser: regex
 * literals (with file, line, source and flags) and `new RegExp(...)` / `RegExp(...)` calls
 * (dynamic patterns, which need a human review).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from '../../helpers/reference';

export interface RegexLiteral {
  file: string;
  line: number;
  source: string;
  flags: string;
}

export interface DynamicRegex {
  file: string;
  line: number;
  text: string;
}

export function sourceFiles(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'node_modules') walk(p);
      } else if (/\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of dirs) {
    const abs = path.join(REPO_ROOT, d);
    try {
      if (statSync(abs).isDirectory()) walk(abs);
    } catch {
      /* folder missing */
    }
  }
  return out;
}

export function collectRegexes(dirs: string[]): { literals: RegexLiteral[]; dynamic: DynamicRegex[] } {
  const literals: RegexLiteral[] = [];
  const dynamic: DynamicRegex[] = [];
  for (const file of sourceFiles(dirs)) {
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const rel = path.relative(REPO_ROOT, file);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const lit = (node as ts.RegularExpressionLiteral).text;
        const last = lit.lastIndexOf('/');
        literals.push({
          file: rel,
          line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1,
          source: lit.slice(1, last),
          flags: lit.slice(last + 1),
        });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        dynamic.push({ file: rel, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, text: node.getText().slice(0, 200) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { literals, dynamic };
}
