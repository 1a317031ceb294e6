/**
 * core/markdown.ts, the one Markdown escaper: `mdEscape` (prose) and `mdCode` (code spans) turn
 * untrusted text into Markdown that renders literally. Checked on the strings and, where
 * markdown-it is installed, by parsing (raw HTML and linkify on, the most permissive renderer).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mdCode, mdEscape, plainText } from '../../../core/markdown';
import * as explain from '../../../core/log/explain';
import { assertInertMarkdown, markdownIt } from '../../fuzz/markdown';

const ASCII_PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

const HOSTILE = [
  '[x](command:workbench.action.terminal.new)',
  '[click](command:x "title")',
  '](javascript:alert(1))',
  '![i](https://evil.example/i.png)',
  '<https://evil.example/>',
  'https://evil.example/x www.evil.example',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '&lt;b&gt; &amp; &#60;',
  '***bold*** ___u___ ~~s~~',
  '`code` ``two`` ```three```',
  '[a][b]\n[b]: https://evil.example/ref',
  '# heading\n* list\n> quote\n1. item\n---',
  'a | b | c',
];

const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };

/** The text a reader sees in rendered Markdown: tags stripped, entities decoded, white space collapsed. */
function visible(md: string): string | undefined {
  const p = markdownIt();
  if (!p) return undefined;
  return squash(p.render(md).replace(/<[^>]*>/g, '').replace(/&(?:lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e]));
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The code spans markdown-it finds in `md`, with their contents. */
function codeSpans(md: string): string[] | undefined {
  const p = markdownIt();
  if (!p) return undefined;
  const spans: string[] = [];
  for (const t of p.parse(md, {})) for (const c of t.children ?? []) if (c.type === 'code_inline') spans.push(c.content);
  return spans;
}

describe('plainText', () => {
  test('control characters, line breaks and bidi overrides become spaces', () => {
    assert.equal(plainText('a\u001b[31mb\u0000'), 'a [31mb ');
    assert.equal(plainText('a\r\nb\tc\u2028d\u202ee\u2066f\u0085g'), 'a  b c d e f g');
  });
  test('long text is cut to max characters with an ellipsis; Infinity never cuts', () => {
    assert.equal(plainText('abcdef', 4), 'abc…');
    assert.equal(plainText('abcd', 4), 'abcd');
    assert.equal(plainText('x'.repeat(10_000), Infinity).length, 10_000);
    assert.equal(plainText('x'.repeat(10_000)).length, 200);
  });
});

describe('mdEscape', () => {
  test('every ASCII punctuation character is escaped: & < > as entities, the rest with a backslash', () => {
    for (const c of ASCII_PUNCTUATION) {
      const want = c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`;
      assert.equal(mdEscape(c), want, JSON.stringify(c));
    }
    assert.equal(mdEscape('[a](command:x) <b>'), '\\[a\\]\\(command\\:x\\) &lt;b&gt;');
    assert.equal(mdEscape('letters, digits 09 and ünïcödé stay'), 'letters\\, digits 09 and ünïcödé stay');
  });
  test('no raw < or link target survives in the string', () => {
    for (const h of HOSTILE) {
      const e = mdEscape(h, Infinity);
      assert.doesNotMatch(e, /</, h);
      assert.doesNotMatch(e, /(?<!\\)\]\(/, h);
      assert.doesNotMatch(e, /https?:\/\//, h);
      assert.doesNotMatch(e, /command:/, h);
      assert.doesNotMatch(e, /[\r\n]/, h);
    }
  });
  test('newlines become spaces: no heading, list, quote or reference definition starts', () => {
    const e = mdEscape('x\n# h\n* l\n> q\n[r]: https://e.example', Infinity);
    assert.equal(e, 'x \\# h \\* l &gt; q \\[r\\]\\: https\\:\\/\\/e\\.example');
  });
  test('cut before escaping (max counts characters of the text, not of the escapes)', () => {
    assert.equal(mdEscape('[[[[[[', 4), '\\[\\[\\[…');
    assert.equal(mdEscape('x'.repeat(300)).length, 200);
    assert.equal(mdEscape('x'.repeat(300), Infinity).length, 300);
  });
  test('hostile text renders inert and literally', () => {
    for (const h of HOSTILE) {
      const md = `Value: ${mdEscape(h, Infinity)}`;
      assertInertMarkdown(md, JSON.stringify(h));
      const seen = visible(md);
      if (seen !== undefined) assert.equal(seen, squash(`Value: ${h}`), JSON.stringify(h));
    }
  });
  test('| in a table cell stays inside the cell', () => {
    const p = markdownIt();
    if (!p) return;
    for (const h of ['a|b', '|', 'x | y | z', '\\|']) {
      const md = `| name | n |\n|---|---|\n| ${mdEscape(h)} | 1 |\n`;
      const cells: string[] = p.parse(md, {}).filter((t) => t.type === 'inline').map((t) => t.content);
      assert.equal(cells.length, 4, `${JSON.stringify(h)}: ${JSON.stringify(cells)}`);
      assert.equal(visible(`${mdEscape(h)}`), squash(h));
      assert.equal(cells[3], '1');
    }
  });
  test('property: any text renders inert and shows exactly as plainText', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })), (s) => {
        const md = `x ${mdEscape(s, Infinity)}`;
        assertInertMarkdown(md, JSON.stringify(s));
        const seen = visible(md);
        if (seen !== undefined) assert.equal(seen, squash(`x ${plainText(s, Infinity)}`));
      }),
      { numRuns: 500 },
    );
  });
});

describe('mdCode', () => {
  test('the fence is one backtick longer than the longest run inside, for any run length', () => {
    for (let n = 1; n <= 12; n++) {
      const run = '`'.repeat(n);
      for (const t of [`a${run}b`, `${run}a`, `a${run}`, `a\`b${run}c`]) {
        const md = mdCode(t);
        const fence = '`'.repeat(n + 1);
        assert.ok(md.startsWith(fence) && !md.startsWith(fence + '`'), `${JSON.stringify(t)} -> ${md}`);
        assert.ok(md.endsWith(fence) && !md.endsWith(fence + '`'), `${JSON.stringify(t)} -> ${md}`);
        const spans = codeSpans(`x ${md} y`);
        if (spans) assert.deepEqual(spans, [t], `${JSON.stringify(t)} -> ${md}`);
      }
    }
    assert.equal(mdCode('abc'), '`abc`');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('``x'), '``` ``x ```');
    assert.equal(mdCode('`a`'), '`` `a` ``');
  });
  test('leading or trailing spaces are kept (padded so CommonMark strips only the pad)', () => {
    for (const t of [' a', 'a ', ' a ', '  a  ']) {
      const spans = codeSpans(`x ${mdCode(t)} y`);
      if (spans) assert.deepEqual(spans, [t], JSON.stringify(t));
    }
  });
  test('empty or blank text, newlines, control characters and the length bound', () => {
    assert.equal(mdCode(''), '*(empty)*');
    assert.equal(mdCode('  \n'), '*(empty)*');
    assert.equal(mdCode('a\nb\u202ec'), '`a b c`');
    assert.ok(mdCode('x'.repeat(500)).length <= 122);
    assert.equal(mdCode('x'.repeat(500), 300).length, 302);
  });
  test('hostile text inside a code span is inert and literal', () => {
    for (const h of HOSTILE) {
      const md = `Value: ${mdCode(h, Infinity)}`;
      assertInertMarkdown(md, JSON.stringify(h));
      const spans = codeSpans(md);
      if (spans) assert.deepEqual(spans, [plainText(h, Infinity)], JSON.stringify(h));
    }
  });
  test('property: any text becomes exactly one code span holding plainText', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })), (s) => {
        const md = mdCode(s, Infinity);
        if (plainText(s, Infinity).trim() === '') return assert.equal(md, '*(empty)*');
        assertInertMarkdown(`x ${md} y`, JSON.stringify(s));
        const spans = codeSpans(`x ${md} y`);
        if (spans) assert.deepEqual(spans, [plainText(s, Infinity)]);
      }),
      { numRuns: 500 },
    );
  });
});

test('core/log/explain.ts re-exports the same escapers', () => {
  assert.equal(explain.mdEscape, mdEscape);
  assert.equal(explain.mdCode, mdCode);
  assert.equal(explain.plainText, plainText);
});
