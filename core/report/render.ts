/**
 * Renders a TlsReport as text, JSON, Markdown (with an inline SVG chart) or a standalone HTML
 * page with a strict Content-Security-Policy. Pure: no I/O.
 *
 * Everything that comes from logs (peer names, ciphers, failure texts, even day keys) is
 * untrusted: it is escaped for HTML/SVG, and for Markdown every ASCII punctuation character is
 * backslash-escaped (core/markdown.ts) so a peer named `](command:x)` or `<script>` stays plain
 * text.
 */
import { countOf, formatCount, type DayStats, type DirectionStats, type PeerList, type TlsReport } from './aggregate';
import { sha256Base64 } from './sha256';
import { escapeMarkdown } from '../markdown';

// ---------------------------------------------------------------- formatting helpers

export function pct(x: number | null): string {
  return x === null ? '–' : `${(x * 100).toFixed(1)}%`;
}

function num(n: number): string {
  return formatCount(n);
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/**
 * Text inside the SVG chart: escapeHtml, and `@ : / .` as character references. The Markdown
 * report holds the chart as inline HTML, whose text a renderer's linkify would otherwise turn
 * into links (a mail address or URL read from a log); a reference splits the text it scans.
 */
function svgText(s: string): string {
  let out = '';
  for (const c of escapeHtml(s)) out += c === '@' ? '&#64;' : c === ':' ? '&#58;' : c === '/' ? '&#47;' : c === '.' ? '&#46;' : c;
  return out;
}

// Re-exported: callers of the renderer escape with the same function (core/markdown.ts).
export { escapeMarkdown };

function topEntries(rec: Record<string, number>, n: number): [string, number][] {
  return Object.entries(rec).slice(0, n);
}

const DIRECTIONS: [label: string, key: 'total' | 'inbound' | 'outbound'][] = [
  ['Total', 'total'],
  ['Inbound (server)', 'inbound'],
  ['Outbound (client)', 'outbound'],
];

function sumFiles(r: TlsReport): string {
  const n = r.files.length;
  return `${countOf(n, 'file')}, ${countOf(r.linesRead, 'line')}`;
}

/** `3 peers, 1 record` of a peer list (with how far counts may be off when it was cut). */
function peerCounts(list: PeerList, truncatedNote: string): string {
  return `${countOf(list.distinct, 'peer')}, ${countOf(list.records, 'record')}${list.truncated ? truncatedNote : ''}`;
}

function undercountNote(list: PeerList): string {
  return `; list truncated, counts may be up to ${list.maxUndercount} too low`;
}

// ---------------------------------------------------------------- text

/** Plain text for a terminal. Log text is printed as is (a terminal is no markup). */
export function renderText(r: TlsReport): string {
  const out: string[] = [];
  out.push(`Postfix TLS report: ${sumFiles(r)}`);
  out.push('');
  const rows: [string, (d: DirectionStats) => string][] = [
    ['TLS connections', (d) => num(d.connections)],
    ['  established / reused', (d) => `${num(d.established)} / ${num(d.reused)}`],
    ['Forward secrecy', (d) => pct(d.fsShare)],
    ['  with / without / unknown', (d) => `${num(d.fs.yes)} / ${num(d.fs.no)} / ${num(d.fs.unknown)}`],
    ['Post-quantum key exchange', (d) => `${pct(d.pqShare)} (${num(d.postQuantum)})`],
  ];
  const w0 = 28;
  const w = 22;
  out.push(''.padEnd(w0) + DIRECTIONS.map(([l]) => l.padStart(w)).join(''));
  for (const [label, f] of rows) out.push(label.padEnd(w0) + DIRECTIONS.map(([, k]) => f(r[k]).padStart(w)).join(''));
  out.push('');
  const table = (title: string, rec: Record<string, number>, total: number): void => {
    const entries = topEntries(rec, 15);
    if (entries.length === 0) return;
    out.push(`${title}:`);
    for (const [k, v] of entries) out.push(`  ${k.padEnd(40)} ${num(v).padStart(12)}  ${pct(total ? v / total : null).padStart(6)}`);
    const more = Object.keys(rec).length - entries.length;
    if (more > 0) out.push(`  … ${more} more`);
    out.push('');
  };
  table('Protocols', r.total.byProtocol, r.total.connections);
  table('Key exchange', r.total.byKeyExchange, r.total.connections);
  table('Verification status', r.total.byStatus as Record<string, number>, r.total.connections);
  table('Ciphers', r.total.byCipher, r.total.connections);
  if (r.receivedHeaders.connections > 0) {
    out.push(`Received: headers with TLS: ${num(r.receivedHeaders.connections)}, forward secrecy ${pct(r.receivedHeaders.fsShare)}, post-quantum ${pct(r.receivedHeaders.pqShare)}`);
    out.push('');
  }
  out.push(`TLS failures: ${num(r.failures.total)}`);
  for (const [k, v] of Object.entries(r.failures.byKind)) if (v > 0) out.push(`  ${k.padEnd(24)} ${num(v).padStart(10)}`);
  out.push('');
  const peers = (title: string, list: PeerList): void => {
    out.push(`${title}: ${peerCounts(list, ' (list truncated)')}`);
    for (const e of list.entries.slice(0, 25)) {
      out.push(`  ${num(e.count).padStart(8)}  ${e.peer}`);
      out.push(`            last ${e.last.timestamp ?? '(no time)'} at ${e.last.file}:${e.last.line}  ${e.detail}`);
    }
    if (list.entries.length > 25) out.push(`  … ${list.entries.length - 25} more (see --format json)`);
    out.push('');
  };
  peers('Peers without forward secrecy', r.peersWithoutFs);
  peers('Peers with TLS failures', r.peersWithFailures);
  if (r.days.length > 0) {
    out.push('Per day:');
    out.push(`  ${'day'.padEnd(16)} ${'connections'.padStart(12)} ${'FS'.padStart(7)} ${'failures'.padStart(9)}  protocols`);
    for (const d of r.days) {
      const protos = topEntries(d.byProtocol, 4).map(([k, v]) => `${k} ${num(v)}`).join(', ');
      out.push(`  ${d.day.padEnd(16)} ${num(d.connections).padStart(12)} ${pct(d.fsShare).padStart(7)} ${num(d.failures).padStart(9)}  ${protos}`);
    }
    out.push('');
  }
  for (const n of r.notes) out.push(`Note: ${n}`);
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

// ---------------------------------------------------------------- JSON

export function renderJson(r: TlsReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

// ---------------------------------------------------------------- SVG chart

/** Fixed palette for protocols (by rank), readable on light and dark backgrounds. */
const PROTOCOL_COLORS = ['#2e7d32', '#1565c0', '#ef6c00', '#c62828', '#6a1b9a', '#00838f', '#9e9d24', '#5d4037'];

/**
 * The per-day chart: forward-secrecy share (bars, 0-100%) on top, protocol mix (stacked 100%
 * bars) below, with a legend. Presentation attributes only (no style attributes), so it passes
 * a CSP without 'unsafe-inline'.
 */
export function renderChartSvg(days: DayStats[]): string {
  const ds = days.filter((d) => d.connections > 0);
  if (ds.length === 0) return '';
  const left = 44;
  const plotW = Math.min(1100, Math.max(320, ds.length * 16));
  const width = left + plotW + 16;
  const barW = plotW / ds.length;
  const gap = barW > 4 ? Math.min(3, barW * 0.2) : 0;
  const h1 = 120;
  const top1 = 24;
  const top2 = top1 + h1 + 44;
  const h2 = 120;
  // Protocols by overall frequency, for stable colours and stacking order.
  const totals = new Map<string, number>();
  for (const d of ds) for (const [k, v] of Object.entries(d.byProtocol)) totals.set(k, (totals.get(k) ?? 0) + v);
  const protocols = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const color = (p: string): string => PROTOCOL_COLORS[protocols.indexOf(p) % PROTOCOL_COLORS.length];
  const legendY = top2 + h2 + 40;
  const height = legendY + 20 * Math.ceil(protocols.length / 4) + 8;
  const f = (x: number): string => (Math.round(x * 10) / 10).toString();
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f(width)}" height="${f(height)}" viewBox="0 0 ${f(width)} ${f(height)}" role="img" aria-label="Forward secrecy share and protocol mix per day" font-family="sans-serif" font-size="11">`,
  );
  parts.push('<title>Forward secrecy share and protocol mix per day</title>');
  parts.push(`<rect x="0" y="0" width="${f(width)}" height="${f(height)}" fill="#ffffff"/>`);
  // Panel 1: FS share.
  parts.push(`<text x="${left}" y="${top1 - 8}" fill="#222222" font-weight="bold">Forward secrecy per day</text>`);
  for (const v of [0, 50, 100]) {
    const y = top1 + h1 - (v / 100) * h1;
    parts.push(`<line x1="${left}" y1="${f(y)}" x2="${f(left + plotW)}" y2="${f(y)}" stroke="#dddddd"/>`);
    parts.push(`<text x="${left - 4}" y="${f(y + 4)}" text-anchor="end" fill="#555555">${v}%</text>`);
  }
  ds.forEach((d, i) => {
    const x = left + i * barW + gap / 2;
    const s = d.fsShare ?? 0;
    const bh = s * h1;
    const tip = `${d.day}: ${pct(d.fsShare)} of ${countOf(d.connections, 'connection')}`;
    parts.push(
      `<rect x="${f(x)}" y="${f(top1 + h1 - bh)}" width="${f(Math.max(0.5, barW - gap))}" height="${f(bh)}" fill="${d.fsShare === null ? '#9e9e9e' : s >= 0.995 ? '#2e7d32' : s >= 0.9 ? '#f9a825' : '#c62828'}"><title>${svgText(tip)}</title></rect>`,
    );
  });
  // Panel 2: protocol mix.
  parts.push(`<text x="${left}" y="${top2 - 8}" fill="#222222" font-weight="bold">Protocol mix per day</text>`);
  ds.forEach((d, i) => {
    const x = left + i * barW + gap / 2;
    let y = top2 + h2;
    const sum = Object.values(d.byProtocol).reduce((a, b) => a + b, 0) || 1;
    for (const p of protocols) {
      const v = d.byProtocol[p] ?? 0;
      if (!v) continue;
      const bh = (v / sum) * h2;
      y -= bh;
      parts.push(`<rect x="${f(x)}" y="${f(y)}" width="${f(Math.max(0.5, barW - gap))}" height="${f(bh)}" fill="${color(p)}"><title>${svgText(`${d.day}: ${p} ${v}`)}</title></rect>`);
    }
  });
  parts.push(`<line x1="${left}" y1="${top2 + h2}" x2="${f(left + plotW)}" y2="${top2 + h2}" stroke="#999999"/>`);
  // Day labels: at most ~10, evenly spaced.
  const every = Math.max(1, Math.ceil(ds.length / 10));
  ds.forEach((d, i) => {
    if (i % every !== 0) return;
    const x = left + i * barW + barW / 2;
    parts.push(`<text x="${f(x)}" y="${top2 + h2 + 14}" text-anchor="middle" fill="#555555">${svgText(d.day)}</text>`);
    parts.push(`<text x="${f(x)}" y="${top1 + h1 + 14}" text-anchor="middle" fill="#555555">${svgText(d.day)}</text>`);
  });
  protocols.forEach((p, i) => {
    const x = left + (i % 4) * 160;
    const y = legendY + Math.floor(i / 4) * 20;
    parts.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${color(p)}"/>`);
    parts.push(`<text x="${x + 16}" y="${y}" fill="#222222">${svgText(p)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

// ---------------------------------------------------------------- Markdown

/** Markdown with tables and the inline SVG chart; every log-derived text is escaped. */
export function renderMarkdown(r: TlsReport): string {
  const md = escapeMarkdown;
  const out: string[] = [];
  out.push('# Postfix TLS report', '');
  // Our own labels and numbers go in as they are; everything read from logs goes through md().
  out.push(`${sumFiles(r)}.`, '');
  out.push('| | ' + DIRECTIONS.map(([l]) => l).join(' | ') + ' |');
  out.push('|---|' + DIRECTIONS.map(() => '---:').join('|') + '|');
  const row = (label: string, f: (d: DirectionStats) => string): void => {
    out.push(`| ${label} | ` + DIRECTIONS.map(([, k]) => f(r[k])).join(' | ') + ' |');
  };
  row('TLS connections', (d) => num(d.connections));
  row('Forward secrecy', (d) => pct(d.fsShare));
  row('Without forward secrecy', (d) => num(d.fs.no));
  row('FS unknown', (d) => num(d.fs.unknown));
  row('Post-quantum key exchange', (d) => pct(d.pqShare));
  row('Reused connections', (d) => num(d.reused));
  out.push('');
  const svg = renderChartSvg(r.days);
  if (svg) out.push('## Per day', '', svg, '');
  const table = (title: string, rec: Record<string, number>, total: number): void => {
    const entries = topEntries(rec, 20);
    if (entries.length === 0) return;
    out.push(`## ${title}`, '', '| | count | share |', '|---|---:|---:|');
    for (const [k, v] of entries) out.push(`| ${md(k)} | ${num(v)} | ${pct(total ? v / total : null)} |`);
    out.push('');
  };
  table('Protocols', r.total.byProtocol, r.total.connections);
  table('Key exchange', r.total.byKeyExchange, r.total.connections);
  table('Verification status', r.total.byStatus as Record<string, number>, r.total.connections);
  table('Ciphers', r.total.byCipher, r.total.connections);
  if (r.failures.total > 0) {
    out.push('## TLS failures', '', '| kind | count |', '|---|---:|');
    for (const [k, v] of Object.entries(r.failures.byKind)) if (v > 0) out.push(`| ${k} | ${num(v)} |`);
    out.push('');
  }
  const peers = (title: string, list: PeerList): void => {
    out.push(`## ${title}`, '');
    out.push(`${peerCounts(list, undercountNote(list))}.`, '');
    if (list.entries.length === 0) return;
    out.push('| peer | count | last seen | where | detail |', '|---|---:|---|---|---|');
    for (const e of list.entries) {
      out.push(`| ${md(e.peer)} | ${num(e.count)} | ${md(e.last.timestamp ?? '')} | ${md(`${e.last.file}:${e.last.line}`)} | ${md(e.detail)} |`);
    }
    out.push('');
  };
  peers('Peers without forward secrecy', r.peersWithoutFs);
  peers('Peers with TLS failures', r.peersWithFailures);
  if (r.receivedHeaders.connections > 0) {
    out.push('## Received: headers', '', `${countOf(r.receivedHeaders.connections, 'TLS hop')}, forward secrecy ${pct(r.receivedHeaders.fsShare)}, post-quantum ${pct(r.receivedHeaders.pqShare)}.`, '');
  }
  if (r.notes.length > 0) {
    out.push('## Notes', '');
    for (const n of r.notes) out.push(`- ${n}`);
    out.push('');
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- HTML

export interface HtmlOptions {
  /** Webview `cspSource`, allowed for styles and images besides the page's own. */
  cspSource?: string;
  /** Nonce for the <style> element; without it the style is allowed by its sha256 hash. */
  nonce?: string;
  /** Page title (default "Postfix TLS report"). */
  title?: string;
  /** Extra HTML placed at the top of the body (trusted: built by the caller, e.g. a Save link). */
  toolbarHtml?: string;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;line-height:1.4;color:#1f1f1f;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
table{border-collapse:collapse;margin:.25rem 0 1rem}th,td{border:1px solid #d0d0d0;padding:.25rem .6rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}
.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}.card{border:1px solid #d0d0d0;border-radius:6px;padding:.6rem .9rem;min-width:11rem}
.card .v{font-size:1.6rem;font-weight:600}.card .l{color:#555}.good{color:#2e7d32}.warn{color:#b26a00}.bad{color:#c62828}
.muted{color:#666}.peer{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}.chart{overflow-x:auto}
.toolbar{margin:.25rem 0 1rem}
`.trim();

/**
 * A standalone HTML page: no scripts, no remote resources, inline SVG chart, and a CSP that
 * allows only the page's own style (by nonce or hash) and data: images.
 */
export function renderHtml(r: TlsReport, opts: HtmlOptions = {}): string {
  const h = escapeHtml;
  const styleSrc = opts.nonce ? `'nonce-${opts.nonce}'` : `'sha256-${sha256Base64(STYLE)}'`;
  const extra = opts.cspSource ? ` ${opts.cspSource}` : '';
  const csp = `default-src 'none'; style-src ${styleSrc}${extra}; img-src data:${extra}; base-uri 'none'; form-action 'none'`;
  const title = opts.title ?? 'Postfix TLS report';
  const cls = (s: number | null): string => (s === null ? 'muted' : s >= 0.995 ? 'good' : s >= 0.9 ? 'warn' : 'bad');
  const b: string[] = [];
  b.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  b.push(`<meta http-equiv="Content-Security-Policy" content="${h(csp)}">`);
  b.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  b.push(`<title>${h(title)}</title>`);
  b.push(opts.nonce ? `<style nonce="${h(opts.nonce)}">${STYLE}</style>` : `<style>${STYLE}</style>`);
  b.push('</head>', '<body>');
  b.push(`<h1>${h(title)}</h1>`);
  b.push(`<p class="muted">${h(sumFiles(r))}</p>`);
  if (opts.toolbarHtml) b.push(`<div class="toolbar">${opts.toolbarHtml}</div>`);
  b.push('<div class="cards">');
  const card = (label: string, value: string, c = ''): void => {
    b.push(`<div class="card"><div class="v ${c}">${h(value)}</div><div class="l">${h(label)}</div></div>`);
  };
  card('forward secrecy, inbound', pct(r.inbound.fsShare), cls(r.inbound.fsShare));
  card('forward secrecy, outbound', pct(r.outbound.fsShare), cls(r.outbound.fsShare));
  card('TLS connections', num(r.total.connections));
  card('post-quantum key exchange', pct(r.total.pqShare));
  card('TLS failures', num(r.failures.total), r.failures.total > 0 ? 'bad' : 'good');
  b.push('</div>');

  b.push('<h2>Overview</h2>', '<table>', '<tr><th></th>' + DIRECTIONS.map(([l]) => `<th class="n">${h(l)}</th>`).join('') + '</tr>');
  const row = (label: string, f: (d: DirectionStats) => string): void => {
    b.push(`<tr><th>${h(label)}</th>` + DIRECTIONS.map(([, k]) => `<td class="n">${h(f(r[k]))}</td>`).join('') + '</tr>');
  };
  row('TLS connections', (d) => num(d.connections));
  row('established / reused', (d) => `${num(d.established)} / ${num(d.reused)}`);
  row('forward secrecy', (d) => pct(d.fsShare));
  row('with / without / unknown', (d) => `${num(d.fs.yes)} / ${num(d.fs.no)} / ${num(d.fs.unknown)}`);
  row('post-quantum key exchange', (d) => `${pct(d.pqShare)} (${num(d.postQuantum)})`);
  b.push('</table>');

  const svg = renderChartSvg(r.days);
  if (svg) b.push('<h2>Per day</h2>', `<div class="chart">${svg}</div>`);

  const table = (title: string, rec: Record<string, number>, total: number): void => {
    const entries = topEntries(rec, 25);
    if (entries.length === 0) return;
    b.push(`<h2>${h(title)}</h2>`, '<table>', '<tr><th></th><th class="n">inbound + outbound</th><th class="n">share</th></tr>');
    for (const [k, v] of entries) b.push(`<tr><td>${h(k)}</td><td class="n">${h(num(v))}</td><td class="n">${h(pct(total ? v / total : null))}</td></tr>`);
    b.push('</table>');
  };
  table('Protocols', r.total.byProtocol, r.total.connections);
  table('Key exchange', r.total.byKeyExchange, r.total.connections);
  table('Verification status', r.total.byStatus as Record<string, number>, r.total.connections);
  table('Ciphers', r.total.byCipher, r.total.connections);

  b.push('<h2>TLS failures</h2>');
  if (r.failures.total === 0) b.push('<p class="muted">None.</p>');
  else {
    b.push('<table>', '<tr><th>kind</th><th class="n">count</th></tr>');
    for (const [k, v] of Object.entries(r.failures.byKind)) if (v > 0) b.push(`<tr><td>${h(k)}</td><td class="n">${h(num(v))}</td></tr>`);
    b.push('</table>');
  }
  const peers = (title: string, list: PeerList): void => {
    b.push(`<h2>${h(title)}</h2>`);
    b.push(`<p class="muted">${h(peerCounts(list, undercountNote(list)))}</p>`);
    if (list.entries.length === 0) return;
    b.push('<table>', '<tr><th>peer</th><th class="n">count</th><th>last seen</th><th>where</th><th>detail</th></tr>');
    for (const e of list.entries) {
      b.push(
        `<tr><td class="peer">${h(e.peer)}</td><td class="n">${h(num(e.count))}</td><td>${h(e.last.timestamp ?? '')}</td><td class="peer">${h(`${e.last.file}:${e.last.line}`)}</td><td>${h(e.detail)}</td></tr>`,
      );
    }
    b.push('</table>');
  };
  peers('Peers without forward secrecy', r.peersWithoutFs);
  peers('Peers with TLS failures', r.peersWithFailures);
  if (r.receivedHeaders.connections > 0) {
    b.push('<h2>Received: headers</h2>');
    b.push(`<p>${h(`${countOf(r.receivedHeaders.connections, 'TLS hop')}, forward secrecy ${pct(r.receivedHeaders.fsShare)}, post-quantum ${pct(r.receivedHeaders.pqShare)}.`)}</p>`);
  }
  if (r.files.length > 0) {
    b.push('<h2>Files</h2>', '<table>', '<tr><th>file</th><th class="n">lines</th><th class="n">bytes</th><th>gzip</th></tr>');
    for (const f of r.files) b.push(`<tr><td class="peer">${h(f.file)}</td><td class="n">${h(num(f.lines))}</td><td class="n">${h(num(f.bytes))}</td><td>${f.gzip ? 'yes' : 'no'}</td></tr>`);
    b.push('</table>');
  }
  if (r.notes.length > 0) {
    b.push('<h2>Notes</h2>', '<ul>');
    for (const n of r.notes) b.push(`<li>${h(n)}</li>`);
    b.push('</ul>');
  }
  b.push('</body>', '</html>', '');
  return b.join('\n');
}
