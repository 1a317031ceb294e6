/**
 * Input generators for the fuzz targets (fast-check arbitraries):
 * - arbitrary text: any UTF-16 units (lone surrogates included), printable ASCII, "binary-ish"
 *   bytes decoded as latin1, NUL bytes and control characters;
 * - structured config-ish and log-ish text built from real parameter names and the syntax
 *   pieces Postfix and its logs use ($name, ${a?b}, -o { }, brackets, TLS summary words...);
 * - MUTATED corpus: a window of a real file or line, then a list of edits (insert a piece,
 *   delete, duplicate a span many times, flip a character, splice another sample, change the
 *   line ends, add a BOM or a NUL). Edits are data, so fast-check shrinks them.
 * Every generated input is tagged with its origin so the runner can count both kinds.
 */
import fc from 'fast-check';
import { allParamNames } from '../../core/params';
import type { Corpus } from './corpus';

/** An input and where it came from. */
export interface Tagged<T> {
  origin: 'generated' | 'mutated';
  value: T;
}

// ------------------------------------------------------------------------------- pieces

const PARAM_NAMES: readonly string[] = (() => {
  try {
    const all = allParamNames();
    if (all.length > 0) return all;
  } catch {
    /* fall through */
  }
  return ['smtpd_tls_security_level', 'smtp_tls_security_level', 'myhostname'];
})();

/** Parameter names weighted towards the TLS ones the rules look at. */
const TLS_NAMES = PARAM_NAMES.filter((n) => /tls|ssl|cipher|dh|eecdh|curve|group|protocol|config_directory|compat/.test(n));

const ODD_NAMES = ['a', 'b', 'c', '_', '1', 'x'.repeat(300), 'myhostname', 'mydomain', 'config_directory', 'submission_tls_security_level', 'smtpd_tls_dh1024_param_file', 'tlsproxy_tls_ciphers', 'compatibility_level', 'é', 'a-b', 'a.b', 'A'];

export const nameArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PARAM_NAMES), weight: 3 },
  { arbitrary: fc.constantFrom(...(TLS_NAMES.length ? TLS_NAMES : PARAM_NAMES)), weight: 4 },
  { arbitrary: fc.constantFrom(...ODD_NAMES), weight: 2 },
  { arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/), weight: 1 },
);

const VALUE_PIECES: readonly string[] = [
  'yes', 'no', 'may', 'encrypt', 'dane', 'dane-only', 'verify', 'secure', 'fingerprint', 'none', 'high', 'medium', 'low',
  'export', 'null', 'aNULL', '!aNULL', 'eNULL', '!SSLv2', '!SSLv3', '!TLSv1', '!TLSv1.1', '>=TLSv1.2', '<=TLSv1.3', '>=', '<=',
  'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSLv2', 'SSLv3', 'ECDHE-RSA-AES256-GCM-SHA384', 'AES256-SHA', 'RC4', 'MD5', 'DES',
  '3DES', 'kRSA', 'kDHE', 'kEECDH', 'EECDH', 'EDH', 'X25519', 'X448', 'prime256v1', 'secp384r1', 'secp521r1', 'P-256',
  'X25519MLKEM768', 'ffdhe2048', 'ffdhe3072', 'auto', 'strong', 'ultra', '/etc/postfix/dh2048.pem', '/etc/postfix/dh512.pem',
  '${config_directory}/dh.pem', '$config_directory/dh512.pem', 'hash:/etc/postfix/tls_policy', 'lmdb:/x', 'inline:{ { a = b } }',
  'proxy:mysql:/x', '$myhostname', '${myhostname}', '$(myhostname)', '${a?b}', '${a:b}', '${a?{x}:{y}}', '${a?{x}}',
  '${{$a} == {3.9} ? {x} : {y}}', '${{$compatibility_level} <level {3.6} ? {a} : {b}}', '${{a} !=', '$$', '$', '${', '}',
  '{', '(', ')', '$(', '${a', '$a$b$c', '$a', '$b', '$c', '${b}', '${c?$a}', ',', ', ', ' ', '\t', '0', '1', '-1',
  '99999999999999999999', '10s', '1h', '3w', '2048', '4096', '1024', 'smtpd', 'smtp', '#', '=', '\\', '"', "'", '\u0000',
  '\ufeff', 'é', '\u{1F600}', '\ud800', '\udc00', '[', ']', '[x](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>', '<script>alert(1)</script>', '`', '***', '___', '](javascript:alert(1))', 'https://evil.example/',
  'DEFAULT', 'ALL', '@SECLEVEL=0', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
];

