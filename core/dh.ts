/**
 * Reads Diffie-Hellman parameter files (`smtpd_tls_dh1024_param_file` and friends) without
 * openssl: PEM armour, then just enough DER to find the prime. Pure: takes bytes, returns data.
 *
 * Formats (what OpenSSL's PEM_read_DHparams, which Postfix uses, accepts):
 * - `BEGIN DH PARAMETERS`: PKCS#3 `SEQUENCE { INTEGER p, INTEGER g [, INTEGER privateValueLength] }`
 *   (`openssl dhparam`, and `openssl genpkey -genparam -algorithm DH` for RFC 7919 groups);
 * - `BEGIN X9.42 DH PARAMETERS`: `SEQUENCE { INTEGER p, INTEGER g, INTEGER q [, j] [, validation] }`.
 */

/** The PEM labels that hold DH parameters. */
export const DH_PEM_LABELS = ['DH PARAMETERS', 'X9.42 DH PARAMETERS'] as const;

/** What a DH parameter file turned out to be. */
export type DhParseResult =
  /** Usable DH parameters. */
  | {
      kind: 'ok';
      format: 'pkcs3' | 'x9.42';
      /** Size of the prime p in bits (what clients compare against 2048). */
      primeBits: number;
      /** The generator, when it is small enough to print (2 or 5 in practice). */
      generator?: number;
      /** An RFC 7919 group name (`ffdhe2048` ...) when p is one of those primes. */
      namedGroup?: string;
    }
  /** No DH block: `labels` lists the PEM blocks found instead (e.g. `CERTIFICATE`), empty when not PEM at all. */
  | { kind: 'not-dh'; labels: string[]; binary: boolean }
  /** A DH block whose contents cannot be decoded. */
  | { kind: 'malformed'; reason: string };

/** The leading 128 bits every RFC 7919 ffdhe prime starts with (64 one bits, then e's digits). */
const FFDHE_PREFIX = 'ffffffffffffffffadf85458a2bb4a9a';

/** Parses the first DH parameter block of a PEM file. Never throws. */
export function parseDhParams(data: Buffer | string): DhParseResult {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  // A NUL byte early on means binary (DER, compressed ...): PEM is text.
  const head = buf.subarray(0, 4096);
  const binary = head.includes(0);
  const text = buf.toString('latin1');
  const blocks = pemBlocks(text);
  const dh = blocks.find((b) => (DH_PEM_LABELS as readonly string[]).includes(b.label));
  if (!dh) return { kind: 'not-dh', labels: [...new Set(blocks.map((b) => b.label))], binary };
  const format = dh.label === 'DH PARAMETERS' ? 'pkcs3' : 'x9.42';
  const der = decodeBase64(dh.body);
  if (!der) return { kind: 'malformed', reason: 'the text between the BEGIN and END lines is not valid base64' };
  try {
    const outer = readTlv(der, 0);
    if (outer.tag !== 0x30) return { kind: 'malformed', reason: 'the data does not start with an ASN.1 SEQUENCE' };
    const p = readTlv(der, outer.contentStart);
    if (p.tag !== 0x02) return { kind: 'malformed', reason: 'the prime is not an ASN.1 INTEGER' };
    const g = readTlv(der, p.end);
    if (g.tag !== 0x02) return { kind: 'malformed', reason: 'the generator is not an ASN.1 INTEGER' };
    if (p.end > outer.end || g.end > outer.end) return { kind: 'malformed', reason: 'the integers run past the end of the SEQUENCE' };
    const prime = der.subarray(p.contentStart, p.end);
    if (prime.length === 0 || (prime[0] & 0x80) !== 0) return { kind: 'malformed', reason: 'the prime is not a positive integer' };
    const primeBits = bitLength(prime);
    if (primeBits < 2) return { kind: 'malformed', reason: 'the prime is zero or one' };
    const generator = smallInt(der.subarray(g.contentStart, g.end));
    const result: DhParseResult = { kind: 'ok', format, primeBits };
    if (generator !== undefined) result.generator = generator;
    const hex = stripLeadingZeros(prime).toString('hex');
    if (hex.startsWith(FFDHE_PREFIX) && [2048, 3072, 4096, 6144, 8192].includes(primeBits)) result.namedGroup = `ffdhe${primeBits}`;
    return result;
  } catch (err) {
    return { kind: 'malformed', reason: err instanceof Error ? err.message : String(err) };
  }
}

