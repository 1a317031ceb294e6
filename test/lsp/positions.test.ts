/** server/positions.ts: core positions (LF-only lines) versus the editor's (lone CR ends a line too). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hasLoneCr, toCorePosition, toCoreRange, toLspPosition, toLspRange } from '../../server/positions';

const docOf = (text: string) => TextDocument.create('file:///x/main.cf', 'postfix-main', 1, text);

describe('core and editor positions', () => {
  test('lone CRs are told apart from CRLF', () => {
    assert.equal(hasLoneCr('a\r\nb\r\n'), false);
    assert.equal(hasLoneCr('a\nb'), false);
    assert.equal(hasLoneCr('a\rb'), true);
    assert.equal(hasLoneCr('a\r\n\r'), true);
  });

  test('without a lone CR positions pass unchanged (also out of range ones)', () => {
    const d = docOf('a = 1\r\nb = 2\n');
    const p = { line: 7, character: 99 };
    assert.equal(toLspPosition(d, p), p);
    assert.equal(toCorePosition(d, p), p);
  });

  test('with lone CRs: through the offset, both ways', () => {
    const text = 'a = 1\rb = $x\r\nc = 2\n';
    const d = docOf(text);
    // Core line 0 is `a = 1\rb = $x`; `$x` starts at character 10, the editor's (1, 4).
    assert.deepEqual(toLspPosition(d, { line: 0, character: 10 }), { line: 1, character: 4 });
    assert.deepEqual(toCorePosition(d, { line: 1, character: 4 }), { line: 0, character: 10 });
    // The CRLF line after it: core line 1 is the editor's line 2.
    assert.deepEqual(toLspRange(d, { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }), {
      start: { line: 2, character: 0 },
      end: { line: 2, character: 1 },
    });
    assert.deepEqual(toCoreRange(d, { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }), {
      start: { line: 1, character: 0 },
      end: { line: 1, character: 5 },
    });
    // Past a line's end stays on that line (before its CRLF); past the text, the end.
    assert.deepEqual(toLspPosition(d, { line: 0, character: 500 }), { line: 1, character: 6 });
    assert.deepEqual(toLspPosition(d, { line: 9, character: 0 }), d.positionAt(text.length));
  });

  test('an edited document is mapped by its new text', () => {
    const d = docOf('a = 1\n');
    assert.deepEqual(toLspPosition(d, { line: 0, character: 4 }), { line: 0, character: 4 });
    TextDocument.update(d, [{ text: 'x\ra = 1\n' }], 2);
    assert.deepEqual(toLspPosition(d, { line: 0, character: 6 }), { line: 1, character: 4 });
  });
});
