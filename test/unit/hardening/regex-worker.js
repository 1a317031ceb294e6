/*
 * Worker for the regular-expression audit (regex-audit.test.ts). Plain JavaScript, so it runs
 * in a worker thread without a TypeScript loader. For each pattern it builds "pump" inputs from
 * the pattern's own literal text (every short fragment and every prefix, repeated up to n
 * characters, followed by a NUL, a line feed or nothing) plus a fixed list of classic
 * worst cases, and times the pattern the way the code uses it (sticky: one match at 0; global:
 * a whole replace; otherwise a search over every start position). A pattern slow at n is timed
 * again at two sizes 4x apart: linear work grows about 4 times, quadratic about 16 times.
 * Messages: in {index, source, flags}; out {index, done: true, worst: {...}} after each pattern.
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');

const N = workerData.n;
const SCREEN_MS = workerData.screenMs;

const GENERIC = [
  'a', ' ', '\t', '0', 'A', '[', ']', '{', '}', '(', '$', '$${{{{', '${', '-o ', 'a=', 'a ', ' a', 'a.', '1.', 'a-', 'a:', 'x[1]',
  '`', '\\', '<', '>', '?', '#', '-', '=', ',', ', ', '\r\n', '\n', 'TLS connection ', 'TLS', '-----BEGIN X-----', '(using ',
  'Received: ', 'key-exchange ', ' bits)', '!', '*', '_', '|', '/', '@', '.',
];

/** Literal text of a pattern: escapes resolved, classes replaced by one member, operators dropped. */
function literalize(src) {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const d = src[++i];
      const map = { d: '0', D: 'a', w: 'a', W: '!', s: ' ', S: 'a', n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', b: '', B: '', '0': '\0' };
      if (d === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 1, i + 5))) {
        out += String.fromCharCode(parseInt(src.slice(i + 1, i + 5), 16));
        i += 4;
      } else if (d === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 1, i + 3))) {
        out += String.fromCharCode(parseInt(src.slice(i + 1, i + 3), 16));
        i += 2;
      } else if (d !== undefined && /[1-9]/.test(d)) {
        out += 'X'; // a back reference: some text
      } else out += d in map ? map[d] : d ?? '';
    } else if (c === '[') {
      // First member of the class (or 'a' for a negated class).
      let j = i + 1;
      const negated = src[j] === '^';
      if (negated) j++;
      let first = src[j];
      if (first === '\\') first = ({ d: '0', w: 'a', s: ' ', S: 'a', D: 'a', W: '!', n: '\n', r: '\r', t: '\t' })[src[j + 1]] ?? src[j + 1];
      // Skip to the closing bracket.
      let k = j;
      if (src[k] === ']') k++;
      while (k < src.length && src[k] !== ']') k += src[k] === '\\' ? 2 : 1;
      out += negated ? 'a' : first ?? 'a';
      i = k;
    } else if (c === '(' && src[i + 1] === '?') {
      // (?:  (?=  (?!  (?<=  (?<!  (?<name>
      i += src[i + 2] === '<' && src[i + 3] !== '=' && src[i + 3] !== '!' ? src.indexOf('>', i) - i : src[i + 2] === '<' ? 3 : 2;
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i))) {
      i = src.indexOf('}', i);
    } else if ('()|?*+^$.'.includes(c)) {
      if (c === '.') out += 'a';
    } else out += c;
  }
  return out;
}

function fragments(src) {
  const lit = literalize(src);
  const set = new Set(GENERIC);
  for (let len = 1; len <= 4; len++) for (let i = 0; i + len <= lit.length; i++) set.add(lit.slice(i, i + len));
  for (let i = 1; i <= lit.length; i++) set.add(lit.slice(0, i));
  for (let i = 0; i < lit.length; i++) set.add(lit.slice(i));
  set.delete('');
  return [...set].slice(0, 200);
}

function pump(frag, n, tail) {
  return frag.repeat(Math.max(1, Math.ceil(n / frag.length))).slice(0, n) + tail;
}

function runner(source, flags) {
  const sticky = flags.includes('y');
  const global = flags.includes('g');
  const re = new RegExp(source, flags);
  return (s) => {
    if (sticky) {
      re.lastIndex = 0;
      re.exec(s);
    } else if (global) {
      re.lastIndex = 0;
      s.replace(re, '');
    } else {
      re.exec(s);
    }
  };
}

function time(run, s) {
  const t0 = performance.now();
  run(s);
  return performance.now() - t0;
}

parentPort.on('message', ({ index, source, flags }) => {
  let run;
  try {
    run = runner(source, flags);
  } catch (e) {
    parentPort.postMessage({ index, done: true, error: String(e) });
    return;
  }
  let worst = { ms: 0, frag: '', tail: '' };
  let superLinear;
  search: for (const frag of fragments(source)) {
    for (const tail of ['\u0000', '\n']) {
      const ms = time(run, pump(frag, N, tail));
      if (ms > worst.ms) worst = { ms, frag, tail };
      if (ms > SCREEN_MS) {
        // Confirm with the best of two runs at two sizes. A slow pattern is compared at N/4 and N
        // (cheaper), a borderline one at N and 4N.
        const big = ms > 8 * SCREEN_MS;
        const small = big ? Math.floor(N / 4) : N;
        const large = big ? N : 4 * N;
        const a = Math.min(time(run, pump(frag, small, tail)), time(run, pump(frag, small, tail)));
        const b = big ? Math.min(ms, time(run, pump(frag, large, tail))) : Math.min(time(run, pump(frag, large, tail)), time(run, pump(frag, large, tail)));
        if (b > 6 * Math.max(a, 0.5) && b > 4 * SCREEN_MS) {
          superLinear = { frag, tail, small, large, msSmall: a, msLarge: b };
          break search;
        }
      }
    }
  }
  parentPort.postMessage({ index, done: true, worst, superLinear });
});
