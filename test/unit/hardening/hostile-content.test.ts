/**
 * Text from documents and logs never becomes trusted Markdown, a link, a command link or HTML:
 * parameter names and values, master.cf fields, peer names, SNI, ciphers and failure texts with
 * `[x](command:...)`, `<img onerror>`, `<script>`, backticks, emphasis runs, `](javascript:...)`
 * and bare URLs go through hovers (config and log), lint messages and the LSP code links,
 * report renderers (HTML, Markdown, text) and the cipher explanation. Markdown is checked by
 * parsing it (markdown-it with raw HTML and linkify on, the most permissive renderer); the
 * hostile text must still be shown literally (escaped, not dropped). Terminal output (CLI)
 * must not carry control characters from the input (escape sequences, OSC 8 links).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseMainCf } from '../../../core/config/parse-main';
import { parseMasterCf } from '../../../core/config/parse-master';
import { hoverConfig } from '../../../core/features/config-hover';
import { completeConfig } from '../../../core/features/config-completion';
import { hoverLog } from '../../../core/features/log-hover';
import { classifyLine, classifyText } from '../../../core/log/classify';
import type { LogRecord } from '../../../core/log/record';
import { badgeFor } from '../../../core/log/explain';
import { lint } from '../../../core/lint';
import { explainCipher } from '../../../core/cipher';
import { createAggregator } from '../../../core/report/aggregate';
import { renderHtml, renderMarkdown, renderText } from '../../../core/report/render';
import { codeHref, parameterAt } from '../../../server/links';
import { postconfUrl } from '../../../server/params';
import { main as cliMain } from '../../../cli/main';
import { DEFAULT_SETTINGS, type Settings } from '../../../core/types';
import { assertInertMarkdown, assertOwnHtml, isOwnLink, markdownIt } from '../../fuzz/markdown';
import { MAIN_URI, MASTER_URI, doc } from './helpers';

const S: Settings = { ...DEFAULT_SETTINGS, levels: {} };

/** Hostile strings without white space (usable as names, peer names, ciphers). */
const TOKENS = [
  '[x](command:workbench.action.terminal.new)',
  '<img/src=x/onerror=alert(1)>',
  '<script>alert(1)</script>',
  '](javascript:alert(1))',
  '`code`',
  '***bold***___u___',
  '![i](https://evil.example/i.png)',
  '<https://evil.example/>',
  'https://evil.example/x',
  '[a][b]',
  '&lt;b&gt;',
];
/** Hostile strings with spaces (values, failure texts). */
const PHRASES = [
  ...TOKENS,
  '[click me](command:workbench.action.terminal.new "title")',
  '<img src=x onerror=alert(1)>',
  '<a href="https://evil.example">x</a>',
  '``` fenced ```',
  '[ref]: https://evil.example/ref',
  '* list\n# heading',
];

