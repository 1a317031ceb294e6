/**
 * The ONE log classifier: every TLS-related Postfix log line (and folded Received: header)
 * becomes a LogRecord. Decorations, hovers, the CLI and reports all call this; no other module
 * carries a pattern for these formats.
 *
 * Design rules (the report engine runs this over logs of hundreds of MB):
 * - a cheap indexOf pre-check rejects lines that cannot be about TLS (mightBeTls), and
 *   mayHoldRecord those that cannot give a record (the report reader and LogFolder skip them);
 * - scanning is indexOf-based; the few regular expressions are sticky (`y`), anchored at a
 *   known position (but RE_PLAIN_ANCHOR, a search for literal phrases), and have no nested or
 *   adjacent overlapping quantifiers, so the work is linear in the scanned length;
 * - the envelope of the commonest lines is read without most of the expressions
 *   (scanCommonPrefix), and what repeats from line to line (host and program names, protocol
 *   and cipher names, forward-secrecy verdicts) is reused instead of being made again;
 * - at most MAX_SCAN_LENGTH characters of a line are looked at, whatever its length;
 * - it never throws: a line it does not understand is `other`.
 * Format facts: shared/reference/postfix/logformats.md (summary lines of Postfix 2.2 to 3.12,
 * Received: comment, failure lines) and fs-ciphers.md (forward-secrecy rules).
 */
import type {
  ClientCertificate,
  FailureCause,
  FailureKind,
  ForwardSecrecy,
  KeyExchange,
  LogRecord,
  Peer,
  Signature,
  StatusWord,
  TlsFeature,
} from './record';
import { decodeCipherName, suiteForwardSecrecy, type Kx } from '../cipher-suite';

/** Characters of a line (or of a joined folded header) that are looked at. Real lines are < 8 KiB. */
export const MAX_SCAN_LENGTH = 16 * 1024;
/** A folded record (Received: header, wrapped summary) spans at most this many physical lines. */
export const MAX_FOLD_LINES = 20;

/**
 * ASCII substrings one of which every line the classifier can report contains (except the
 * continuation lines of a folded header, which follow a `Received:` line). Callers that filter
 * raw bytes before classifying (core/log/lines.ts `needles` with `withContinuations`) use this.
 */
export const PREFILTER_NEEDLES: readonly string[] = Object.freeze(['TLS', 'SSL', 'tls', 'ertificate', 'Received:']);

/**
 * Cheap check: can this line be a TLS record on its own? False means classifyLine returns
 * `other` (folded-header continuation lines are judged by classifyRange/LogFolder instead).
 */
export function mightBeTls(line: string): boolean {
  return line.indexOf('TLS') >= 0 || line.indexOf('SSL') >= 0 || line.indexOf('tls') >= 0 || line.indexOf('ertificate') >= 0;
}

/**
 * The words of mightBeTls: a line holding none of them is never a record on its own. For
 * readers that search raw bytes (core/log/lines.ts `select`).
 */
export const TLS_WORDS: readonly string[] = Object.freeze(['TLS', 'SSL', 'tls', 'ertificate']);

/**
 * Cheap check: can classifyLine(line) be a record worth reporting (kind other than `other`, or
 * a `tls=` field) or a summary cut short? False means it cannot (whatever prefix of the line is
 * classified). Such a line holds a TLS word (mightBeTls), is no other program's line, and
 * holds one of the phrases the parsers below look for: `TLS connection ` and the other
 * `TLS ...` phrases, `TLSRPT`, `TLSA`, `Cannot start TLS`, `SSL_... error`, `ertificate ` (for
 * `certificate verification failed`, `certificate not verified|trusted`), `, tls=`,
 * `tlsproxy handshake failed`, and RE_PLAIN_ANCHOR: `(using `, `no shared cipher`, `unusable`,
 * `No server certs available`, `cannot load `/`cannot get `. Most lines with a TLS word have
 * none (`starttls=1` of disconnect lines, dovecot's TLS lines, `setting up TLS connection`).
 * KEEP IN STEP with parseSummary, parseReceived, parseUsing, parseFailure, parseTlsFeature: a
 * phrase they look for that is not covered here is never reported from a log file.
 */
export function mayHoldRecord(line: string): boolean {
  const s = line;
  // The phrases with a TLS word are recognised where the word is (few occurrences); a record
  // line is mostly found so at its first `TLS`.
  let any = false;
  let checkedProgram = false;
  let k = s.indexOf('TLS');
  if (k >= 0) {
    any = true;
    do {
      // `TLS ...` phrases, `TLSRPT`, `TLSA`, `Cannot start TLS`.
      const c = charAt(s, k + 3);
      if (c === 32 || c === 82 || c === 65 || (k >= 13 && s.startsWith('Cannot start ', k - 13))) return true;
      k = s.indexOf('TLS', k + 3);
    } while (k >= 0);
    // classifyLine returns `other` at once for another program's line (dovecot says TLS too).
    if (s.length <= MAX_SCAN_LENGTH && isOtherProgramsLine(s)) return false;
    checkedProgram = true;
  }
  k = s.indexOf('SSL');
  if (k >= 0) {
    any = true;
    do {
      if (charAt(s, k + 3) === 95) return true; // `SSL_accept error` etc.
      k = s.indexOf('SSL', k + 3);
    } while (k >= 0);
  }
  k = s.indexOf('tls');
  if (k >= 0) {
    any = true;
    do {
      if (charAt(s, k + 3) === 61 && k >= 2 && s.charCodeAt(k - 1) === 32 && s.charCodeAt(k - 2) === CH_COMMA) return true; // `, tls=`
      if (s.startsWith('tlsproxy handshake failed', k)) return true;
      k = s.indexOf('tls', k + 3);
    } while (k >= 0);
  }
  k = s.indexOf('ertificate');
  if (k >= 0) {
    any = true;
    do {
      if (charAt(s, k + 10) === 32) return true; // `certificate verification failed`, `certificate not ...`
      k = s.indexOf('ertificate', k + 10);
    } while (k >= 0);
  }
  // What is left must be read in the whole line: do it for Postfix's lines only.
  return any && (checkedProgram || !(s.length <= MAX_SCAN_LENGTH && isOtherProgramsLine(s))) && RE_PLAIN_ANCHOR.test(s);
}

// ---------------------------------------------------------------------------------------------
// Regular expressions. All sticky and applied at a known offset; none has a quantified group
// containing another quantifier. test/unit/log/linearity.test.ts runs each on adversarial input.

/** docker compose `service  | ` prefix. */
const RE_COMPOSE = /[A-Za-z0-9][\w.-]{0,200} *\| /y;
/** kubectl logs --prefix `[pod/name/container] `. */
const RE_KUBE_PREFIX = /\[pod\/[^\]\s]{1,300}\] /y;
/** A host column (scanCommonPrefix): a lower-case letter, tag characters, then a space. */
const RE_HOST_TOKEN = /[a-z][\w.\/@-]{0,200} /y;
/** The name part of RE_TAG. */
const RE_TAG_NAME = /[A-Za-z0-9_][\w.\/@-]{0,200}/y;
/** RFC 5424/3164 priority `<22>` and the RFC 5424 version `1 `. */
const RE_PRI = /<\d{1,3}>(1 )?/y;
/** RFC 3339 / ISO 8601 (rsyslog high precision, journalctl -o short-iso, container runtimes). */
const RE_ISO = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d{1,9})?)?(?:Z|[+-]\d\d(?::?\d\d)?)?(?= |$)/y;
/** Classic BSD syslog `Nov 28 12:00:00` (also with fractional seconds, journalctl short-precise). */
const RE_BSD = /[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d(?:\.\d{1,9})?(?= |$)/y;
/** journalctl -o short-full `Thu 2024-01-02 03:04:05 CET`. */
const RE_FULL = /[A-Z][a-z]{2} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?: [A-Za-z]{2,5}| [+-]\d{4})?(?= |$)/y;
/** journalctl -o short-monotonic `[ 1234.567890]`. */
const RE_MONO = /\[ {0,12}\d{1,12}\.\d{1,9}\](?= |$)/y;
/** journalctl -o short-unix `1704164645.123456`. */
const RE_UNIX = /\d{9,11}\.\d{1,9}(?= )/y;
/** CRI (kubernetes node) log stream column after the timestamp. */
const RE_CRI = /(?:stdout|stderr) [FP] /y;
/** Program tag `postfix/smtpd[123]:` / `posttls-finger:`; pid may be a placeholder word. */
const RE_TAG = /([A-Za-z0-9_][\w.\/@-]{0,200})(?:\[(\d{1,10}|[A-Za-z_-]{1,20})\])?:(?= |$)/y;
/** Bracketed tag seen in some pasted logs: `[postfix/smtpd] `. */
const RE_BRACKET_TAG = /\[([A-Za-z0-9_][\w.@-]{0,60}\/[\w.\/@-]{1,200})\](?= )/y;
/** Severity inside the message (`warning: `). */
const RE_MSG_SEVERITY = /(warning|error|fatal|panic|info): /y;
/** Queue id at the start of a message: short hex ids, long ids (enable_long_queue_ids), NOQUEUE. */
const RE_QUEUE_ID = /(NOQUEUE|[0-9A-F]{6,14}|[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,20}): /y;
/** `(256/256 bits)`, `(256 bits)` or `256/256 bits` after the cipher name. */
const RE_BITS = /\(?(\d{1,6})(?:\/(\d{1,6}))? bits\)?/y;
/** `syslog facility.severity` column (e.g. `mail.info`). */
const RE_FACILITY_SEVERITY =
  /^(?:kern|user|mail|daemon|auth|authpriv|syslog|lpr|news|uucp|cron|ftp|local[0-7])\.(?:emerg|alert|crit|err|error|warning|warn|notice|info|debug)$/i;
