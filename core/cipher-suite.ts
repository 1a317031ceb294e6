/**
 * Decoding of TLS cipher suite names (pure, no I/O): the one place that reads the key exchange,
 * authentication, encryption and MAC out of an OpenSSL name (`ECDHE-RSA-AES256-GCM-SHA384`,
 * `EXP-EDH-RSA-DES-CBC-SHA`), an IANA/RFC name (`TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`) or a
 * TLS 1.3 suite (`TLS_AES_256_GCM_SHA384`). Names are decoded structurally (the naming schemes),
 * not looked up in a list, so suites of any OpenSSL release are understood; a name that fits
 * neither scheme is not decoded at all (its key exchange is unknown, never guessed).
 *
 * Shared by the cipher explanations (core/cipher.ts) and the log classifier's forward-secrecy
 * verdict (core/log/classify.ts), so both always agree.
 */

/** `yes`: ephemeral key exchange; `no`: static key exchange (or none at all); `unknown`: cannot tell. */
export type CipherForwardSecrecy = 'yes' | 'no' | 'unknown';

// ---------------------------------------------------------------------------------------------
// The decoded suite

/** Key exchange of a suite. */
export type Kx =
  | 'ECDHE' | 'DHE' | 'ECDH' | 'DH' | 'RSA' | 'PSK' | 'ECDHE-PSK' | 'DHE-PSK' | 'RSA-PSK'
  | 'SRP' | 'KRB5' | 'GOST' | 'TLS13' | 'NULL' | 'unknown';

/** Bulk encryption of a suite. */
export interface Enc {
  /** Display label, e.g. `AES-256-GCM`. */
  label: string;
  /** Cipher family for the notes. */
  family: 'AES' | 'CAMELLIA' | 'ARIA' | 'CHACHA20' | '3DES' | 'DES' | 'RC4' | 'RC2' | 'IDEA' | 'SEED' | 'GOST' | 'NULL' | 'unknown';
  bits?: number;
  aead: boolean;
  mode?: 'GCM' | 'CCM' | 'CCM8' | 'CBC' | 'stream' | 'POLY1305';
}

/** A decoded cipher suite. */
export interface Suite {
  kx: Kx;
  /** `RSA`, `ECDSA`, `DSS`, `PSK`, `SRP`, `KRB5`, `none`, or `certificate` (TLS 1.3: chosen separately). */
  auth: string;
  enc: Enc;
  /** `SHA1`, `SHA256`, `SHA384`, `MD5`, `GOST`, or undefined for AEAD suites without a PRF hash in the name. */
  hash?: string;
  exportGrade: boolean;
  /** EXP1024 suites (56-bit keys, 1024-bit RSA/DH). */
  export1024: boolean;
}

const MAC_TOKENS = new Set(['SHA', 'SHA1', 'SHA256', 'SHA384', 'MD5', 'GOST89', 'GOST94', 'GOST89MAC']);

// ---------------------------------------------------------------------------------------------
// OpenSSL names: [EXP-|EXP1024-][kx-[auth-]]enc[-mode][-mac]

