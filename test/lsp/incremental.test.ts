/**
 * The server analyses edited documents incrementally (only the changed lines are parsed
 * again, per-site lint results are kept): after any sequence of incremental edits its
 * diagnostics equal those of the same text opened fresh. Also: the combined line span of
 * successive edits, and completion with one edit range per list and documentation on resolve.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { corpusFiles } from '../helpers/reference';
import { combine, type PendingChange } from '../../server/edits';
import { fileUri, serverFixture, tempFolder } from './harness';

const { dirs, start: setup } = serverFixture();

/** The largest real main.cf of the corpus (most lines to keep right). */
function largestMainCf(): string {
  const mains = corpusFiles('maincf').filter((f) => !/master/i.test(path.basename(f)));
  return mains.map((f) => readFileSync(f, 'utf8')).sort((a, b) => b.length - a.length)[0];
}

const FRAGMENTS = ['x', ' ', '\n', '\n  ', '  cont', '#', '=', '$', '${', '}', ',', 'smtpd_tls_ciphers = export\n', 'smtpd_use_tls = yes\n', 'a = $b\nb = $a\n', '\r\n', '\r', ''];

/** Position of `offset` in `text`, counting lines as an editor does (`\n`, `\r\n` and a lone `\r`). */
function positionAt(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10 && i + 1 < offset) continue;
    if (c === 10 || c === 13) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

describe('incremental analysis in the server', () => {
  test('diagnostics after random incremental edits equal those of a fresh open', async () => {
    const master = 'smtp      inet  n       -       y       -       -       smtpd\n  -o smtpd_tls_security_level=encrypt\n';
    const { dir, client } = await setup({ 'master.cf': master }, { settings: () => ({}) });
    const freshDir = tempFolder({ 'master.cf': master });
    dirs.push(freshDir);
    const uri = fileUri(path.join(dir, 'main.cf'));
    const freshUri = fileUri(path.join(freshDir, 'main.cf'));
    const original = largestMainCf();
    const edit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 120 })),
      insert: fc.constantFrom(...FRAGMENTS),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), async (batches) => {
        let text = original;
        await client.open(uri, 'postfix-main', text);
        await client.diagnostics(uri);
        for (const batch of batches) {
          // Several changes in one didChange apply one after the other, each to the text the previous left.
          const changes: TextDocumentContentChangeEvent[] = [];
          for (const e of batch) {
            // An editor never places a position between the two characters of a `\r\n`.
            const inCrlf = (o: number) => o > 0 && text.charCodeAt(o - 1) === 13 && text.charCodeAt(o) === 10;
            let start = Math.floor(e.at * text.length);
            if (inCrlf(start)) start--;
            let end = Math.min(text.length, start + e.remove);
            if (inCrlf(end)) end++;
            changes.push({ range: { start: positionAt(text, start), end: positionAt(text, end) }, text: e.insert });
            text = text.slice(0, start) + e.insert + text.slice(end);
          }
          await client.change(uri, changes);
          // Not every edit is pulled (typing fast): the next analysis covers several.
          if (batch.length > 1 || batches.indexOf(batch) % 2 === 0) await client.diagnostics(uri);
        }
        const got: Diagnostic[] = await client.diagnostics(uri);
        await client.open(freshUri, 'postfix-main', text);
        const expected: Diagnostic[] = await client.diagnostics(freshUri);
        await client.close(freshUri);
        await client.close(uri);
        assert.deepStrictEqual(got, expected);
      }),
      { numRuns: 25, seed: 20261129 },
    );
  });

  test('the line span of successive edits covers every changed line', () => {
    // Lines as strings; an edit replaces lines [s, e] with `n` new ones.
    const step = fc.record({ s: fc.nat(30), len: fc.nat(3), n: fc.integer({ min: 1, max: 4 }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const parsed = Array.from({ length: 40 }, (_, i) => `line ${i}`);
        let lines = parsed.slice();
        let span: PendingChange | undefined;
        let fresh = 0;
        for (const { s, len, n } of steps) {
          const start = Math.min(s, lines.length - 1);
          const end = Math.min(start + len, lines.length - 1);
          const added = Array.from({ length: n }, () => `new ${fresh++}`);
          lines = [...lines.slice(0, start), ...added, ...lines.slice(end + 1)];
          span = combine(span, { startLine: start, oldEndLine: end, newEndLine: start + n - 1 });
        }
        assert.ok(span && span !== 'all');
        // Outside the span the new lines are the parsed ones, shifted by the line-count change.
        assert.deepStrictEqual(lines.slice(0, span.startLine), parsed.slice(0, span.startLine));
        assert.deepStrictEqual(lines.slice(span.newEndLine + 1), parsed.slice(span.oldEndLine + 1));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('completion as VS Code asks for it', () => {
  test('one edit range for the list, documentation on resolve', async () => {
    const text = 'smtpd_tls_secu\nsmtpd_tls_security_level = \n';
    const { dir, client } = await setup({}, { settings: () => ({}), completionDefaults: true });
    assert.equal(client.initializeResult.capabilities.completionProvider?.resolveProvider, true);
    const uri = fileUri(path.join(dir, 'main.cf'));
    await client.open(uri, 'postfix-main', text);
    const names = await client.completion(uri, { line: 0, character: 'smtpd_tls_secu'.length });
    assert.deepStrictEqual(names?.itemDefaults?.editRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 14 } });
    const level = names!.items.find((i) => i.label === 'smtpd_tls_security_level');
    assert.ok(level, 'parameter name offered');
    assert.equal(level.textEdit, undefined);
    assert.equal(level.documentation, undefined, 'documentation comes with resolve');
    assert.equal(level.textEditText, 'smtpd_tls_security_level = ', 'the text differs from the label');
    assert.ok(level.detail, 'the default stays in the list');
    const resolved = await client.resolveCompletion(level);
    assert.equal(resolved.label, level.label);
    assert.equal(typeof resolved.documentation === 'object' && resolved.documentation.kind, 'markdown');
    assert.ok(typeof resolved.documentation === 'object' && resolved.documentation.value.length > 10);
    // A value needs no text of its own: the label is inserted over the default range.
    const values = await client.completion(uri, { line: 1, character: 'smtpd_tls_security_level = '.length });
    const encrypt = values?.items.find((i) => i.label === 'encrypt');
    assert.ok(encrypt && encrypt.textEditText === undefined && encrypt.textEdit === undefined);
    assert.ok(values?.itemDefaults?.editRange);
  });
});