export const valuePieceArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...VALUE_PIECES), weight: 8 },
  { arbitrary: nameArb.map((n) => `$${n}`), weight: 2 },
  { arbitrary: nameArb.map((n) => `\${${n}}`), weight: 1 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
);

/** A value: a few pieces joined by nothing, spaces or commas. */
export const valueArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(valuePieceArb, { maxLength: 8 }), fc.constantFrom('', ' ', ', ', ',', ' : ', '\t'))
  .map(([parts, sep]) => parts.join(sep));

// ------------------------------------------------------------------------------- text

/** Any UTF-16 code units, lone surrogates included (what a decoder can hand over). */
const anyUnitArb = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Bytes decoded as latin1, control characters and NUL very likely. */
const byteUnitArb = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
const controlUnitArb = fc.constantFrom('\u0000', '\r', '\n', '\t', '\u000b', '\u000c', '\u001b', '\u0085', '\u2028', '\u2029', '\ufeff', '\ufffd', ' ', '\\');

export function textArb(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ maxLength }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength }), weight: 2 },
    { arbitrary: fc.string({ unit: anyUnitArb, maxLength }), weight: 2 },
    { arbitrary: fc.string({ unit: byteUnitArb, maxLength }), weight: 2 },
    { arbitrary: fc.string({ unit: fc.oneof(controlUnitArb, fc.constantFrom('a', '=', '$', '{', '}', '-o', ' ', '#')), maxLength }), weight: 2 },
  );
}

// ------------------------------------------------------------------------------- main.cf

const lineEndArb = fc.oneof({ arbitrary: fc.constant('\n'), weight: 12 }, { arbitrary: fc.constant('\r\n'), weight: 2 }, { arbitrary: fc.constant('\r'), weight: 1 });

const mainLineArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(nameArb, fc.constantFrom(' = ', '=', ' =', '= ', '\t=\t', '  =  '), valueArb).map(([n, eq, v]) => n + eq + v), weight: 12 },
  { arbitrary: fc.tuple(fc.constantFrom(' ', '\t', '    '), valueArb).map(([ws, v]) => ws + v), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom('#', '# ', '  #'), fc.string({ maxLength: 30 })).map(([h, t]) => h + t), weight: 2 },
  { arbitrary: fc.constantFrom('', ' ', '\t', '=', ' = x', '=value'), weight: 1 },
  { arbitrary: nameArb, weight: 1 },
  { arbitrary: textArb(40), weight: 1 },
);

/** A main.cf-like document: optional BOM, lines, mixed line ends. */
export const mainDocArb: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(mainLineArb, lineEndArb), { maxLength: 25 }), fc.boolean())
  .map(([bom, lines, lastEnd]) => {
    let s = bom ? '\ufeff' : '';
    lines.forEach(([l, e], i) => (s += l + (i < lines.length - 1 || lastEnd ? e : '')));
    return s;
  });

// ------------------------------------------------------------------------------- master.cf

const masterArgArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(nameArb, valueArb).map(([n, v]) => `-o ${n}=${v.replace(/\s+/g, '')}`), weight: 6 },
  { arbitrary: fc.tuple(nameArb, valueArb).map(([n, v]) => `-o { ${n} = ${v} }`), weight: 3 },
  { arbitrary: fc.tuple(nameArb, valueArb).map(([n, v]) => `-o${n}=${v.replace(/\s+/g, '')}`), weight: 2 },
  { arbitrary: fc.tuple(nameArb, valueArb).map(([n, v]) => `-o ${n} = ${v}`), weight: 2 },
  { arbitrary: fc.tuple(nameArb, valueArb).map(([n, v]) => `-o ${n}= ${v}`), weight: 1 },
  { arbitrary: fc.tuple(nameArb).map(([n]) => `-o ${n}`), weight: 1 },
  {
    arbitrary: fc.constantFrom('-v', '-vv', '--', '-o', '{', '}', '{ a b', '{ a = b } c', '-o{', '-o {', '-o={', 'flags=Rq', 'user=vmail',
      'argv=/usr/bin/x ${recipient}', '-oa=b', '-ov', '-o =x', '-o a', '-x'),
    weight: 2,
  },
);