/** The text a reader sees: rendered, tags stripped, entities decoded, white space collapsed. */
function visibleText(md: string): string | undefined {
  const p = markdownIt();
  if (!p) return undefined;
  return p
    .render(md)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** Inert, and the hostile text is still visible literally (escaped, not swallowed). */
function assertShownLiterally(md: string, hostile: string, what: string): void {
  assertInertMarkdown(md, what);
  const seen = visibleText(md);
  if (seen === undefined) return;
  assert.ok(seen.includes(hostile.replace(/\s+/g, ' ')), `${what}: ${JSON.stringify(hostile)} is not shown literally in ${JSON.stringify(seen.slice(0, 400))}`);
}

function mainCtx(text: string) {
  const main = parseMainCf(doc(MAIN_URI, text));
  return { main, doc: doc(MAIN_URI, text), settings: S };
}

describe('config hovers', () => {
  for (const h of TOKENS) {
    test(`parameter name ${JSON.stringify(h)}`, () => {
      const text = `${h} = 1\nsmtpd_banner = $${h.replace(/[^A-Za-z0-9_]/g, '') || 'x'}\n`;
      const ctx = mainCtx(text);
      const r = hoverConfig(ctx, { line: 0, character: 1 });
      assert.ok(r, 'a hover for the name');
      // The name ends at '=' or white space, as in Postfix.
      assertShownLiterally(r.markdown, ctx.main.entries[0].name, 'name hover');
    });
  }
  for (const h of PHRASES) {
    test(`value ${JSON.stringify(h)} through a reference`, () => {
      const value = h.replace(/\n/g, ' ');
      const text = `my_value = ${value}\nsmtpd_banner = $my_value\n`;
      const r = hoverConfig(mainCtx(text), { line: 1, character: 17 });
      assert.ok(r, 'a hover for the reference');
      assertShownLiterally(r.markdown, value, 'reference hover');
    });
  }
  test('master.cf fields and -o overrides', () => {
    for (const h of TOKENS) {
      const mtext = `${h} inet n - n - - smtpd\n  -o ${h}=${h}\n  -o smtpd_banner=$${'x'}\n`;
      const mtextRef = `smtp inet n - n - - smtpd -o x=${h} -o smtpd_banner=$x\n`;
      const main = parseMainCf(doc(MAIN_URI, `smtpd_banner = ${h}\n`));
      const master = parseMasterCf(doc(MASTER_URI, mtext));
      const ctx = { main, master, doc: doc(MASTER_URI, mtext), settings: S };
      const service = hoverConfig(ctx, { line: 0, character: 1 });
      assert.ok(service);
      assertShownLiterally(service.markdown, h, 'master.cf service column hover');
      const o = hoverConfig(ctx, { line: 1, character: 6 });
      assert.ok(o);
      assertShownLiterally(o.markdown, h, 'master.cf -o name hover');
      const master2 = parseMasterCf(doc(MASTER_URI, mtextRef));
      const at = mtextRef.indexOf('$x') + 1;
      const ref = hoverConfig({ main, master: master2, doc: doc(MASTER_URI, mtextRef), settings: S }, { line: 0, character: at });
      assert.ok(ref);
      assertShownLiterally(ref.markdown, h, 'master.cf reference hover');
    }
  });
  test('completion never puts document text into Markdown documentation', () => {
    const text = TOKENS.map((h, i) => `user_${i} = ${h}`).join('\n') + '\nsmtpd_banner = $\n';
    const ctx = mainCtx(text);
    const items = completeConfig(ctx, { line: TOKENS.length, character: 16 });
    assert.ok(items.some((i) => i.label === 'user_0'), 'user-defined names are offered');
    for (const it of items) {
      if (it.documentation) assertInertMarkdown(it.documentation, `completion documentation of ${it.label}`);
      for (const h of TOKENS) assert.ok(!it.documentation?.includes(h), `${it.label}: document text in Markdown documentation`);
    }
  });
});

function summary(peer: string, extra = ''): string {
  return `Nov 28 12:00:00 mx postfix/smtpd[1]: Anonymous TLS connection established from ${peer}[192.0.2.1]: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)${extra}`;
}

describe('log hovers and badges', () => {
  for (const h of TOKENS) {
    test(`peer, SNI and cipher ${JSON.stringify(h)} in a summary line`, () => {
      const rec = classifyLine(summary(h, ` to ${h}`));
      assert.equal(rec.kind, 'tls-summary');
      const md = hoverLog(rec);
      assertInertMarkdown(md, 'log hover');
      if (rec.peer) assertShownLiterally(md, rec.peer.name, 'log hover peer');
      const cipherLine = `Nov 28 12:00:00 mx postfix/smtp[1]: Verified TLS connection established to a[192.0.2.1]:25: TLSv1.2 with cipher ${h} (256/256 bits)`;
      const c = classifyLine(cipherLine);
      assertInertMarkdown(hoverLog(c), 'log hover (cipher)');
      for (const r of [rec, c]) {
        const b = badgeFor(r, { showKeyExchange: true, showStatus: true, showProtocol: true });
        if (b) assert.ok(!/[\u0000-\u001f]/.test(b.text), 'control characters in a badge');
      }
    });
  }
  test('every text field of a record, set to hostile text, stays inert', () => {
    for (const h of PHRASES) {
      const base: LogRecord = {
        kind: 'tls-summary', event: 'established', role: 'server', status: 'Verified', forwardSecrecy: 'no', postQuantum: false, fsReason: 'static-rsa',
        peer: { name: h, address: h, port: 25 }, sni: h, daemon: h, timestamp: h, host: h, queueId: h, protocol: h, cipher: h,
        keyExchange: { name: h, curve: h, logged: true }, serverSignature: { name: h, detail: h, digest: h }, clientSignature: { name: h, digest: h },
        messageOffset: 0, lineSpan: 1, clientCertificate: { state: 'verified', cn: h, issuer: h },
      };
      const records: LogRecord[] = [
        base,
        { ...base, kind: 'received-header', helo: h },
        { ...base, kind: 'failure', forwardSecrecy: 'unknown', failure: { kind: 'handshake', text: h } },
        { ...base, kind: 'other', forwardSecrecy: 'unknown', tlsFeature: { raw: h, level: h, final: h, undecided: true, violated: true } },
      ];
      for (const r of records) {
        const md = hoverLog(r);
        assertInertMarkdown(md, `log hover (${r.kind}) with ${JSON.stringify(h)}`);
        const b = badgeFor(r, { showKeyExchange: true, showStatus: true, showProtocol: true });
        if (b) assert.ok(!/[\n\r\u0000-\u001f]/.test(b.text), `badge with control characters: ${JSON.stringify(b.text)}`);
      }
    }
  });
});

describe('lint messages and LSP code links', () => {
  test('messages are plain text; code links and fix commands are our own', () => {
    const lines = TOKENS.map((h, i) => `${h} = $${h.replace(/[^A-Za-z0-9_]/g, '')}_${i}`);
    lines.push(...PHRASES.map((h) => `smtpd_tls_dh1024_param_file = ${h.replace(/\n/g, ' ')}`));
    lines.push(...TOKENS.map((h) => `smtpd_tls_mandatory_protocols = ${h}`), ...TOKENS.map((h) => `smtpd_tls_eecdh_grade = ${h}`), ...TOKENS.map((h) => h));
    const text = lines.join('\n') + '\n';
    const mtext = TOKENS.map((h) => `${h} inet n - n - - smtpd -o ${h}=1 -o smtpd_tls_security_level = ${h}`).join('\n') + '\n';
    const findings = lint({ main: doc(MAIN_URI, text), master: doc(MASTER_URI, mtext), configDirectory: '/etc/postfix', readFile: () => undefined }, S);
    assert.ok(findings.length > TOKENS.length, `${findings.length} findings`);
    const main = parseMainCf(doc(MAIN_URI, text));
    const master = parseMasterCf(doc(MASTER_URI, mtext));
    for (const f of findings) {
      assert.equal(typeof f.message, 'string');
      const href = codeHref(f.code, parameterAt(f.file === MAIN_URI ? main : master, f.range.start), postconfUrl);
      assert.ok(isOwnLink(href) || href.startsWith('https://example.invalid/postfix-tls#'), `${f.code}: code link ${href}`);
      for (const fix of f.fixes ?? []) {
        if (fix.command) assert.match(fix.command.id, /^postfixTls\.[A-Za-z]+$/, `${f.code}: fix command ${fix.command.id}`);
      }
    }
  });
});

function hostileReport() {
  const lines = [
    ...TOKENS.map((h) => summary(h)),
    ...TOKENS.map((h) => `Nov 28 12:00:01 mx postfix/smtp[2]: Untrusted TLS connection established to ${h}[192.0.2.2]:25: TLSv1 with cipher ${h} (256/256 bits)`),
    ...TOKENS.map((h) => `Nov 28 12:00:02 mx postfix/smtpd[3]: SSL_accept error from ${h}[192.0.2.3]: ${h}`),
    `${TOKENS[1]} 12:00:03 mx postfix/smtpd[4]: Anonymous TLS connection established from a[192.0.2.4]: ${TOKENS[2]} with cipher AES256-SHA (256/256 bits)`,
  ];
  const agg = createAggregator();
  for (const r of classifyText(lines.join('\n'))) agg.add(r.record, { file: `mail${TOKENS[0]}${TOKENS[1]}.log`, line: r.line + 1 });
  agg.addFile({ file: `mail${TOKENS[0]}${TOKENS[1]}.log`, lines: lines.length, bytes: 1, gzip: false, truncatedLines: 0 });
  return agg.result();
}

describe('reports', () => {
  test('HTML: only our own tags, hostile text escaped and present', () => {
    const html = renderHtml(hostileReport());
    assertOwnHtml(html, 'HTML report');
    assert.ok(html.includes('&lt;img/src=x/onerror=alert(1)&gt;'), 'the peer name is shown escaped');
    assert.ok(html.includes('[x](command:workbench.action.terminal.new)'), 'the Markdown-looking peer name is shown as text');
    assert.ok(!/<script/i.test(html));
    // The webview passes the log's file name as the page title.
    const titled = renderHtml(hostileReport(), { title: `TLS report: ${TOKENS[2]}${TOKENS[1]}"'` });
    assertOwnHtml(titled, 'HTML report with a hostile title');
  });
  test('Markdown: no link, image or HTML from the logs; the text is still readable', () => {
    const md = renderMarkdown(hostileReport());
    assertInertMarkdown(md, 'Markdown report', { allowSvg: true });
    const seen = visibleText(md);
    if (seen !== undefined) {
      assert.ok(seen.includes('[x](command:workbench.action.terminal.new)'), 'the hostile peer name is visible literally');
      assert.ok(seen.includes('<img/src=x/onerror=alert(1)>'), 'the HTML-looking peer name is visible literally');
    }
  });
  test('text (terminal): no control characters from the logs', () => {
    const esc = 'evil\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u001b[2J';
    const agg = createAggregator();
    for (const r of classifyText([summary(esc), summary('ok\u009b31m')].join('\n'))) agg.add(r.record, { file: 'mail.log', line: r.line + 1 });
    const text = renderText(agg.result());
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text), `terminal control characters in the text report: ${JSON.stringify(text.match(/.{0,20}[\u0000-\u0008\u000b-\u001f\u007f-\u009f].{0,20}/)?.[0])}`);
  });
});

