import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { reportFiles } from '../../../core/report/files';
import { countOf, createAggregator, formatCount } from '../../../core/report/aggregate';
import { classifyLine } from '../../../core/log/classify';
import { escapeHtml, escapeMarkdown, renderChartSvg, renderHtml, renderJson, renderMarkdown, renderText } from '../../../core/report/render';
import { sha256Base64 } from '../../../core/report/sha256';
import { REPO_ROOT } from '../../helpers/reference';

const FIX = path.join(REPO_ROOT, 'test', 'fixtures', 'report');
const SMALL = path.join(FIX, 'small.log');
const HOSTILE = path.join(FIX, 'hostile.log');

/** The CSP meta of a page, unescaped. */
function csp(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'the page has a CSP meta');
  return m[1].replace(/&#39;/g, "'");
}

describe('render', () => {
  test('text: totals, FS share per direction, peer lists', async () => {
    const t = renderText(await reportFiles([SMALL], { displayNames: ['small.log'] }));
    assert.match(t, /^Postfix TLS report: 1 file, 21 lines/);
    assert.match(t, /Forward secrecy\s+55\.6%\s+50\.0%\s+60\.0%/);
    assert.match(t, /legacy\.example\[198\.51\.100\.7\]\n\s+last Nov 28 09:00:02 at small\.log:16/);
    assert.match(t, /Nov 27\s+5\s+40\.0%\s+3/);
  });

  test('json: the TlsReport itself', async () => {
    const r = await reportFiles([SMALL]);
    assert.deepEqual(JSON.parse(renderJson(r)), JSON.parse(JSON.stringify(r)));
  });

  test('html: standalone, strict CSP, style allowed by hash, no scripts or remote resources', async () => {
    const html = renderHtml(await reportFiles([SMALL]));
    assert.match(html, /^<!DOCTYPE html>/);
    const policy = csp(html);
    assert.match(policy, /^default-src 'none'; /);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html);
    assert.ok(style, 'one inline style element');
    const hash = createHash('sha256').update(style[1]).digest('base64');
    assert.ok(policy.includes(`style-src 'sha256-${hash}'`), 'the style hash in the CSP matches the style');
    assert.match(policy, /img-src data:/);
    assert.doesNotMatch(policy, /unsafe-inline|script-src/);
    assert.doesNotMatch(html, /<script|<link|<iframe|src="http|href="http|@import|url\(/i);
    assert.doesNotMatch(html, / style="/, 'no style attributes (the CSP would block them)');
    assert.match(html, /<svg [^>]*role="img"/);
  });

  test('html for a webview: nonce and cspSource', async () => {
    const html = renderHtml(await reportFiles([SMALL]), { nonce: 'abc123', cspSource: 'https://webview.example' });
    const policy = csp(html);
    assert.match(policy, /style-src 'nonce-abc123' https:\/\/webview\.example;/);
    assert.match(policy, /img-src data: https:\/\/webview\.example/);
    assert.match(html, /<style nonce="abc123">/);
  });

  test('markdown: tables and the inline SVG chart', async () => {
    const md = renderMarkdown(await reportFiles([SMALL]));
    assert.match(md, /^# Postfix TLS report/);
    assert.match(md, /\| Forward secrecy \| 55\.6% \| 50\.0% \| 60\.0% \|/);
    assert.match(md, /\| legacy\\\.example\\\[198\\\.51\\\.100\\\.7\\\] \| 2 \| Nov 28 09\\:00\\:02 \|/);
    assert.match(md, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  test('hostile peer names are escaped in HTML, SVG and Markdown', async () => {
    const r = await reportFiles([HOSTILE]);
    const names = r.peersWithoutFs.entries.map((e) => e.peer).concat(r.peersWithFailures.entries.map((e) => e.peer));
    assert.ok(names.some((n) => n.includes('<script>')), `the classifier keeps the hostile name: ${names.join(', ')}`);
    assert.ok(names.some((n) => n.includes('](command:')));
    const html = renderHtml(r);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    const md = renderMarkdown(r);
    assert.doesNotMatch(md, /<script|<img/i);
    assert.doesNotMatch(md, /[^\\]\]\(command:/, 'no Markdown link can be formed');
    assert.match(md, /x\\\]\\\(command\\:workbench\\\.action\\\.terminal\\\.new\\\)/);
    const text = renderText(r);
    assert.match(text, /<script>alert\(1\)<\/script>\[192\.0\.2\.99\]/, 'text output prints names as they are');
  });

  test('escapers', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(escapeMarkdown('[x](command:y) *b* `c` <i>|\n'), '\\[x\\]\\(command\\:y\\) \\*b\\* \\`c\\` &lt;i&gt;\\| ');
  });

  test('the chart of a day key from a hostile timestamp is escaped', () => {
    const svg = renderChartSvg([{ day: '2024-<b>x', connections: 1, fsYes: 1, fsNo: 0, fsUnknown: 0, fsShare: 1, byProtocol: { '<i>TLS': 1 }, failures: 0 }]);
    assert.doesNotMatch(svg, /<b>|<i>/);
    assert.match(svg, /2024-&lt;b&gt;x/);
    assert.equal(renderChartSvg([]), '');
  });

  test('sha256 matches node:crypto', () => {
    for (const s of ['', 'abc', 'é€😀'.repeat(40), 'x'.repeat(1000)]) assert.equal(sha256Base64(s), createHash('sha256').update(s).digest('base64'));
  });
});

describe('counts in words: singular for one', () => {
  test('countOf', () => {
    assert.equal(countOf(1, 'line'), '1 line');
    assert.equal(countOf(0, 'line'), '0 lines');
    assert.equal(countOf(1234, 'file'), '1,234 files');
  });
  test('one file of one line, one peer, one TLS hop, one over-long line, one line without a direction', async () => {
    const agg = createAggregator();
    agg.addFile({ file: 'a.log', lines: 1, bytes: 10, gzip: false, truncatedLines: 1 });
    const rec = (line: string) => classifyLine(line);
    agg.add(rec('postfix/smtpd[1]: Anonymous TLS connection established from old.example[192.0.2.2]: TLSv1.2 with cipher AES256-SHA (256/256 bits)'), { file: 'a.log', line: 1 });
    agg.add(rec('Anonymous TLS connection established from x[192.0.2.3]: TLSv1.2 with cipher AES256-SHA (256/256 bits)'), { file: 'a.log', line: 1 });
    const r = agg.result();
    for (const text of [renderText(r), renderMarkdown(r), renderHtml(r)]) {
      assert.doesNotMatch(text, /\(s\)|\b1 (lines|files|peers|records|were)\b/);
    }
    assert.match(renderText(r), /^Postfix TLS report: 1 file, 1 line\n/);
    assert.ok(r.notes.includes('1 over-long line was cut before classification.'), r.notes.join('\n'));
  });
});

describe('formatCount', () => {
  test('writes counts as en-US does, without Intl', () => {
    const samples = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 9999, 10000, 65536, 99999, 100000, 999999, 1000000, 1234567, 92316, 1704464, 2 ** 31, Number.MAX_SAFE_INTEGER, -1, -1000, -1234567];
    for (let n = 1, i = 0; i < 40; i++, n = n * 3 + i) samples.push(n);
    for (const n of samples) assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
  });
});