interface PemBlock {
  label: string;
  body: string;
}

/**
 * How many BEGIN markers the scan examines. Real files hold one to a few blocks (a chain plus
 * parameters); a hostile file of nothing but BEGIN lines must not cost more than a few scans.
 */
const MAX_BEGIN_MARKERS = 256;

/** Characters a PEM label may contain here (as the former pattern `[A-Z0-9 .#-]{1,64}`). */
function isLabelChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x20 || c === 0x2e || c === 0x23 || c === 0x2d;
}

/**
 * All `-----BEGIN X-----` ... `-----END X-----` blocks, in order (each BEGIN pairs with the first
 * matching END after it). Found with indexOf rather than a backtracking pattern, which was
 * quadratic on a file of unmatched BEGIN lines; a label whose END was not found is remembered,
 * because searching again from a later BEGIN cannot find it either.
 */
function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const BEGIN = '-----BEGIN ';
  const DASHES = '-----';
  const noEnd = new Set<string>();
  let from = 0;
  for (let examined = 0; examined < MAX_BEGIN_MARKERS; examined++) {
    const begin = text.indexOf(BEGIN, from);
    if (begin < 0) break;
    const labelStart = begin + BEGIN.length;
    // The longest run of label characters (64 plus the closing dashes, which are label characters too).
    let run = 0;
    while (run < 64 + DASHES.length && labelStart + run < text.length && isLabelChar(text.charCodeAt(labelStart + run))) run++;
    let next = begin + 1;
    // Like the pattern: the longest label followed by five dashes whose END exists, then shorter ones.
    for (let len = Math.min(run, 64); len >= 1; len--) {
      if (!text.startsWith(DASHES, labelStart + len)) continue;
      const label = text.slice(labelStart, labelStart + len);
      if (noEnd.has(label)) continue;
      const bodyStart = labelStart + len + DASHES.length;
      const endMarker = `-----END ${label}-----`;
      const end = text.indexOf(endMarker, bodyStart);
      if (end < 0) {
        noEnd.add(label);
        continue;
      }
      out.push({ label, body: text.slice(bodyStart, end) });
      next = end + endMarker.length;
      break;
    }
    from = next;
  }
  return out;
}

/** Strict base64 (RFC 7468 armour): undefined for anything but base64 and white space. Header lines (`Key: value`) are skipped. */
function decodeBase64(body: string): Buffer | undefined {
  const lines = body.split(/\r?\n/).filter((l) => !/^[A-Za-z-]+:/.test(l.trim()));
  const b64 = lines.join('').replace(/\s+/g, '');
  if (b64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return undefined;
  return Buffer.from(b64, 'base64');
}

interface Tlv {
  tag: number;
  contentStart: number;
  end: number;
}

/** One DER tag-length-value at `offset`; throws on truncation. */
function readTlv(der: Buffer, offset: number): Tlv {
  if (offset + 2 > der.length) throw new Error('the data ends too early');
  const tag = der[offset];
  let len = der[offset + 1];
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported ASN.1 length encoding');
    if (pos + n > der.length) throw new Error('the data ends too early');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[pos + i];
    pos += n;
  }
  if (pos + len > der.length) throw new Error('the data ends too early');
  return { tag, contentStart: pos, end: pos + len };
}

function stripLeadingZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function bitLength(b: Buffer): number {
  const s = stripLeadingZeros(b);
  let first = s[0];
  let bits = 0;
  while (first > 0) {
    bits++;
    first >>= 1;
  }
  return (s.length - 1) * 8 + bits;
}

function smallInt(b: Buffer): number | undefined {
  const s = stripLeadingZeros(b);
  if (s.length > 4) return undefined;
  let v = 0;
  for (const x of s) v = v * 256 + x;
  return v;
}