const masterLineArb: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(
        fc.constantFrom('smtp', 'submission', 'smtps', '127.0.0.1:10025', '[::1]:25', 'pickup', 'relay', 'tlsproxy', 'postscreen', 'x', '-'),
        fc.constantFrom('inet', 'unix', 'unix-dgram', 'fifo', 'pass', 'x'),
        fc.constantFrom('n', 'y', '-', 'x'),
        fc.constantFrom('n', 'y', '-'),
        fc.constantFrom('n', 'y', '-', '?'),
        fc.constantFrom('-', '60', '300?', 'x', '0'),
        fc.constantFrom('-', '0', '100', 'x'),
        fc.constantFrom('smtpd', 'smtp', 'lmtp', 'tlsproxy', 'postscreen', 'pipe', 'qmgr', 'x'),
        fc.array(masterArgArb, { maxLength: 6 }),
        fc.constantFrom(' ', '\t', '  '),
      )
      .map(([s, t, p, u, c, w, m, cmd, args, sp]) => [s, t, p, u, c, w, m, cmd, ...args].join(sp)),
    weight: 8,
  },
  { arbitrary: fc.tuple(fc.constantFrom('  ', '\t'), masterArgArb).map(([ws, a]) => ws + a), weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom('#', '  #'), fc.string({ maxLength: 30 })).map(([h, t]) => h + t), weight: 1 },
  { arbitrary: fc.constantFrom('', 'smtp inet n', 'smtp/inet/smtpd_tls_security_level = may', 'smtp.inet = x'), weight: 1 },
  { arbitrary: textArb(40), weight: 1 },
);

export const masterDocArb: fc.Arbitrary<string> = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(masterLineArb, lineEndArb), { maxLength: 15 }))
  .map(([bom, lines]) => (bom ? '\ufeff' : '') + lines.map(([l, e]) => l + e).join(''));

// ------------------------------------------------------------------------------- logs

const LOG_PREFIXES: readonly string[] = [
  'Nov 28 12:00:00 mail postfix/smtpd[123]: ', 'Nov  8 01:02:03 mx postfix/smtp[9]: ', '2024-01-02T03:04:05.123456+01:00 host postfix/smtp[9]: ',
  '<22>1 2024-01-02T03:04:05Z host postfix/smtpd 123 - - ', 'mailserver  | ', '[pod/x/y] ', 'Thu 2024-01-02 03:04:05 CET host postfix/smtpd[1]: ',
  '[ 1234.567890] host postfix/smtpd[1]: ', '1704164645.123456 host postfix/smtpd[1]: ', '2024-01-02T03:04:05Z stdout F ', 'mail.info ',
  'Jan  1 00:00:00 h postfix/submission/smtpd[77]: ', 'Jan  1 00:00:00 h postfix-out/smtp[77]: ', 'Jan  1 00:00:00 h dovecot: ',
  'Jan  1 00:00:00 h posttls-finger: ', 'Jan  1 00:00:00 h postfix/tlsproxy[2]: ', '', ' ', '\t', 'Received: ', 'warning: ', 'ABCDEF1234: ',
  'NOQUEUE: ', '4Xk2bN1z2Qz9tZ: ',
];
const LOG_PIECES: readonly string[] = [
  'Anonymous TLS connection established from ', 'Untrusted TLS connection established to ', 'Trusted TLS connection established to ',
  'Verified TLS connection established to ', 'TLS connection established from ', 'TLS connection reused to ', 'TLS connection ',
  'mx.example.com[192.0.2.1]:25', 'unknown[10.0.0.1]', 'x[', ']:', '[', ']', '[2001:db8::1]:587', ': ', 'TLSv1.2', 'TLSv1.3', 'TLSv1', 'SSLv3',
  ' with cipher ', 'ECDHE-RSA-AES256-GCM-SHA384', 'TLS_AES_256_GCM_SHA384', 'AES256-SHA', 'DHE-RSA-AES128-SHA', 'EXP-RC4-MD5', 'ADH-AES128-SHA',
  ' (256/256 bits)', ' (128/128 bits)', '(256 bits)', ' key-exchange X25519', ' key-exchange X25519MLKEM768', ' key-exchange ECDHE (P-256)',
  ' key-exchange DHE (2048 bits)', ' server-signature RSA-PSS (2048 bits)', ' server-digest SHA256', ' client-signature ECDSA (P-256)',
  ' client-digest SHA384', ' to ', '<sni.example>', 'SSL_accept error from x[1.2.3.4]: -1', 'SSL_connect error to y[5.6.7.8]:25: -1',
  'TLS library problem: error:0A000126:SSL routines::unexpected eof while reading:ssl/record/rec_layer_s3.c:303:',
  'lost connection after STARTTLS from x[1.1.1.1]', 'certificate verification failed for x[1.1.1.1]:25: untrusted issuer /C=US/O=X',
  'server certificate not trusted', 'TLS is required, but was not offered by host x[1.1.1.1]', 'no shared cipher', 'tls=may:none',
  'tls=dane/!requiretls:nocertmatch', 'tls=?', ' relay=x[1.2.3.4]:25,', ' status=sent', ' delay=1', 'Received: from x (x [1.2.3.4])',
  ' (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)', ' key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256)',
  ' (No client certificate requested)', ' (Client did not present a certificate)', ' (Client CN "a", Issuer "b" (verified OK))',
  '\tby mx.example.com (Postfix) with ESMTPS id 4Xk2b', ' for <a@b>; Mon, 1 Jan 2024 00:00:00 +0000', '(using ', 'TLS', 'SSL', 'tls',
  'ertificate', ' ', '  ', '\t', '(', ')', '\u0000', '\ufffd', '<img src=x onerror=alert(1)>', '[x](command:workbench.action.terminal.new)',
  '<script>alert(1)</script>', '`', '](javascript:alert(1))', '*_*_', 'https://evil.example/', '\u202e', '\r',
];