function parseOpenSsl(name: string): Suite | undefined {
  if (!/^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(name)) return undefined;
  const t = name.split('-');
  let exportGrade = false;
  let export1024 = false;
  if (t[0] === 'EXP') {
    exportGrade = true;
    t.shift();
  } else if (t[0] === 'EXP1024') {
    exportGrade = true;
    export1024 = true;
    t.shift();
  }
  if (t.length === 0) return undefined;
  let kx: Kx = 'RSA';
  let auth = 'RSA';
  const takeAuth = (allowed: string[], fallback: string): string => {
    if (t.length > 1 && allowed.includes(t[0])) return t.shift() as string;
    return fallback;
  };
  switch (t[0]) {
    case 'ECDHE':
    case 'EECDH':
      t.shift();
      if ((t[0] as string) === 'PSK') {
        t.shift();
        kx = 'ECDHE-PSK';
        auth = 'PSK';
      } else {
        kx = 'ECDHE';
        // `ECDHE-ARIA256-GCM-SHA384` and friends leave out RSA.
        auth = takeAuth(['RSA', 'ECDSA'], 'RSA');
      }
      break;
    case 'DHE':
    case 'EDH':
      t.shift();
      if ((t[0] as string) === 'PSK') {
        t.shift();
        kx = 'DHE-PSK';
        auth = 'PSK';
      } else {
        kx = 'DHE';
        auth = takeAuth(['RSA', 'DSS'], 'RSA');
      }
      break;
    case 'AECDH':
      t.shift();
      kx = 'ECDHE';
      auth = 'none';
      break;
    case 'ADH':
      t.shift();
      kx = 'DHE';
      auth = 'none';
      break;
    case 'ECDH':
      t.shift();
      kx = 'ECDH';
      auth = takeAuth(['RSA', 'ECDSA'], 'ECDSA');
      break;
    case 'DH':
      t.shift();
      kx = 'DH';
      auth = takeAuth(['RSA', 'DSS'], 'RSA');
      break;
    case 'RSA':
      if (t[1] === 'PSK') {
        t.splice(0, 2);
        kx = 'RSA-PSK';
        auth = 'RSA';
      } else {
        t.shift();
      }
      break;
    case 'PSK':
      t.shift();
      kx = 'PSK';
      auth = 'PSK';
      break;
    case 'SRP':
      t.shift();
      kx = 'SRP';
      auth = takeAuth(['RSA', 'DSS'], 'SRP');
      break;
    case 'KRB5':
      t.shift();
      kx = 'KRB5';
      auth = 'KRB5';
      break;
    default:
      if (t[0].startsWith('GOST')) {
        t.shift();
        kx = 'GOST';
        auth = 'GOST';
      }
  }
  if (t.length === 0) return undefined;
  // The MAC is the last token unless the suite is AEAD without a hash in its name.
  let hash: string | undefined;
  if (t.length > 1 && MAC_TOKENS.has(t[t.length - 1])) {
    const m = t.pop() as string;
    hash = m === 'SHA' ? 'SHA1' : m.startsWith('GOST') ? 'GOST' : m;
  }
  const enc = parseOpenSslEnc(t, exportGrade, export1024);
  if (!enc) return undefined;
  return { kx, auth, enc, hash, exportGrade, export1024 };
}