/** A bare severity column (`INFO`, `warning`, ...). */
const RE_SEVERITY_WORD = /^(?:emerg|alert|crit|critical|err|error|warn|warning|notice|info|debug|fatal|panic)$/i;
/** `(2048 bits)` detail of a key exchange. */
const RE_KEX_BITS = /^(\d{1,6}) bits?$/;

/** A pid (digits only; placeholders such as `process-id` are not pids). */
const RE_PID = /^\d{1,10}$/;
/** `:25` after `name[addr]`. */
const RE_PORT = /^:\d{1,5}$/;
/** `mail.` of a `mail.info` severity column. */
const RE_FACILITY_PREFIX = /^[a-z0-9]+\./;
/** TLS 1.3 cipher suite names (no key exchange in the name). */
const RE_TLS13_SUITE = /^TLS_(?:AES|CHACHA20|SM4)_/;
/** A protocol token without the cipher part. */
const RE_PROTOCOL = /^(?:TLSv|SSLv)/;
/** Runs of spaces (some copies double them). */
const RE_MULTI_SPACE = / {2,}/g;
/** `?` / `!` marks of the tls= feature field. */
const RE_FEATURE_MARKS = /[?!]/g;

/** The record phrases without a TLS word in them (see mayHoldRecord). */
const RE_PLAIN_ANCHOR = /\(using |no shared cipher|unusable|No server certs available|cannot (?:load|get) /;

/** Every regular expression of the classifier, for the linearity audit. */
export const CLASSIFIER_PATTERNS: Readonly<Record<string, RegExp>> = Object.freeze({
  RE_COMPOSE,
  RE_KUBE_PREFIX,
  RE_PRI,
  RE_ISO,
  RE_BSD,
  RE_FULL,
  RE_MONO,
  RE_UNIX,
  RE_CRI,
  RE_TAG,
  RE_BRACKET_TAG,
  RE_MSG_SEVERITY,
  RE_QUEUE_ID,
  RE_BITS,
  RE_FACILITY_SEVERITY,
  RE_SEVERITY_WORD,
  RE_KEX_BITS,
  RE_PID,
  RE_PORT,
  RE_FACILITY_PREFIX,
  RE_TLS13_SUITE,
  RE_PROTOCOL,
  RE_MULTI_SPACE,
  RE_FEATURE_MARKS,
  RE_PLAIN_ANCHOR,
  RE_HOST_TOKEN,
  RE_TAG_NAME,
});

/** Runs a sticky regex at `pos`; null when it does not match there. */
function execAt(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

// ---------------------------------------------------------------------------------------------
// Prefix

interface Prefix {
  timestamp?: string;
  host?: string;
  daemon?: string;
  pid?: number;
  severity?: string;
  /** Where the Postfix message starts. */
  messageOffset: number;
  /** True when a timestamp or program tag was recognised (a new log line, not a continuation). */
  isLogLine: boolean;
}

/**
 * s.charCodeAt(i), or -1 past the end (where charCodeAt gives NaN: the same for every test
 * made on it here). Hot code reads past the end of short lines now and then; an out-of-bounds
 * charCodeAt throws optimised code away (and it is compiled again), this does not.
 */
function charAt(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

function skipSpaces(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

function matchTimestamp(s: string, i: number): string | undefined {
  const c = charAt(s, i);
  let m: RegExpExecArray | null = null;
  if (c >= 48 && c <= 57) m = execAt(RE_ISO, s, i) ?? execAt(RE_UNIX, s, i);
  else if (c >= 65 && c <= 90) m = execAt(RE_BSD, s, i) ?? execAt(RE_FULL, s, i);
  else if (c === 91) m = execAt(RE_MONO, s, i);
  return m ? m[0] : undefined;
}

function isSeverityToken(tok: string): boolean {
  return RE_SEVERITY_WORD.test(tok) || RE_FACILITY_SEVERITY.test(tok);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The last few host names and program tags seen, with what is known about them: a line naming
 * one of them reuses that string (no new allocation) and its checks. Lines of a few programs
 * interleave, so a single entry would miss half of the time.
 */
class NameCache {
  readonly names: string[] = [];
  /** Is a severity word (isSeverityToken); a Postfix program (isPostfixDaemon), -1: not known yet. */
  readonly severity: boolean[] = [];
  readonly postfix: number[] = [];
  private next = 0;
  constructor(private readonly size: number) {}

  /** Index of the entry for s[i, e), added if missing. */
  find(s: string, i: number, e: number): number {
    const names = this.names;
    const len = e - i;
    for (let k = 0; k < names.length; k++) if (names[k].length === len && s.startsWith(names[k], i)) return k;
    return this.add(s.slice(i, e));
  }

  /** (Rare: kept out of find, so the code compiled for every line stays small.) */
  private add(name: string): number {
    const names = this.names;
    const k = names.length < this.size ? names.length : this.next;
    this.next = (k + 1) % this.size;
    names[k] = name;
    this.severity[k] = isSeverityToken(name);
    this.postfix[k] = -1;
    return k;
  }
}

const hostNames = new NameCache(4);
const tagNames = new NameCache(8);
// What scanCommonPrefix found: end of the timestamp, host and tag (entries of the caches), the
// pid (-1: none), the message start.
let commonTsEnd = 0;
let commonHost = 0;
let commonTag = 0;
let commonPid = -1;
let commonMessage = 0;

/**
 * Recognises the commonest envelope, `Nov 28 12:00:00 mail postfix/smtpd[123]: ` (classic
 * syslog time, a host starting with a lower-case letter, a program tag with a numeric pid or
 * none) with three expression tests instead of the general parse's dozen, allocating nothing.
 * False for anything else (then the general parse decides). When true, parsePrefix's general
 * parse would give what parseCommonPrefix builds: the checks below are the ones its
 * expressions make on such a line. Results in common* (host and tag: entries of hostNames and
 * tagNames).
 */
function scanCommonPrefix(s: string, start: number): boolean {
  // The same line is often scanned twice in a row (mayHoldRecord, then classifyLine): the
  // results of the last scan are still in common* and the caches (nothing ran in between).
  if (s === lastScanned && start === lastScanStart) return lastScanResult;
  lastScanned = s;
  lastScanStart = start;
  lastScanResult = false;
  return (lastScanResult = scanCommonPrefixOnce(s, start));
}
let lastScanned: string | undefined;
let lastScanStart = -1;
let lastScanResult = false;

function scanCommonPrefixOnce(s: string, start: number): boolean {
  // RE_BSD (what matchTimestamp tries first for a line starting with an upper-case letter); a
  // line starting so is no container prefix or PRI. test(), not exec(): nothing allocated.
  RE_BSD.lastIndex = start;
  if (!RE_BSD.test(s)) return false;
  commonTsEnd = RE_BSD.lastIndex;
  // Host: starts with a lower-case letter (so no second timestamp), is no CRI stream column,
  // and ends at a space (so it is no program tag).
  let i = skipSpaces(s, commonTsEnd);
  RE_HOST_TOKEN.lastIndex = i;
  if (!RE_HOST_TOKEN.test(s) || s.startsWith('std', i)) return false;
  const q = RE_HOST_TOKEN.lastIndex - 1;
  const host = hostNames.find(s, i, q);
  if (hostNames.severity[host]) return false;
  // RE_TAG: `name[123]:` (a pid of digits) or `name:`, followed by a space or the end.
  i = skipSpaces(s, q);
  RE_TAG_NAME.lastIndex = i;
  if (!RE_TAG_NAME.test(s)) return false;
  const r = RE_TAG_NAME.lastIndex;
  const n = s.length;
  let e = r; // then the index of the tag's colon
  let pid = -1;
  if (charAt(s, r) === 91) {
    e = r + 1;
    pid = 0;
    for (let c = charAt(s, e); c >= 48 && c <= 57 && e - r <= 11; c = charAt(s, ++e)) pid = pid * 10 + (c - 48);
    if (e === r + 1 || e - r > 11 || charAt(s, e) !== 93) return false;
    e++;
  }
  if (charAt(s, e) !== 58 || (e + 1 < n && s.charCodeAt(e + 1) !== 32)) return false;
  const tag = tagNames.find(s, i, r);
  if (pid < 0) {
    // No pid: a tag only if it names a path, posttls-finger, or is no severity word (after a
    // timestamp and a host, as here).
    const name = tagNames.names[tag];
    if (tagNames.severity[tag] && name.indexOf('/') < 0 && name !== 'posttls-finger') return false;
  }
  commonHost = host;
  commonTag = tag;
  commonPid = pid;
  commonMessage = skipSpaces(s, e + 1);
  return true;
}

/** parsePrefix of a line with the commonest envelope (see scanCommonPrefix), else undefined. */
function parseCommonPrefix(s: string, start: number): Prefix | undefined {
  if (!scanCommonPrefix(s, start)) return undefined;
  const out: Prefix = { messageOffset: commonMessage, isLogLine: true };
  out.timestamp = s.slice(start, commonTsEnd);
  out.daemon = tagNames.names[commonTag];
  if (commonPid >= 0) out.pid = commonPid;
  out.host = hostNames.names[commonHost];
  return out;
}

/** Does the line start with the commonest envelope (scanCommonPrefix) naming another program than Postfix? */
function isOtherProgramsLine(s: string): boolean {
  if (!scanCommonPrefix(s, skipSpaces(s, 0))) return false;
  const postfix = tagNames.postfix;
  if (postfix[commonTag] < 0) postfix[commonTag] = isPostfixDaemon(tagNames.names[commonTag]) ? 1 : 0;
  return postfix[commonTag] === 0;
}

/** Reads the line envelope: container prefix, timestamp, host, severity, program tag. */
function parsePrefix(s: string): Prefix {
  let i = skipSpaces(s, 0);
  const common = parseCommonPrefix(s, i);
  if (common !== undefined) return common;
  // A folded Received: header joined into one line: no envelope (what the general parse finds
  // too: `Received:` is neither a timestamp nor a valid tag, nor a host without a timestamp).
  if (s.startsWith('Received: ', i)) return { messageOffset: i, isLogLine: false };
  const out: Prefix = { messageOffset: 0, isLogLine: false };
  const compose = execAt(RE_COMPOSE, s, i) ?? execAt(RE_KUBE_PREFIX, s, i);
  if (compose) i = skipSpaces(s, i + compose[0].length);
  const pri = execAt(RE_PRI, s, i);
  const rfc5424 = !!(pri && pri[1]);
  if (pri) i += pri[0].length;
  const afterContainer = i;
  let ts = matchTimestamp(s, i);
  if (ts !== undefined) {
    i = skipSpaces(s, i + ts.length);
    const cri = execAt(RE_CRI, s, i);
    if (cri) i = skipSpaces(s, i + cri[0].length);
    // A second timestamp (kubectl --timestamps, CRI logs): the application's own one counts.
    const inner = matchTimestamp(s, i);
    if (inner !== undefined) {
      ts = inner;
      i = skipSpaces(s, i + inner.length);
    }
    out.timestamp = ts;
    out.isLogLine = true;
  }
  const afterTimestamp = i;

  if (rfc5424 && ts !== undefined) {
    // <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG
    const fields: string[] = [];
    let p = i;
    for (let k = 0; k < 4 && p < s.length; k++) {
      const sp = s.indexOf(' ', p);
      if (sp < 0) break;
      fields.push(s.slice(p, sp));
      p = sp + 1;
    }
    if (fields.length === 4) {
      if (fields[0] !== '-') out.host = fields[0];
      if (fields[1] !== '-') out.daemon = fields[1];
      if (RE_PID.test(fields[2])) out.pid = Number(fields[2]);
      // Structured data: `-` or `[...]` groups.
      if (charAt(s, p) === 45) p = skipSpaces(s, p + 1);
      else if (charAt(s, p) === 91) {
        const close = s.indexOf('] ', p);
        p = close < 0 ? s.length : close + 2;
      }
      out.messageOffset = p;
      return out;
    }
  }

  // Up to three tokens: [host] [severity] tag  (in either order for host/severity).
  let host: string | undefined;
  let severity: string | undefined;
  for (let t = 0; t < 3 && i < s.length; t++) {
    const bracket = execAt(RE_BRACKET_TAG, s, i);
    if (bracket) {
      out.daemon = bracket[1];
      out.messageOffset = skipSpaces(s, i + bracket[0].length);
      out.isLogLine = true;
      break;
    }
    const tag = execAt(RE_TAG, s, i);
    if (tag) {
      const name = tag[1];
      const hasPid = tag[2] !== undefined;
      const valid =
        hasPid ||
        name.indexOf('/') >= 0 ||
        name === 'posttls-finger' ||
        (ts !== undefined && t >= 1 && !isSeverityToken(name));
      if (valid) {
        out.daemon = name;
        if (hasPid && RE_PID.test(tag[2])) out.pid = Number(tag[2]);
        out.messageOffset = skipSpaces(s, i + tag[0].length);
        out.isLogLine = true;
        break;
      }
    }
    // Not a tag: a host or severity column (only meaningful after a timestamp or as severity).
    const sp = s.indexOf(' ', i);
    if (sp < 0) break;
    const tok = s.slice(i, sp);
    if (isSeverityToken(tok) && severity === undefined) severity = tok;
    else if (ts !== undefined && host === undefined && t < 2) host = tok;
    else break;
    i = skipSpaces(s, sp);
  }
  if (out.daemon !== undefined) {
    if (host !== undefined) out.host = host;
    if (severity !== undefined) out.severity = severity.toLowerCase().replace(RE_FACILITY_PREFIX, '');
  } else {
    // No program tag: the message starts after the timestamp (or the container prefix).
    out.messageOffset = ts !== undefined ? afterTimestamp : afterContainer;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Small scanners

const CH_COMMA = 44;
const CH_CLOSE = 41;
const CH_SEMI = 59;
const CH_COLON = 58;

/** End of the run of ASCII letters and digits starting at i, looking at most `max` characters. */
function alnumEnd(s: string, i: number, max: number): number {
  const lim = Math.min(s.length, i + max);
  let e = i;
  while (e < lim) {
    const c = s.charCodeAt(e);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) break;
    e++;
  }
  return e;
}

/** End of the token starting at i: the first space/tab (or stop character `a`/`b`), capped. */
function tokenEnd(s: string, i: number, a = -1, b = -1): number {
  const lim = Math.min(s.length, i + 1024);
  let e = i;
  while (e < lim) {
    const c = s.charCodeAt(e);
    if (c === 32 || c === 9 || c === a || c === b) break;
    e++;
  }
  return e;
}

/**
 * `name[address]:port`, `name[address]`, or a bare `name`: the token s[i, end), read in place
 * (no copy of the token; the last `]` found by a loop: lastIndexOf is a slow call).
 */
function parseNamaddr(s: string, i: number, end: number): Peer | undefined {
  if (end <= i) return undefined;
  let b = s.indexOf('[', i);
  if (b >= end) b = -1;
  let e = end - 1;
  while (e >= i && s.charCodeAt(e) !== 93) e--;
  if (b < 0 || e < b) return { name: s.slice(i, end) };
  const peer: Peer = { name: s.slice(i, b), address: s.slice(b + 1, e) };
  // `:port` to the end of the token (RE_PORT).
  const digits = end - e - 2;
  if (digits >= 1 && digits <= 5 && s.charCodeAt(e + 1) === 58) {
    let port = 0;
    for (let k = e + 2; k < end; k++) {
      const c = s.charCodeAt(k);
      if (c < 48 || c > 57) return peer;
      port = port * 10 + (c - 48);
    }
    peer.port = port;
  }
  return peer;
}

/** Longest bracketed name with spaces taken as one peer (`[next hop]`, a placeholder in copied logs). */
const MAX_SPACED_BRACKET = 64;

/**
 * The peer token starting at i (up to a space or comma), without trailing `:`, `)`, `,`, `;`.
 * Postfix's own `name[address]` has no spaces, but logs pasted into tickets replace it by
 * placeholders like `[next hop]`: a `[` left open at the space is closed by a `]` at most
 * MAX_SPACED_BRACKET characters on (a bounded look, so the work per line stays constant).
 */
function peerAt(s: string, i: number): Peer | undefined {
  let e = tokenEnd(s, i, CH_COMMA);
  if (charAt(s, e) === 32) {
    // The last bracket of the token, if it is still open.
    let open = e - 1;
    while (open >= i && s.charCodeAt(open) !== 91 && s.charCodeAt(open) !== 93) open--;
    if (open >= i && s.charCodeAt(open) === 91) {
      const lim = Math.min(s.length, e + MAX_SPACED_BRACKET);
      for (let k = e + 1; k < lim; k++) {
        const c = s.charCodeAt(k);
        if (c === 91 || c === CH_COMMA || c === 9) break;
        if (c === 93) {
          e = tokenEnd(s, k, CH_COMMA);
          break;
        }
      }
    }
  }
  while (e > i) {
    const c = s.charCodeAt(e - 1);
    if (c !== CH_COLON && c !== CH_CLOSE && c !== CH_SEMI && c !== CH_COMMA) break;
    e--;
  }
  return parseNamaddr(s, i, e);
}

/** `(...)` starting at i (s[i] === '('), without nesting; the inner text or undefined. */
function parenAt(s: string, i: number, max = 200): { inner: string; end: number } | undefined {
  if (charAt(s, i) !== 40) return undefined;
  const close = s.indexOf(')', i + 1);
  if (close < 0 || close - i > max) return undefined;
  return { inner: s.slice(i + 1, close), end: close + 1 };
}

// ---------------------------------------------------------------------------------------------
// Forward secrecy

interface FsVerdict {
  fs: ForwardSecrecy;
  reason: string;
  inferred?: string;
}

/** The key exchange shown for a decoded TLS <= 1.2 suite (`logged: false`); none where it says nothing useful. */
const INFERRED_KX: Partial<Record<Kx, string>> = {
  ECDHE: 'ECDHE',
  DHE: 'DHE',
  'ECDHE-PSK': 'ECDHE',
  'DHE-PSK': 'DHE',
  ECDH: 'ECDH',
  DH: 'DH',
  RSA: 'RSA',
  'RSA-PSK': 'RSA',
  PSK: 'PSK',
  SRP: 'SRP',
  KRB5: 'KRB5',
};

/** fsReason of the non-forward-secret key exchanges (static ones, and none at all). */
const NO_FS_REASONS: Partial<Record<Kx, string>> = {
  RSA: 'static-rsa',
  'RSA-PSK': 'static-rsa',
  ECDH: 'static-ecdh',
  DH: 'static-dh',
  PSK: 'psk',
  SRP: 'srp',
  KRB5: 'static-krb5',
  NULL: 'no-kx',
};

/** A name the cipher tables cannot decode: nothing is guessed about it. */
const UNKNOWN_CIPHER: FsVerdict = Object.freeze({ fs: 'unknown', reason: 'unknown-cipher' }) as FsVerdict;

/**
 * Forward secrecy from the cipher name alone (TLS <= 1.2 lines carry no key-exchange
 * attribute), read with the cipher tables of core/cipher-suite.ts so that a log verdict and an
 * explanation of the same name always agree. A name they cannot decode gets `unknown` (and no
 * key exchange), never a guess: only a known suite without an ephemeral prefix is static RSA.
 */
export function cipherForwardSecrecy(cipher: string): FsVerdict {
  const up = cipher.toUpperCase();
  // TLS 1.3 suites, even ones newer than the tables: TLS 1.3 has ephemeral exchanges only.
  if (RE_TLS13_SUITE.test(up)) return { fs: 'yes', reason: 'tls13-cipher' };
  const decoded = decodeCipherName(up);
  if (decoded === undefined) return UNKNOWN_CIPHER;
  const s = decoded.suite;
  const inferred = INFERRED_KX[s.kx];
  if (s.exportGrade) return { fs: 'no', reason: 'export', inferred: s.kx === 'DHE' ? 'DHE' : (inferred ?? 'RSA') };
  const fs = suiteForwardSecrecy(s);
  if (fs === 'yes') {
    if (s.kx === 'TLS13') return { fs, reason: 'tls13-cipher' };
    // The reason names the prefix as written (`EDH`, `ADH`, `AECDH` ...): the hover explains it.
    const dash = up.indexOf('-');
    const reason = decoded.kind === 'openssl' ? `cipher-prefix:${dash < 0 ? up : up.slice(0, dash)}` : `cipher:${inferred ?? s.kx}`;
    return { fs, reason, inferred };
  }
  const reason = fs === 'no' ? NO_FS_REASONS[s.kx] : undefined;
  if (reason === undefined) return UNKNOWN_CIPHER;
  return inferred !== undefined ? { fs: 'no', reason, inferred } : { fs: 'no', reason };
}

/** True for post-quantum / hybrid group names (ML-KEM, and its Kyber predecessors). */
export function isPostQuantumGroup(name: string): boolean {
  const up = name.toUpperCase();
  return up.indexOf('MLKEM') >= 0 || up.indexOf('ML-KEM') >= 0 || up.indexOf('KYBER') >= 0;
}

// Logs name few distinct ciphers and groups: their verdicts and reason strings are kept
// (bounded: cleared when full) instead of being worked out again on every line.
const CACHE_LIMIT = 512;
const cipherVerdicts = new Map<string, FsVerdict>();
const kexReasons = new Map<string, string>();

function cachedCipherVerdict(cipher: string): FsVerdict {
  let v = cipherVerdicts.get(cipher);
  if (v === undefined) {
    if (cipherVerdicts.size >= CACHE_LIMIT) cipherVerdicts.clear();
    v = cipherForwardSecrecy(cipher);
    cipherVerdicts.set(cipher, v);
  }
  return v;
}

function kexReason(name: string): string {
  let r = kexReasons.get(name);
  if (r === undefined) {
    if (kexReasons.size >= CACHE_LIMIT) kexReasons.clear();
    r = `key-exchange:${name}`;
    kexReasons.set(name, r);
  }
  return r;
}

/** proto.toUpperCase() === 'TLSV1.3', without an upper-case copy of every (ASCII) protocol name. */
function isTls13(proto: string): boolean {
  const n = proto.length;
  for (let i = 0; i < n; i++) if (proto.charCodeAt(i) > 127) return proto.toUpperCase() === 'TLSV1.3'; // special casings
  if (n !== 7) return false;
  for (let i = 0; i < 7; i++) {
    const c = proto.charCodeAt(i);
    if ((c >= 97 && c <= 122 ? c - 32 : c) !== 'TLSV1.3'.charCodeAt(i)) return false;
  }
  return true;
}

/** Fills forwardSecrecy, fsReason, postQuantum and an inferred key exchange. */
function judge(rec: LogRecord): void {
  const proto = rec.protocol;
  const kex = rec.keyExchange;
  if (kex && kex.logged) rec.postQuantum = isPostQuantumGroup(kex.name);
  if (proto !== undefined && isTls13(proto)) {
    rec.forwardSecrecy = 'yes';
    rec.fsReason = 'tls13';
    return;
  }
  if (kex && kex.logged) {
    rec.forwardSecrecy = 'yes';
    rec.fsReason = kexReason(kex.name);
    return;
  }
  if (rec.cipher !== undefined && rec.cipher.length > 0) {
    const v = cachedCipherVerdict(rec.cipher);
    rec.forwardSecrecy = v.fs;
    rec.fsReason = v.reason;
    if (v.inferred !== undefined && !kex) rec.keyExchange = { name: v.inferred, logged: false };
    return;
  }
  rec.forwardSecrecy = 'unknown';
  rec.fsReason = 'not-logged';
}

/** `X25519`, `ECDHE (P-256)`, `DHE (2048 bits)`: the key exchange as one string. */
export function formatKeyExchange(kex: KeyExchange | undefined): string | undefined {
  if (!kex) return undefined;
  if (kex.curve !== undefined) return `${kex.name} (${kex.curve})`;
  if (kex.bits !== undefined) return `${kex.name} (${kex.bits} bits)`;
  return kex.name;
}

/** `name[address]:port` as logged. */
export function formatPeer(peer: Peer | undefined): string | undefined {
  if (!peer) return undefined;
  let s = peer.name;
  if (peer.address !== undefined) s += `[${peer.address}]`;
  if (peer.port !== undefined) s += `:${peer.port}`;
  return s;
}

// ---------------------------------------------------------------------------------------------
// TLS attributes shared by summary lines and Received: comments

/** A word ending at a space, `)` or `,`. */
function wordAt(s: string, i: number): string {
  return s.slice(i, tokenEnd(s, i, CH_CLOSE, CH_COMMA));
}

type AttributeWord = 'key-exchange' | 'server-signature' | 'client-signature' | 'server-digest' | 'client-digest';

/** The attribute word that is the whole word (wordAt) at p, or undefined; compared in place. */
function attributeWordAt(s: string, p: number): AttributeWord | undefined {
  const n = tokenEnd(s, p, CH_CLOSE, CH_COMMA) - p;
  if (n === 12) return s.startsWith('key-exchange', p) ? 'key-exchange' : undefined;
  if (n === 16) return s.startsWith('server-signature', p) ? 'server-signature' : s.startsWith('client-signature', p) ? 'client-signature' : undefined;
  if (n === 13) return s.startsWith('server-digest', p) ? 'server-digest' : s.startsWith('client-digest', p) ? 'client-digest' : undefined;
  return undefined;
}

/**
 * ` key-exchange X (detail) server-signature Y (detail) server-digest Z client-signature ...`
 * from i; stops at the first unknown word or `)`. Returns the index after the last attribute.
 */
function parseAttributes(s: string, i: number, rec: LogRecord): number {
  let sig: Signature | undefined;
  for (let guard = 0; guard < 12; guard++) {
    const p = skipSpaces(s, i);
    if (p >= s.length) return p;
    const w = attributeWordAt(s, p);
    if (w === undefined) return i;
    let q = skipSpaces(s, p + w.length);
    const name = wordAt(s, q);
    if (name.length === 0) return i;
    q += name.length;
    let detail: string | undefined;
    if (w !== 'server-digest' && w !== 'client-digest' && charAt(s, q) === 32 && charAt(s, q + 1) === 40) {
      const par = parenAt(s, q + 1, 80);
      if (par) {
        detail = par.inner;
        q = par.end;
      }
    }
    if (w === 'key-exchange') {
      const kex: KeyExchange = { name, logged: true };
      if (detail !== undefined) {
        const bits = RE_KEX_BITS.exec(detail);
        if (bits) kex.bits = Number(bits[1]);
        else kex.curve = detail;
      }
      rec.keyExchange = kex;
    } else if (w === 'server-signature' || w === 'client-signature') {
      sig = { name };
      if (detail !== undefined) sig.detail = detail;
      if (w === 'server-signature') rec.serverSignature = sig;
      else rec.clientSignature = sig;
    } else {
      const target = w === 'server-digest' ? rec.serverSignature : rec.clientSignature;
      if (target) target.digest = name;
      else if (w === 'server-digest') rec.serverSignature = { name: '', digest: name };
      else rec.clientSignature = { name: '', digest: name };
    }
    i = q;
  }
  return i;
}

/**
 * Recent tokens (protocol and cipher names: few distinct ones in a log), so that a token seen
 * before is the same string again: no new copy per line, and its hash (maps of the report) is
 * computed once. Direct-mapped by length and end characters; a collision just replaces.
 */
class TokenCache {
  private readonly slots: string[] = new Array<string>(64).fill('');

  /** s.slice(i, e), or an equal string kept from before. */
  get(s: string, i: number, e: number): string {
    const n = e - i;
    const k = (n * 7 + s.charCodeAt(i) * 3 + s.charCodeAt(e - 1)) & 63;
    const t = this.slots[k];
    if (t.length === n && s.startsWith(t, i)) return t;
    const v = s.slice(i, e);
    this.slots[k] = v;
    return v;
  }
}

const protocolNames = new TokenCache();
const cipherNames = new TokenCache();

/** `PROTO with cipher CIPHER (a/b bits)` at i; fills the record; returns the index after it or -1. */
function parseProtoCipher(s: string, i: number, rec: LogRecord): number {
  const pe = tokenEnd(s, i, CH_CLOSE);
  if (pe === i) return -1;
  const proto = protocolNames.get(s, i, pe);
  if (!s.startsWith(' with cipher ', pe)) {
    // A protocol without the cipher part (truncated line) still tells TLS 1.3.
    if (RE_PROTOCOL.test(proto)) rec.protocol = proto;
    return -1;
  }
  rec.protocol = proto;
  const cs = pe + 13;
  const ce = tokenEnd(s, cs, CH_CLOSE);
  if (ce === cs) return -1;
  rec.cipher = cipherNames.get(s, cs, ce);
  let j = ce;
  if (charAt(s, j) === 32) {
    const b = parseBits(s, j + 1, rec);
    if (b >= 0) j = b;
  }
  return j;
}

/**
 * RE_BITS (`\(?(\d{1,6})(?:\/(\d{1,6}))? bits\)?`) at p, read by hand: it runs on every summary
 * line. Sets rec.bits and returns the index after the match, or -1 where RE_BITS does not match.
 */
function parseBits(s: string, p: number, rec: LogRecord): number {
  let k = charAt(s, p) === 40 ? p + 1 : p;
  const d1 = k;
  let used = 0;
  while (k - d1 < 7 && isDigit(charAt(s, k))) used = used * 10 + (s.charCodeAt(k++) - 48);
  if (k === d1 || k - d1 > 6) return -1;
  let alg = used;
  if (charAt(s, k) === 47) {
    const d2 = k + 1;
    let v = 0;
    k = d2;
    while (k - d2 < 7 && isDigit(charAt(s, k))) v = v * 10 + (s.charCodeAt(k++) - 48);
    if (k === d2 || k - d2 > 6) return -1;
    alg = v;
  }
  if (!s.startsWith(' bits', k)) return -1;
  k += 5;
  if (charAt(s, k) === 41) k++;
  rec.bits = { used, alg };
  return k;
}

// ---------------------------------------------------------------------------------------------
// Summary line

const STATUS_WORDS: readonly StatusWord[] = ['Anonymous', 'Untrusted', 'Trusted', 'Verified'];

/**
 * `[Status ]TLS connection established|reused to|from NAMADDR[ to SNI]: PROTO with cipher ...`
 * with `at` the index of `TLS connection `.
 */
function parseSummary(s: string, at: number, rec: LogRecord): boolean {
  let i = at + 15;
  let event: 'established' | 'reused';
  if (s.startsWith('established', i)) {
    event = 'established';
    i += 11;
  } else if (s.startsWith('reused', i)) {
    event = 'reused';
    i += 6;
  } else return false;
  const after = charAt(s, i);
  if (i < s.length && after !== 32 && after !== 9) return false;
  rec.kind = 'tls-summary';
  rec.event = event;
  if (at > 0 && s.charCodeAt(at - 1) === 32) {
    for (let k = 0; k < STATUS_WORDS.length; k++) {
      const w = STATUS_WORDS[k];
      if (at >= w.length + 1 && s.startsWith(w, at - w.length - 1)) {
        rec.status = w;
        break;
      }
    }
  }
  i = skipSpaces(s, i);
  if (s.startsWith('to ', i)) {
    rec.role = 'client';
    i += 3;
  } else if (s.startsWith('from ', i)) {
    rec.role = 'server';
    i += 5;
  }
  i = skipSpaces(s, i);
  if (i >= s.length) return true;
  const pe = tokenEnd(s, i);
  let ended = pe > i && s.charCodeAt(pe - 1) === CH_COLON;
  const peer = parseNamaddr(s, i, ended ? pe - 1 : pe);
  i = pe;
  if (peer) rec.peer = peer;
  if (!ended && s.startsWith(' to ', i)) {
    // Server side SNI (3.4+): `from client[addr] to sni.example: ...`
    const ss = i + 4;
    const se = tokenEnd(s, ss);
    let sni = s.slice(ss, se);
    ended = sni.endsWith(':');
    if (ended) sni = sni.slice(0, -1);
    if (sni.length > 0) rec.sni = sni;
    i = se;
  }
  if (!ended) return true;
  i = skipSpaces(s, i);
  const j = parseProtoCipher(s, i, rec);
  if (j >= 0) parseAttributes(s, j, rec);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Received: header TLS comment

/** `(using ...)` at u (index of `(using `). */
function parseUsing(s: string, u: number, rec: LogRecord): boolean {
  const i = u + 7;
  if (s.startsWith('TLS: ', i)) {
    // `(using TLS: TLSv1.2, AES256-SHA)` written by other software.
    const ps = i + 5;
    const pe = tokenEnd(s, ps, CH_COMMA, CH_CLOSE);
    if (pe === ps || charAt(s, pe) !== 44) return false;
    rec.protocol = s.slice(ps, pe);
    const cs = skipSpaces(s, pe + 1);
    const ce = tokenEnd(s, cs, CH_CLOSE);
    if (ce > cs) rec.cipher = s.slice(cs, ce);
    return true;
  }
  const j = parseProtoCipher(s, i, rec);
  if (j < 0) return rec.protocol !== undefined;
  parseAttributes(s, j, rec);
  return true;
}

/** The client-certificate comment after `(using ...)`. */
function parseClientCert(s: string, from: number): ClientCertificate | undefined {
  if (s.indexOf('(No client certificate requested)', from) >= 0) return { state: 'not-requested' };
  if (s.indexOf('(Client did not present a certificate)', from) >= 0) return { state: 'not-presented' };
  if (s.indexOf('(Client RPK ', from) >= 0) return { state: 'rpk' };
  const cn = s.indexOf('(Client CN "', from);
  if (cn < 0) return undefined;
  const cs = cn + 12;
  const issuerAt = s.indexOf('", Issuer "', cs);
  if (issuerAt < 0 || issuerAt - cs > 512) return undefined;
  const is = issuerAt + 11;
  // The issuer ends at `" (verified OK))` or `" (not verified))`.
  const ok = s.indexOf('" (verified OK)', is);
  const notOk = s.indexOf('" (not verified)', is);
  const end = ok >= 0 && (notOk < 0 || ok < notOk) ? ok : notOk;
  const cert: ClientCertificate = {
    state: end >= 0 && end === ok ? 'verified' : 'not-verified',
    cn: s.slice(cs, issuerAt),
  };
  if (end >= 0 && end - is <= 512) cert.issuer = s.slice(is, end);
  return cert;
}

/** `Received: from HELO (NAME [ADDR])` ... at r (index of `Received:`). */
function parseReceived(s: string, r: number, rec: LogRecord): void {
  let i = skipSpaces(s, r + 9);
  if (s.startsWith('from ', i)) {
    i += 5;
    const he = tokenEnd(s, i);
    const helo = s.slice(i, he);
    if (helo.length > 0) rec.helo = helo;
    let peer: Peer | undefined = helo.length > 0 ? { name: helo } : undefined;
    const par = charAt(s, he) === 32 ? parenAt(s, he + 1, 600) : undefined;
    if (par) {
      // smtpd writes `(%s [%s])`: the verified client name and its address.
      const inner = par.inner;
      const b = inner.lastIndexOf(' [');
      if (b > 0 && inner.endsWith(']')) peer = { name: inner.slice(0, b), address: inner.slice(b + 2, -1) };
    }
    if (peer) rec.peer = peer;
  }
  const u = s.indexOf('(using ', i);
  if (u < 0 || !parseUsing(s, u, rec)) return;
  rec.kind = 'received-header';
  rec.role = 'server';
  const cert = parseClientCert(s, u);
  if (cert) {
    rec.clientCertificate = cert;
    rec.status = cert.state === 'verified' ? 'Trusted' : cert.state === 'not-verified' || cert.state === 'rpk' ? 'Untrusted' : 'Anonymous';
  }
  const by = s.indexOf(' by ', u);
  if (by >= 0) {
    const hs = by + 4;
    const he = tokenEnd(s, hs, CH_SEMI);
    if (he > hs) rec.host = s.slice(hs, he);
    const id = s.indexOf(' id ', he);
    if (id >= 0 && id - he < 200) {
      const qe = tokenEnd(s, id + 4, CH_SEMI);
      if (qe > id + 4) rec.queueId = s.slice(id + 4, qe);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Failures

// The role of the last daemon asked about (consecutive lines mostly share it).
let roleDaemon: string | undefined;
let roleOfRoleDaemon: 'client' | 'server' | undefined;

function roleOfDaemon(daemon: string | undefined): 'client' | 'server' | undefined {
  if (daemon === undefined) return undefined;
  if (daemon === roleDaemon) return roleOfRoleDaemon;
  const slash = daemon.lastIndexOf('/');
  const last = slash >= 0 ? daemon.slice(slash + 1) : daemon;
  let role: 'client' | 'server' | undefined;
  if (last === 'smtpd' || last === 'postscreen') role = 'server';
  else if (last === 'smtp' || last === 'lmtp' || last === 'posttls-finger') role = 'client';
  roleDaemon = daemon;
  roleOfRoleDaemon = role;
  return role;
}

const POSTFIX_PROCESSES = new Set(['smtpd', 'smtp', 'lmtp', 'tlsproxy', 'postscreen', 'tlsmgr', 'cleanup', 'qmgr', 'error', 'bounce']);

/**
 * Postfix tags are `$syslog_name/<process>` (always a slash), or posttls-finger; a bare process
 * name is accepted too for setups that strip the prefix.
 */
function isPostfixDaemon(daemon: string): boolean {
  return daemon.indexOf('/') >= 0 || daemon === 'posttls-finger' || daemon.startsWith('postfix') || POSTFIX_PROCESSES.has(daemon);
}

/** Sub-classifies an OpenSSL error text (from `TLS library problem: ...`). */
function libraryProblem(text: string): { kind: FailureKind; cause?: FailureCause } {
  const t = text.toLowerCase();
  if (t.indexOf('no shared cipher') >= 0 || t.indexOf('no cipher match') >= 0 || t.indexOf('no ciphers available') >= 0) {
    return { kind: 'no-shared-cipher' };
  }
  if (
    t.indexOf('unsupported protocol') >= 0 ||
    t.indexOf('unknown protocol') >= 0 ||
    t.indexOf('wrong version number') >= 0 ||
    t.indexOf('version too low') >= 0 ||
    t.indexOf('inappropriate fallback') >= 0 ||
    t.indexOf('alert protocol version') >= 0 ||
    t.indexOf('no protocols available') >= 0 ||
    t.indexOf('wrong ssl version') >= 0 ||
    t.indexOf('http request') >= 0
  ) {
    return { kind: 'protocol' };
  }
  // Direction matters: `certificate verify failed` is OpenSSL on THIS side failing to check the
  // peer's certificate; an `alert ...` about a certificate was sent BY the peer, which did not
  // accept the certificate this side showed.
  if (t.indexOf('certificate verify failed') >= 0) return { kind: 'cert-verification' };
  if (
    t.indexOf('alert unknown ca') >= 0 ||
    t.indexOf('alert bad certificate') >= 0 ||
    t.indexOf('alert certificate') >= 0 ||
    t.indexOf('alert unsupported certificate') >= 0
  ) {
    return { kind: 'cert-verification', cause: 'peer-alert' };
  }
  if (t.indexOf('alert handshake failure') >= 0 || t.indexOf('alert insufficient security') >= 0) {
    return { kind: 'handshake', cause: 'peer-alert' };
  }
  if (t.indexOf('unexpected eof') >= 0) return { kind: 'tls-library', cause: 'eof' };
  if (t.indexOf('no such file') >= 0 || t.indexOf('system lib') >= 0 || t.indexOf('pem routines') >= 0 || t.indexOf('x509_load') >= 0) {
    return { kind: 'tls-library', cause: 'config' };
  }
  if (t.indexOf(' alert ') >= 0) return { kind: 'tls-library', cause: 'peer-alert' };
  return { kind: 'tls-library' };
}

function fail(rec: LogRecord, kind: FailureKind, s: string, from: number, cause?: FailureCause): true {
  rec.kind = 'failure';
  let text = s.slice(from, Math.min(s.length, from + 1000)).trim();
  if (text.endsWith(')') && s.lastIndexOf('(', from) > s.lastIndexOf(')', from)) {
    // Text quoted inside `status=deferred (...)`: drop the closing parenthesis of that wrapper.
    text = text.slice(0, -1);
  }
  rec.failure = cause !== undefined ? { kind, text, cause } : { kind, text };
  return true;
}

/**
 * Failure lines (logformats.md §4); m is the message start. Every phrase searched here must be
 * covered by mayHoldRecord (lines it turns down are skipped before they get here).
 */
function parseFailure(s: string, m: number, rec: LogRecord): boolean {
  const daemonRole = roleOfDaemon(rec.daemon);
  let k: number;

  // Handshake errors with the peer right after the anchor.
  if ((k = s.indexOf('SSL_accept error from ', m)) >= 0) {
    rec.role = 'server';
    const peer = peerAt(s, k + 'SSL_accept error from '.length);
    if (peer) rec.peer = peer;
    const rest = s.slice(k, k + 400);
    return fail(rec, 'handshake', s, k, rest.indexOf('lost connection') >= 0 ? 'eof' : rest.indexOf('timed out') >= 0 ? 'timeout' : undefined);
  }
  if ((k = s.indexOf('SSL_connect error to ', m)) >= 0) {
    rec.role = 'client';
    const peer = peerAt(s, k + 'SSL_connect error to '.length);
    if (peer) rec.peer = peer;
    const rest = s.slice(k, k + 400);
    return fail(rec, 'handshake', s, k, rest.indexOf('lost connection') >= 0 ? 'eof' : rest.indexOf('timed out') >= 0 ? 'timeout' : undefined);
  }
  if ((k = s.indexOf('SSL_set_fd error to ', m)) >= 0) {
    const peer = peerAt(s, k + 'SSL_set_fd error to '.length);
    if (peer) rec.peer = peer;
    if (daemonRole) rec.role = daemonRole;
    return fail(rec, 'handshake', s, k);
  }
  if ((k = s.indexOf('TLS library problem', m)) >= 0) {
    if (daemonRole) rec.role = daemonRole;
    // Some copies double the spaces; the sub-classification must not care.
    const text = s.slice(k, k + 1000).replace(RE_MULTI_SPACE, ' ');
    const { kind, cause } = libraryProblem(text);
    return fail(rec, kind, s, k, cause);
  }
  if ((k = s.indexOf('certificate verification failed for ', m)) >= 0) {
    // `server certificate ...` is logged by the client; `client certificate ...` by the server.
    const before = s.slice(Math.max(m, k - 7), k);
    rec.role = before.endsWith('client ') ? 'server' : before.endsWith('server ') ? 'client' : (daemonRole ?? 'client');
    const peer = peerAt(s, k + 'certificate verification failed for '.length);
    if (peer) rec.peer = peer;
    // Start the text at a leading `server `/`client `/`CA ` word when there is one.
    const sp = s.lastIndexOf(' ', k - 2);
    const start = k > m && s.charCodeAt(k - 1) === 32 && sp >= m - 1 && k - sp <= 8 ? sp + 1 : k;
    return fail(rec, 'cert-verification', s, start);
  }
  if ((k = s.indexOf('ertificate not verified', m)) >= 0 || (k = s.indexOf('ertificate not trusted', m)) >= 0) {
    const start = Math.max(m, k - 8);
    const head = s.slice(start, k + 1);
    if (head.indexOf('lient') >= 0) {
      // `Client certificate not trusted` (smtpd abort with smtpd_tls_req_ccert).
      rec.role = 'server';
      const ab = s.indexOf('abort: TLS from ', m);
      if (ab >= 0) rec.peer = peerAt(s, ab + 'abort: TLS from '.length) ?? rec.peer;
      return fail(rec, 'cert-verification', s, ab >= 0 ? ab : start, 'client-cert');
    }
    rec.role = 'client';
    const word = s.lastIndexOf('erver ', k);
    return fail(rec, 'server-cert-untrusted', s, word >= start ? word - 1 : k - 1);
  }
  if ((k = s.indexOf('abort: TLS from ', m)) >= 0) {
    rec.role = 'server';
    const peer = peerAt(s, k + 'abort: TLS from '.length);
    if (peer) rec.peer = peer;
    return fail(rec, 'cert-verification', s, k, 'client-cert');
  }
  if ((k = s.indexOf(' after STARTTLS from ', m)) >= 0) {
    rec.role = 'server';
    const peer = peerAt(s, k + ' after STARTTLS from '.length);
    if (peer) rec.peer = peer;
    // The text starts at the reason: `lost connection`, `timeout` or `too many errors`.
    let start = m;
    let cause: FailureCause | undefined;
    for (const reason of ['lost connection', 'timeout', 'too many errors']) {
      const at = s.lastIndexOf(reason, k);
      if (at >= m && k - at <= reason.length + 1) {
        start = at;
        cause = reason === 'timeout' ? 'timeout' : reason === 'lost connection' ? 'eof' : undefined;
        break;
      }
    }
    return fail(rec, 'lost-after-starttls', s, start, cause);
  }
  if ((k = s.indexOf('TLS is required, but ', m)) >= 0) {
    rec.role = 'client';
    let j: number;
    if ((j = s.indexOf('was not offered by host ', k)) >= 0 && j - k < 40) {
      const peer = peerAt(s, j + 'was not offered by host '.length);
      if (peer) rec.peer = peer;
      return fail(rec, 'tls-not-offered', s, k);
    }
    if (s.startsWith('host ', k + 'TLS is required, but '.length)) {
      const peer = peerAt(s, k + 'TLS is required, but host '.length);
      if (peer) rec.peer = peer;
      return fail(rec, 'tls-not-offered', s, k, 'refused');
    }
    // `our TLS engine is unavailable` / `unavailable`: a local problem.
    return fail(rec, 'other', s, k, 'config');
  }
  if ((k = s.indexOf('Cannot start TLS', m)) >= 0) {
    rec.role = 'client';
    return fail(rec, 'handshake', s, k);
  }
  if ((k = s.indexOf('TLS handshake failed for service=', m)) >= 0) {
    const p = s.indexOf(' peer=', k);
    if (p >= 0 && p - k < 200) {
      const peer = peerAt(s, p + ' peer='.length);
      if (peer) rec.peer = peer;
    }
    if (daemonRole) rec.role = daemonRole;
    return fail(rec, 'handshake', s, k);
  }
  if ((k = s.indexOf('tlsproxy handshake failed', m)) >= 0) {
    rec.role = 'server';
    return fail(rec, 'handshake', s, k);
  }
  if ((k = s.indexOf('no shared cipher', m)) >= 0) {
    if (daemonRole) rec.role = daemonRole;
    return fail(rec, 'no-shared-cipher', s, m);
  }
  if ((k = s.indexOf('TLSRPT: status=failure', m)) >= 0) {
    rec.role = 'client';
    const mx = s.indexOf('receiving_mx=', k);
    if (mx >= 0) rec.peer = peerAt(s, mx + 'receiving_mx='.length) ?? rec.peer;
    const ft = s.slice(k, k + 600).toLowerCase();
    const kind: FailureKind =
      ft.indexOf('starttls') >= 0 ? 'tls-not-offered' : ft.indexOf('certificate') >= 0 || ft.indexOf('validation') >= 0 ? 'cert-verification' : 'other';
    return fail(rec, kind, s, k, 'tlsrpt');
  }
  // DANE / TLSA problems (smtp_tls_policy.c, tls_client.c).
  if (
    (k = s.indexOf('TLSA lookup error', m)) >= 0 ||
    (k = s.indexOf('TLSA records unusable', m)) >= 0 ||
    (k = s.indexOf('trust anchors unusable', m)) >= 0 ||
    (k = s.indexOf('fingerprints unusable', m)) >= 0
  ) {
    rec.role = 'client';
    return fail(rec, 'cert-verification', s, m, 'dane');
  }
  // Local configuration problems: TLS gets disabled or cannot start.
  if (
    (k = s.indexOf('client TLS configuration problem', m)) >= 0 ||
    (k = s.indexOf('cannot load Certificate Authority data', m)) >= 0 ||
    (k = s.indexOf('No server certs available', m)) >= 0 ||
    (k = s.indexOf('TLS support is not compiled in', m)) >= 0 ||
    (k = s.indexOf('TLS not available due to local problem', m)) >= 0 ||
    (k = s.indexOf('TLS engine is unavailable', m)) >= 0
  ) {
    if (daemonRole) rec.role = daemonRole;
    return fail(rec, 'other', s, m, 'config');
  }
  // `cannot load RSA certificate and key data`, `cannot get RSA private key from file ...`.
  if ((k = s.indexOf('cannot load ', m)) >= 0 || (k = s.indexOf('cannot get ', m)) >= 0) {
    const t = s.slice(k, k + 200);
    if (t.indexOf('ertificate') >= 0 || t.indexOf('private key') >= 0 || t.indexOf('key data') >= 0 || t.indexOf('disabling TLS') >= 0) {
      if (daemonRole) rec.role = daemonRole;
      return fail(rec, 'other', s, m, 'config');
    }
  }
  if ((k = s.indexOf('New TLS session rate limit exceeded', m)) >= 0) {
    rec.role = 'server';
    const f = s.indexOf(' from ', k);
    if (f >= 0 && f - k < 80) rec.peer = peerAt(s, f + 6) ?? rec.peer;
    return fail(rec, 'other', s, k, 'rate-limit');
  }
  if ((k = s.indexOf('Failed to establish appropriate TLS channel', m)) >= 0) {
    if (daemonRole) rec.role = daemonRole;
    return fail(rec, 'other', s, m);
  }
  return false;
}

/** `tls=may:none` etc. in a delivery status line (3.11+). */
function parseTlsFeature(s: string, m: number, rec: LogRecord): boolean {
  const k = s.indexOf(', tls=', m);
  if (k < 0) return false;
  const fs = k + 6;
  const fe = tokenEnd(s, fs, CH_COMMA);
  if (fe === fs) return false;
  const raw = s.slice(fs, fe);
  const firstPart = raw.split('/')[0];
  const colon = firstPart.indexOf(':');
  let level = colon >= 0 ? firstPart.slice(0, colon) : firstPart;
  const undecided = raw.indexOf('?') >= 0;
  level = level.replace(RE_FEATURE_MARKS, '');
  const feature: TlsFeature = { raw, level, undecided, violated: raw.indexOf('!') >= 0 };
  if (colon >= 0) feature.final = firstPart.slice(colon + 1).replace(RE_FEATURE_MARKS, '');
  rec.tlsFeature = feature;
  rec.role = 'client';
  const relay = s.indexOf('relay=', m);
  if (relay >= 0 && relay < k) rec.peer = peerAt(s, relay + 6) ?? rec.peer;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Public API

function emptyRecord(messageOffset: number): LogRecord {
  return { kind: 'other', forwardSecrecy: 'unknown', postQuantum: false, messageOffset, lineSpan: 1 };
}

/**
 * Classifies one physical line (or one already joined folded record). Never throws; looks at
 * no more than MAX_SCAN_LENGTH characters. Lines without any of the pre-filter words return an
 * `other` record at once (messageOffset 0: the prefix is not parsed for them).
 */
export function classifyLine(line: string): LogRecord {
  try {
    return classifyUnsafe(typeof line === 'string' ? line : String(line));
  } catch {
    return emptyRecord(0);
  }
}

function classifyUnsafe(input: string): LogRecord {
  let s = input.length > MAX_SCAN_LENGTH ? input.slice(0, MAX_SCAN_LENGTH) : input;
  if (!mightBeTls(s)) return emptyRecord(0);
  if (s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
  const pre = parsePrefix(s);
  const rec = emptyRecord(pre.messageOffset);
  // Other programs (dovecot, opendkim, amavis) also say TLS/SSL: their lines are not ours.
  if (pre.daemon !== undefined && !isPostfixDaemon(pre.daemon)) return rec;
  if (pre.timestamp !== undefined) rec.timestamp = pre.timestamp;
  if (pre.host !== undefined) rec.host = pre.host;
  if (pre.daemon !== undefined) rec.daemon = pre.daemon;
  if (pre.pid !== undefined) rec.pid = pre.pid;
  if (pre.severity !== undefined) rec.severity = pre.severity;
  let m = pre.messageOffset;
  // The expressions run only where they can match: a severity word starts with one of
  // w/e/f/p/i; a queue id is the whole run of letters and digits before `: ` (6 to 20 long).
  const c = charAt(s, m);
  const sev = c === 119 || c === 101 || c === 102 || c === 112 || c === 105 ? execAt(RE_MSG_SEVERITY, s, m) : null;
  if (sev) {
    rec.severity = sev[1];
    m = skipSpaces(s, m + sev[0].length);
  }
  const qe = alnumEnd(s, m, 21);
  if (qe - m >= 6 && qe - m <= 20 && charAt(s, qe) === CH_COLON && charAt(s, qe + 1) === 32) {
    const qid = execAt(RE_QUEUE_ID, s, m);
    if (qid) rec.queueId = qid[1];
  }

  if (parseConnection(s, m, rec)) {
    judge(rec);
    return rec;
  }
  if (parseFailure(s, m, rec)) {
    // A delivery status line names the server in `relay=` when the reason does not.
    if (rec.peer === undefined) {
      const relay = s.indexOf(' relay=', m);
      if (relay >= 0 && !s.startsWith('none', relay + 7)) rec.peer = peerAt(s, relay + 7);
    }
    return rec;
  }
  parseTlsFeature(s, m, rec);
  return rec;
}

/** A TLS connection: a summary line or a Received: header comment (then judge it). */
function parseConnection(s: string, m: number, rec: LogRecord): boolean {
  const tc = s.indexOf('TLS connection ', m);
  if (tc >= 0 && parseSummary(s, tc, rec)) {
    if (rec.role === undefined) rec.role = roleOfDaemon(rec.daemon);
    return true;
  }
  const r = s.indexOf('Received:', m);
  if (r >= 0 && s.indexOf('(using ', r) >= 0) {
    parseReceived(s, r, rec);
    if (rec.kind === 'received-header') return true;
  }
  const u = s.indexOf('(using ', m);
  if (u >= 0 && r < 0 && parseUsing(s, u, rec)) {
    // A Received: comment line on its own (a continuation seen without its header line).
    rec.kind = 'received-header';
    rec.role = 'server';
    const cert = parseClientCert(s, u);
    if (cert) rec.clientCertificate = cert;
    return true;
  }
  return false;
}

/** Is this the first line of a Received: header (possibly indented, as in documentation)? */
function isReceivedStart(line: string): boolean {
  const i = skipSpaces(line, 0);
  return line.startsWith('Received:', i) || line.startsWith('received:', i) || line.startsWith('RECEIVED:', i);
}

function isFoldLine(line: string): boolean {
  const c = charAt(line, 0);
  return (c === 32 || c === 9) && skipSpaces(line, 0) < line.length;
}

/** A record and the line it starts on (0-based for classifyRange/classifyText, caller's numbering for LogFolder). */
export interface LineRecord {
  line: number;
  record: LogRecord;
}

export interface FoldOptions {
  /** Also return `other` records (default: only records about TLS). */
  includeOther?: boolean;
}

/** Whether a record is worth returning: TLS records and delivery lines with a `tls=` field. */
function wanted(rec: LogRecord, opts: FoldOptions | undefined): boolean {
  return rec.kind !== 'other' || rec.tlsFeature !== undefined || !!opts?.includeOther;
}

interface OpenRecord {
  kind: 'received' | 'summary';
  line: number;
  lastLine: number;
  parts: string[];
  length: number;
  /** Classification of the first line alone (summary only). */
  first?: LogRecord;
}

/**
 * Streaming classifier that joins folded records: a Received: header and its continuation
 * lines (starting with a space or tab), and a summary line cut short and wrapped onto
 * indented lines (as in documentation). Feed lines in order with their numbers; lines must be
 * consecutive to be joined (a filtered stream may skip numbers). Used by classifyRange,
 * classifyText, the CLI and the report engine.
 */
export class LogFolder {
  private open: OpenRecord | undefined;

  constructor(private readonly opts?: FoldOptions) {}

  /** Adds one line; completed records are appended to `out`. */
  push(line: string, lineNo: number, out: LineRecord[]): void {
    try {
      this.pushUnsafe(typeof line === 'string' ? line : String(line), lineNo, out);
    } catch {
      this.open = undefined;
    }
  }

  /** True while a record that started on an earlier line may still take continuation lines. */
  get pending(): boolean {
    return this.open !== undefined;
  }

  /** Line number where the pending record started, if any. */
  get pendingLine(): number | undefined {
    return this.open?.line;
  }

  /** Emits the pending record, if any. */
  flush(out: LineRecord[]): void {
    const o = this.open;
    this.open = undefined;
    if (!o) return;
    try {
      let rec: LogRecord;
      if (o.parts.length === 1 && o.first) rec = o.first;
      else {
        const joined = o.parts.join(' ');
        rec = classifyLine(joined);
        if (o.kind === 'summary' && rec.kind !== 'tls-summary' && o.first) rec = o.first;
        // The prefix belongs to the first line: offsets beyond it would point elsewhere.
        if (rec.messageOffset > o.parts[0].length) rec.messageOffset = 0;
      }
      rec.lineSpan = o.lastLine - o.line + 1;
      if (wanted(rec, this.opts)) out.push({ line: o.line, record: rec });
    } catch {
      // never throw
    }
  }

  private pushUnsafe(line: string, lineNo: number, out: LineRecord[]): void {
    const o = this.open;
    if (o) {
      if (lineNo === o.lastLine + 1 && o.parts.length < MAX_FOLD_LINES && o.length < MAX_SCAN_LENGTH && this.continues(o, line)) {
        const part = line.slice(skipSpaces(line, 0), skipSpaces(line, 0) + MAX_SCAN_LENGTH).trimEnd();
        o.parts.push(part);
        o.length += part.length + 1;
        o.lastLine = lineNo;
        return;
      }
      this.flush(out);
    }
    if (isReceivedStart(line)) {
      const part = line.length > MAX_SCAN_LENGTH ? line.slice(0, MAX_SCAN_LENGTH) : line;
      this.open = { kind: 'received', line: lineNo, lastLine: lineNo, parts: [part.trimEnd()], length: part.length };
      return;
    }
    // Without includeOther, a line that cannot be a record (nor open a wrapped summary) gives
    // nothing: skip the classification (most lines a report reads are such lines).
    if (!this.opts?.includeOther && !mayHoldRecord(line)) return;
    const rec = classifyLine(line);
    if (rec.kind === 'tls-summary' && rec.cipher === undefined) {
      // Cut short: the rest may follow on indented lines.
      const part = line.length > MAX_SCAN_LENGTH ? line.slice(0, MAX_SCAN_LENGTH) : line;
      this.open = { kind: 'summary', line: lineNo, lastLine: lineNo, parts: [part.trimEnd()], length: part.length, first: rec };
      return;
    }
    if (wanted(rec, this.opts)) out.push({ line: lineNo, record: rec });
  }

  private continues(o: OpenRecord, line: string): boolean {
    if (!isFoldLine(line)) return false;
    if (o.kind === 'received') return !isReceivedStart(line);
    // A wrapped summary goes on unless the indented line is a log line or a record of its own.
    if (line.indexOf('TLS connection ') >= 0 || isReceivedStart(line)) return false;
    return !parsePrefix(line.slice(0, 512)).isLogLine;
  }
}

/**
 * Records that start or continue within lines [from, to) of a document (0-based line numbers,
 * `to` exclusive). A folded record is reported once, at its first line (possibly before
 * `from`), with `lineSpan`. By default only TLS records are returned (kind other than `other`,
 * or a delivery line with a `tls=` field). Never throws.
 */
export function classifyRange(
  getLine: (i: number) => string,
  lineCount: number,
  from: number,
  to: number,
  opts?: FoldOptions,
): LineRecord[] {
  const out: LineRecord[] = [];
  try {
    const n = Math.max(0, Math.floor(lineCount) || 0);
    const a = Math.max(0, Math.min(n, Math.floor(from) || 0));
    const b = Math.max(a, Math.min(n, Math.floor(to) || 0));
    if (a >= b) return out;
    const get = (i: number): string => {
      try {
        const l = getLine(i);
        return typeof l === 'string' ? l : '';
      } catch {
        return '';
      }
    };
    // Start far enough back to see the first line of a folded record that reaches `from`.
    let start = a;
    while (start > 0 && a - start < MAX_FOLD_LINES && isFoldLine(get(start))) start--;
    const folder = new LogFolder(opts);
    const all: LineRecord[] = [];
    let i = start;
    for (; i < b; i++) folder.push(get(i), i, all);
    // Finish a record that started inside the range but goes on below it.
    while (folder.pending && i < n && i < b + MAX_FOLD_LINES) {
      const pl = folder.pendingLine;
      const before = all.length;
      folder.push(get(i), i, all);
      i++;
      // Stop once the pending record closed (a new one starting at/after `b` is not ours).
      if (all.length > before || folder.pendingLine !== pl) break;
    }
    folder.flush(all);
    for (const r of all) {
      if (r.line >= b) continue;
      if (r.line + Math.max(1, r.record.lineSpan) <= a) continue;
      out.push(r);
    }
  } catch {
    // never throw
  }
  return out;
}

/** Records of a whole text (0-based line numbers; `\n`, `\r\n` or `\r` line ends). */
export function classifyText(text: string, opts?: FoldOptions): LineRecord[] {
  const out: LineRecord[] = [];
  try {
    const s = typeof text === 'string' ? text : String(text);
    const folder = new LogFolder(opts);
    let p = 0;
    let n = 0;
    const len = s.length;
    while (p <= len) {
      let e = p;
      while (e < len) {
        const c = s.charCodeAt(e);
        if (c === 10 || c === 13) break;
        e++;
      }
      folder.push(s.slice(p, e), n++, out);
      if (e >= len) break;
      p = e + (s.charCodeAt(e) === 13 && s.charCodeAt(e + 1) === 10 ? 2 : 1);
      if (p === len) break; // a final line end does not start another line
    }
    folder.flush(out);
  } catch {
    // never throw
  }
  return out;
}