const logPieceArb = fc.oneof(
  { arbitrary: fc.constantFrom(...LOG_PIECES), weight: 10 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
  { arbitrary: fc.string({ unit: anyUnitArb, maxLength: 4 }), weight: 1 },
);

export const logLineArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...LOG_PREFIXES), fc.array(logPieceArb, { maxLength: 14 }))
  .map(([p, parts]) => p + parts.join(''));

export const logTextArb: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof({ arbitrary: logLineArb, weight: 6 }, { arbitrary: fc.constantFrom('', '  folded', '\tby x', ' (using TLSv1.2'), weight: 2 }, { arbitrary: textArb(30), weight: 1 }), lineEndArb), { maxLength: 20 })
  .map((lines) => lines.map(([l, e]) => l + e).join(''));

// ------------------------------------------------------------------------------- mutation

type Edit =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'repeat'; at: number; len: number; times: number }
  | { op: 'flip'; at: number; xor: number }
  | { op: 'splice'; at: number; other: number; from: number; len: number }
  | { op: 'truncate'; at: number }
  | { op: 'line-ends'; to: string }
  | { op: 'bom' }
  | { op: 'swap-lines'; a: number; b: number };

const posArb = fc.nat({ max: 1_000_000 });

function editArb(pieces: fc.Arbitrary<string>): fc.Arbitrary<Edit> {
  return fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('insert' as const), at: posArb, text: fc.oneof(pieces, textArb(6)) }), weight: 6 },
    { arbitrary: fc.record({ op: fc.constant('delete' as const), at: posArb, len: fc.integer({ min: 1, max: 40 }) }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('repeat' as const), at: posArb, len: fc.integer({ min: 1, max: 20 }), times: fc.integer({ min: 2, max: 60 }) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('flip' as const), at: posArb, xor: fc.integer({ min: 1, max: 0xffff }) }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('splice' as const), at: posArb, other: posArb, from: posArb, len: fc.integer({ min: 1, max: 200 }) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: posArb }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('line-ends' as const), to: fc.constantFrom('\r\n', '\r', '\n\n', '\n ', '\n\t', '\u2028', '\u0000\n') }), weight: 1 },
    { arbitrary: fc.constant({ op: 'bom' as const }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('swap-lines' as const), a: posArb, b: posArb }), weight: 1 },
  );
}