describe('cipher explanation', () => {
  for (const h of PHRASES) {
    test(`input ${JSON.stringify(h)}`, () => {
      const e = explainCipher(h);
      assertInertMarkdown(e.markdown, 'cipher explanation');
      const line = explainCipher(summary('a').replace('ECDHE-RSA-AES256-GCM-SHA384', h.replace(/\s+/g, '_')));
      assertInertMarkdown(line.markdown, 'cipher explanation of a log line');
    });
  }
});

describe('CLI output to a terminal', () => {
  async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await cliMain(args, { stdout, stderr, stdin: Readable.from([]), cwd });
    return { code, out, err };
  }
  const ESC = 'x\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\u001b[31m';
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  test('postfix-tls log: escape sequences in log lines are not printed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pftls-hostile-'));
    try {
      writeFileSync(path.join(dir, 'mail.log'), [summary(ESC), summary('a', ` to ${ESC}`)].join('\n') + '\n');
      const r = await run(['log', path.join(dir, 'mail.log')], dir);
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.length > 0);
      assert.ok(!CONTROL.test(r.out), `control characters in: ${JSON.stringify(r.out)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('postfix-tls lint: escape sequences in main.cf are not printed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pftls-hostile-'));
    try {
      writeFileSync(path.join(dir, 'main.cf'), `${ESC}\nsmtpd_banner = $${'undefined_'}${'x'}\n${ESC.replace(/[^\u001b\u0007a-z]/g, '')}_param = 1\n`);
      const r = await run(['lint', 'main.cf'], dir);
      assert.ok(r.out.length > 0, r.err);
      assert.ok(!CONTROL.test(r.out.replace(/\n/g, '')), `control characters in: ${JSON.stringify(r.out)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('postfix-tls explain: escape sequences in the input are not printed', async () => {
    const r = await run(['explain', ESC], process.cwd());
    assert.ok(!CONTROL.test(r.out.replace(/\n/g, '')), `control characters in: ${JSON.stringify(r.out)}`);
  });
});