function parseOpenSslEnc(t: string[], exportGrade: boolean, export1024: boolean): Enc | undefined {
  const s = t.join('-');
  const exportBits = export1024 ? 56 : 40;
  let m: RegExpMatchArray | null;
  if ((m = /^(AES|CAMELLIA|ARIA)-?(128|256)?(?:-(GCM|CCM8|CCM|CBC))?(?:-(128|256))?(?:-(CBC))?$/.exec(s))) {
    // Covers AES256, AES256-GCM, AES-256-CBC (SRP), AES256-CBC (PSK), AES128-CCM8, ARIA256-GCM.
    const family = m[1] as 'AES' | 'CAMELLIA' | 'ARIA';
    const bits = Number(m[2] ?? m[4] ?? 0) || undefined;
    const mode = (m[3] as Enc['mode']) ?? 'CBC';
    const aead = mode === 'GCM' || mode === 'CCM' || mode === 'CCM8';
    const modeLabel = mode === 'CCM8' ? 'CCM-8' : mode;
    return { label: `${family}${bits ? `-${bits}` : ''}-${modeLabel}`, family, bits, aead, mode };
  }
  if (s === 'CHACHA20-POLY1305') return { label: 'ChaCha20-Poly1305', family: 'CHACHA20', bits: 256, aead: true, mode: 'POLY1305' };
  if (s === 'DES-CBC3' || s === 'DES-EDE3-CBC' || s === '3DES-EDE-CBC') return { label: '3DES-EDE-CBC', family: '3DES', bits: 168, aead: false, mode: 'CBC' };
  if (s === 'DES-CBC' || s === 'DES-CBC-40' || s === 'DES40-CBC') {
    return exportGrade || s !== 'DES-CBC'
      ? { label: `DES-CBC (${exportBits}-bit export key)`, family: 'DES', bits: exportBits, aead: false, mode: 'CBC' }
      : { label: 'DES-CBC (56-bit)', family: 'DES', bits: 56, aead: false, mode: 'CBC' };
  }
  if ((m = /^RC4(?:-(40|56|64|128))?$/.exec(s))) {
    const bits = exportGrade ? exportBits : Number(m[1] ?? 128);
    return { label: `RC4 (${bits}-bit${exportGrade ? ' export' : ''})`, family: 'RC4', bits, aead: false, mode: 'stream' };
  }
  if ((m = /^RC2(?:-CBC)?(?:-(40|56|128))?$/.exec(s))) {
    const bits = exportGrade ? exportBits : Number(m[1] ?? 128);
    return { label: `RC2-CBC (${bits}-bit${exportGrade ? ' export' : ''})`, family: 'RC2', bits, aead: false, mode: 'CBC' };
  }
  if (s === 'IDEA-CBC' || s === 'IDEA') return { label: 'IDEA-CBC', family: 'IDEA', bits: 128, aead: false, mode: 'CBC' };
  if (s === 'SEED' || s === 'SEED-CBC') return { label: 'SEED-CBC', family: 'SEED', bits: 128, aead: false, mode: 'CBC' };
  if (s === 'NULL') return { label: 'none', family: 'NULL', aead: false };
  if (s.startsWith('GOST')) return { label: s, family: 'GOST', aead: false };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// IANA names: TLS_<kx>_WITH_<enc>_<mac>, TLS 1.3: TLS_<aead>_<hash>

const IANA_KX: Record<string, { kx: Kx; auth: string; exportGrade?: boolean; export1024?: boolean }> = {
  RSA: { kx: 'RSA', auth: 'RSA' },
  RSA_EXPORT: { kx: 'RSA', auth: 'RSA', exportGrade: true },
  RSA_EXPORT1024: { kx: 'RSA', auth: 'RSA', exportGrade: true, export1024: true },
  DHE_RSA: { kx: 'DHE', auth: 'RSA' },
  DHE_DSS: { kx: 'DHE', auth: 'DSS' },
  DHE_RSA_EXPORT: { kx: 'DHE', auth: 'RSA', exportGrade: true },
  DHE_DSS_EXPORT: { kx: 'DHE', auth: 'DSS', exportGrade: true },
  DHE_DSS_EXPORT1024: { kx: 'DHE', auth: 'DSS', exportGrade: true, export1024: true },
  DH_RSA: { kx: 'DH', auth: 'RSA' },
  DH_DSS: { kx: 'DH', auth: 'DSS' },
  DH_RSA_EXPORT: { kx: 'DH', auth: 'RSA', exportGrade: true },
  DH_DSS_EXPORT: { kx: 'DH', auth: 'DSS', exportGrade: true },
  DH_ANON: { kx: 'DHE', auth: 'none' },
  DH_ANON_EXPORT: { kx: 'DHE', auth: 'none', exportGrade: true },
  ECDHE_RSA: { kx: 'ECDHE', auth: 'RSA' },
  ECDHE_ECDSA: { kx: 'ECDHE', auth: 'ECDSA' },
  ECDHE_PSK: { kx: 'ECDHE-PSK', auth: 'PSK' },
  ECDH_RSA: { kx: 'ECDH', auth: 'RSA' },
  ECDH_ECDSA: { kx: 'ECDH', auth: 'ECDSA' },
  ECDH_ANON: { kx: 'ECDHE', auth: 'none' },
  PSK: { kx: 'PSK', auth: 'PSK' },
  DHE_PSK: { kx: 'DHE-PSK', auth: 'PSK' },
  PSK_DHE: { kx: 'DHE-PSK', auth: 'PSK' },
  RSA_PSK: { kx: 'RSA-PSK', auth: 'RSA' },
  SRP_SHA: { kx: 'SRP', auth: 'SRP' },
  SRP_SHA_RSA: { kx: 'SRP', auth: 'RSA' },
  SRP_SHA_DSS: { kx: 'SRP', auth: 'DSS' },
  KRB5: { kx: 'KRB5', auth: 'KRB5' },
  KRB5_EXPORT: { kx: 'KRB5', auth: 'KRB5', exportGrade: true },
  NULL: { kx: 'NULL', auth: 'none' },
};

function parseIanaEnc(parts: string[], exportGrade: boolean): { enc: Enc; hash?: string } | undefined {
  const p = [...parts];
  let hash: string | undefined;
  const last = p[p.length - 1];
  if (p.length > 1 && (last === 'SHA' || last === 'SHA256' || last === 'SHA384' || last === 'MD5')) {
    hash = last === 'SHA' ? 'SHA1' : last;
    p.pop();
  }
  const s = p.join('_');
  let m: RegExpMatchArray | null;
  if ((m = /^(AES|CAMELLIA|ARIA)_(128|256)_(GCM|CCM_8|CCM|CBC)$/.exec(s))) {
    const family = m[1] as 'AES' | 'CAMELLIA' | 'ARIA';
    const mode = (m[3] === 'CCM_8' ? 'CCM8' : m[3]) as Enc['mode'];
    const aead = mode !== 'CBC';
    return { enc: { label: `${family}-${m[2]}-${mode === 'CCM8' ? 'CCM-8' : mode}`, family, bits: Number(m[2]), aead, mode }, hash };
  }
  if (s === 'CHACHA20_POLY1305') return { enc: { label: 'ChaCha20-Poly1305', family: 'CHACHA20', bits: 256, aead: true, mode: 'POLY1305' }, hash };
  if (s === '3DES_EDE_CBC') return { enc: { label: '3DES-EDE-CBC', family: '3DES', bits: 168, aead: false, mode: 'CBC' }, hash };
  if (s === 'DES_CBC') return { enc: exportGrade ? { label: 'DES-CBC (40-bit export key)', family: 'DES', bits: 40, aead: false, mode: 'CBC' } : { label: 'DES-CBC (56-bit)', family: 'DES', bits: 56, aead: false, mode: 'CBC' }, hash };
  if (s === 'DES40_CBC' || s === 'DES_CBC_40') return { enc: { label: 'DES-CBC (40-bit export key)', family: 'DES', bits: 40, aead: false, mode: 'CBC' }, hash };
  if ((m = /^RC4_(40|56|128)$/.exec(s))) return { enc: { label: `RC4 (${m[1]}-bit${exportGrade ? ' export' : ''})`, family: 'RC4', bits: Number(m[1]), aead: false, mode: 'stream' }, hash };
  if ((m = /^RC2_CBC_(40|56|128)$/.exec(s))) return { enc: { label: `RC2-CBC (${m[1]}-bit${exportGrade ? ' export' : ''})`, family: 'RC2', bits: Number(m[1]), aead: false, mode: 'CBC' }, hash };
  if (s === 'IDEA_CBC') return { enc: { label: 'IDEA-CBC', family: 'IDEA', bits: 128, aead: false, mode: 'CBC' }, hash };
  if (s === 'SEED_CBC') return { enc: { label: 'SEED-CBC', family: 'SEED', bits: 128, aead: false, mode: 'CBC' }, hash };
  if (s === 'NULL') return { enc: { label: 'none', family: 'NULL', aead: false }, hash };
  return undefined;
}

function parseIana(upper: string): Suite | undefined {
  const m = /^(?:TLS|SSL)_([A-Z0-9_]+)$/.exec(upper);
  if (!m) return undefined;
  const body = m[1];
  const w = body.indexOf('_WITH_');
  if (w < 0) {
    // TLS 1.3: TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_CCM_8_SHA256.
    const parts = body.split('_');
    const r = parseIanaEnc(parts, false);
    if (!r || !r.enc.aead || !r.hash) return undefined;
    return { kx: 'TLS13', auth: 'certificate', enc: r.enc, hash: r.hash, exportGrade: false, export1024: false };
  }
  const kxInfo = IANA_KX[body.slice(0, w)];
  if (!kxInfo) return undefined;
  const r = parseIanaEnc(body.slice(w + 6).split('_'), !!kxInfo.exportGrade);
  if (!r) return undefined;
  return { kx: kxInfo.kx, auth: kxInfo.auth, enc: r.enc, hash: r.hash, exportGrade: !!kxInfo.exportGrade, export1024: !!kxInfo.export1024 };
}

// ---------------------------------------------------------------------------------------------
// Verdicts

/** Forward secrecy of a decoded suite: only ephemeral (EC)DHE, their PSK forms and TLS 1.3 count; export grades never. */
export function suiteForwardSecrecy(s: Suite): CipherForwardSecrecy {
  if (s.exportGrade) return 'no';
  switch (s.kx) {
    case 'ECDHE':
    case 'DHE':
    case 'ECDHE-PSK':
    case 'DHE-PSK':
    case 'TLS13':
      return 'yes';
    case 'GOST':
    case 'unknown':
      return 'unknown';
    default:
      return 'no';
  }
}

/** Decodes a cipher suite name (OpenSSL, IANA or TLS 1.3 spelling, any case). */
export function decodeCipherName(name: string): { kind: 'openssl' | 'iana' | 'tls13'; suite: Suite } | undefined {
  const upper = name.toUpperCase();
  if (upper.startsWith('TLS_') || upper.startsWith('SSL_')) {
    const s = parseIana(upper);
    if (s) return { kind: s.kx === 'TLS13' ? 'tls13' : 'iana', suite: s };
  }
  const s = parseOpenSsl(upper);
  return s ? { kind: 'openssl', suite: s } : undefined;
}