function applyEdit(s: string, e: Edit, samples: readonly string[]): string {
  const at = (p: number): number => (s.length === 0 ? 0 : p % (s.length + 1));
  switch (e.op) {
    case 'insert': {
      const p = at(e.at);
      return s.slice(0, p) + e.text + s.slice(p);
    }
    case 'delete': {
      const p = at(e.at);
      return s.slice(0, p) + s.slice(p + e.len);
    }
    case 'repeat': {
      const p = at(e.at);
      const span = s.slice(p, p + e.len);
      return s.slice(0, p) + span.repeat(e.times) + s.slice(p + e.len);
    }
    case 'flip': {
      if (s.length === 0) return s;
      const p = e.at % s.length;
      return s.slice(0, p) + String.fromCharCode((s.charCodeAt(p) ^ e.xor) & 0xffff) + s.slice(p + 1);
    }
    case 'splice': {
      const o = samples[e.other % samples.length] ?? '';
      const from = o.length ? e.from % o.length : 0;
      const p = at(e.at);
      return s.slice(0, p) + o.slice(from, from + e.len) + s.slice(p);
    }
    case 'truncate':
      return s.slice(0, at(e.at));
    case 'line-ends':
      return s.replace(/\r?\n/g, e.to);
    case 'bom':
      return '\ufeff' + s;
    case 'swap-lines': {
      const lines = s.split('\n');
      if (lines.length < 2) return s;
      const a = e.a % lines.length;
      const b = e.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
  }
}

/**
 * A window of up to `maxLines` lines of one sample (whole files are cut so inputs stay
 * mostly under 10 KB), mutated by up to `maxEdits` edits.
 */
export function mutatedArb(samples: readonly string[], pieces: fc.Arbitrary<string>, maxLines: number, maxEdits = 8): fc.Arbitrary<string> {
  const list = samples.length > 0 ? samples : [''];
  return fc
    .tuple(fc.nat({ max: list.length - 1 }), fc.nat({ max: 100_000 }), fc.integer({ min: 1, max: maxLines }), fc.array(editArb(pieces), { maxLength: maxEdits }))
    .map(([i, start, count, edits]) => {
      const lines = list[i].split('\n');
      const s0 = lines.length > count ? start % (lines.length - count + 1) : 0;
      let s = lines.slice(s0, s0 + count).join('\n');
      for (const e of edits) {
        s = applyEdit(s, e, list);
        if (s.length > 200_000) s = s.slice(0, 200_000); // repeats of repeats stay bounded
      }
      return s;
    });
}

/** Mixes generated and mutated inputs, tagged. */
export function tagged<T>(generated: fc.Arbitrary<T>, mutated: fc.Arbitrary<T>, mutatedWeight = 1): fc.Arbitrary<Tagged<T>> {
  return fc.oneof(
    { arbitrary: generated.map((value) => ({ origin: 'generated' as const, value })), weight: 1 },
    { arbitrary: mutated.map((value) => ({ origin: 'mutated' as const, value })), weight: mutatedWeight },
  );
}

/** Pieces used by mutations of configuration text. */
export const configPieceArb: fc.Arbitrary<string> = fc.oneof(valuePieceArb, nameArb, fc.constantFrom('\n', '\n ', ' = ', '=', ' -o ', '{ ', ' }', '#'));
/** Pieces used by mutations of log text. */
export const logPieceMutationArb: fc.Arbitrary<string> = fc.oneof(logPieceArb, fc.constantFrom(...LOG_PREFIXES), fc.constantFrom('\n', '\n ', '\n\t'));

/** Positions to probe a document at: inside, at line ends, and out of bounds. */
export const positionArb: fc.Arbitrary<{ line: number; character: number }> = fc.record({
  line: fc.oneof({ arbitrary: fc.nat({ max: 40 }), weight: 8 }, { arbitrary: fc.constantFrom(-1, 1_000_000, Number.MAX_SAFE_INTEGER), weight: 1 }),
  character: fc.oneof({ arbitrary: fc.nat({ max: 120 }), weight: 8 }, { arbitrary: fc.constantFrom(-1, 100_000, Number.MAX_SAFE_INTEGER), weight: 1 }),
});

/** Builds the mutated-corpus arbitraries once the corpus is loaded. */
export function corpusArbs(c: Corpus): { main: fc.Arbitrary<string>; master: fc.Arbitrary<string>; logLine: fc.Arbitrary<string>; logText: fc.Arbitrary<string>; configLine: fc.Arbitrary<string> } {
  return {
    main: mutatedArb(c.mainFiles, configPieceArb, 60),
    master: mutatedArb(c.masterFiles, configPieceArb, 60),
    logLine: mutatedArb(c.logLines, logPieceMutationArb, 1, 6),
    logText: mutatedArb(c.logFiles, logPieceMutationArb, 30),
    configLine: mutatedArb(c.configLines, configPieceArb, 1, 6),
  };
}
