/**
 * Streaming aggregation of classified log records into a TLS report. Pure core: it only sees
 * LogRecords (from the one classifier) and where they came from, never raw lines.
 *
 * Memory is bounded whatever the log size: per-peer lists keep at most `maxPeers` entries
 * (least-seen entries are dropped when full, and the report says so), and every "count by X"
 * table keeps at most `maxKeys` distinct values (the rest are counted under OTHER_KEY).
 */
import type { FailureKind, LogRecord, StatusWord } from '../log/record';

/** Version of the TlsReport shape (bumped on incompatible changes). */
export const REPORT_SCHEMA = 1;
/** Bucket for values beyond the cap of a count table. */
export const OTHER_KEY = '(other)';
/** Day key for records without a recognisable timestamp. */
export const NO_DAY = '(no timestamp)';

export const FAILURE_KINDS: readonly FailureKind[] = [
  'handshake',
  'tls-library',
  'cert-verification',
  'server-cert-untrusted',
  'lost-after-starttls',
  'tls-not-offered',
  'no-shared-cipher',
  'protocol',
  'other',
];

/** Where a record was read. `line` is 1-based. */
export interface RecordLocation {
  file: string;
  line: number;
}

/** Statistics over a set of TLS connections (summary lines or Received: headers). */
export interface DirectionStats {
  /** TLS connections: every "TLS connection established/reused" line (or header). */
  connections: number;
  /** New handshakes ("established"). */
  established: number;
  /** Cached connections taken again ("reused"; outbound only, Postfix 3.4+). */
  reused: number;
  /** Forward secrecy verdicts from the classifier. */
  fs: { yes: number; no: number; unknown: number };
  /** yes / (yes + no): share of connections with forward secrecy where it can be told; null without any. */
  fsShare: number | null;
  /** Connections with a post-quantum (ML-KEM) or hybrid key exchange. */
  postQuantum: number;
  /** postQuantum / connections; null without connections. */
  pqShare: number | null;
  /** Count by protocol (`TLSv1.3`...), most frequent first. */
  byProtocol: Record<string, number>;
  /** Count by cipher name. */
  byCipher: Record<string, number>;
  /** Count by key-exchange group, e.g. `X25519`, `ECDHE (P-256)`, `DHE (2048 bits)`; `ECDHE (from cipher)` when only inferred from a TLS 1.2 cipher name. */
  byKeyExchange: Record<string, number>;
  /** Count by verification status word (Anonymous / Untrusted / Trusted / Verified). */
  byStatus: Partial<Record<StatusWord | 'none', number>>;
}

/** Last place a peer was seen. */
export interface SeenAt {
  /** Timestamp as written in the log (absent for message-only lines). */
  timestamp?: string;
  file: string;
  line: number;
}

/** One peer in an actionable list. */
export interface PeerEntry {
  /** `name[address]` as logged (no port). */
  peer: string;
  /** Records counted for this peer (for a truncated list: possibly too low by at most `maxUndercount`). */
  count: number;
  /** Directions it was seen in. */
  inbound: number;
  outbound: number;
  /** Last occurrence in reading order (files are read oldest first). */
  last: SeenAt;
  /** Short detail of the last occurrence: `TLSv1.2 AES256-SHA` or the failure text. */
  detail: string;
  /** Failures only: count per failure kind. */
  kinds?: Partial<Record<FailureKind, number>>;
}

/** A bounded, most-frequent-first list of peers. */
export interface PeerList {
  /** At most the `topN` most frequent peers. */
  entries: PeerEntry[];
  /** Records behind this list (including those of peers not shown). */
  records: number;
  /** Distinct peers seen (a lower bound when `truncated`). */
  distinct: number;
  /** Some peers were dropped from memory to keep it bounded: counts may be too low. */
  truncated: boolean;
  /** When truncated, how much a count may be too low (0 when not truncated). */
  maxUndercount: number;
}

/** One day of the chart series. */
export interface DayStats {
  /** `2024-11-28` (RFC 3339 logs) or `Nov 28` (classic syslog, which has no year), or NO_DAY. */
  day: string;
  connections: number;
  fsYes: number;
  fsNo: number;
  fsUnknown: number;
  /** fsYes / (fsYes + fsNo), null when neither. */
  fsShare: number | null;
  byProtocol: Record<string, number>;
  failures: number;
}

/** One file read for the report. */
export interface FileSummary {
  file: string;
  /** Physical lines read. */
  lines: number;
  /** Bytes read from disk (compressed size for .gz). */
  bytes: number;
  gzip: boolean;
  /** Lines cut at the maximum line length. */
  truncatedLines: number;
}

/**
 * Forward-secrecy statistics over mail logs. Inbound = Postfix as server (smtpd, tlsproxy
 * server role: `from` lines); outbound = Postfix as client (smtp, lmtp: `to` lines).
 * All numbers are counts of log records.
 */
export interface TlsReport {
  schema: typeof REPORT_SCHEMA;
  /** Files in reading order (filled by reportFiles; empty when aggregating by hand). */
  files: FileSummary[];
  /** Physical lines read (as given by the reader; 0 when aggregating by hand). */
  linesRead: number;
  /** Records added to the aggregator (one per classified line or folded header). */
  recordsSeen: number;
  /** Inbound and outbound summary lines together. */
  total: DirectionStats;
  inbound: DirectionStats;
  outbound: DirectionStats;
  /** Summary lines whose direction is not logged (e.g. a bare message without `to`/`from`). */
  unknownDirection: number;
  /** TLS comments of Received: headers (mail files): hops, not log connections, so kept apart. */
  receivedHeaders: DirectionStats;
  /** Handshake, certificate and other TLS failures. */
  failures: { total: number; byKind: Record<FailureKind, number> };
  /** Peers seen with a connection without forward secrecy (most frequent first). */
  peersWithoutFs: PeerList;
  /** Peers with TLS failures (most frequent first). */
  peersWithFailures: PeerList;
  /** Per day, in time order (syslog dates ordered by month/day across a year end). */
  days: DayStats[];
  /** Caveats worth telling the reader (no year in syslog dates, truncated lists...). */
  notes: string[];
}

export interface AggregatorOptions {
  /** Distinct peers kept in memory per list (default 20000). */
  maxPeers?: number;
  /** Peers shown per list (default 100). */
  topN?: number;
  /** Distinct values kept per count table (default 500). */
  maxKeys?: number;
  /** Days kept (default 4000, about 11 years). */
  maxDays?: number;
}

export interface Aggregator {
  add(record: LogRecord, where: RecordLocation): void;
  /** Sets reader facts (files, lines read) that end up in the report. */
  addFile(file: FileSummary): void;
  result(): TlsReport;
  /** Everything counted so far, as plain data (structured-clone safe): for worker threads. */
  exportState(): AggregatorState;
  /**
   * Adds a state exported by another aggregator that read the LATER part of the same input
   * (states must be merged in reading order). `lineOffset` is added to its line numbers.
   */
  mergeState(state: AggregatorState, lineOffset?: number): void;
}

type Counts = [string, number][];

interface DirectionState {
  connections: number;
  established: number;
  reused: number;
  yes: number;
  no: number;
  unknown: number;
  pq: number;
  protocol: Counts;
  cipher: Counts;
  kex: Counts;
  status: Counts;
}

interface PeerState {
  key: string;
  count: number;
  inbound: number;
  outbound: number;
  last: SeenAt;
  detail: string;
  kinds?: [FailureKind, number][];
}

interface PeerTableState {
  peers: PeerState[];
  records: number;
  dropped: number;
  floor: number;
}

/** An aggregator's counts as plain data (see Aggregator.exportState). */
export interface AggregatorState {
  recordsSeen: number;
  inbound: DirectionState;
  outbound: DirectionState;
  headers: DirectionState;
  unknownDirection: number;
  unknownDirectionStats: DirectionState;
  failureTotal: number;
  failuresByKind: [FailureKind, number][];
  noFs: PeerTableState;
  failing: PeerTableState;
  days: { key: string; connections: number; yes: number; no: number; unknown: number; protocol: Counts; failures: number }[];
  daysDropped: number;
  syslogDates: boolean;
  cappedTables: boolean;
}

interface MutableDirection {
  connections: number;
  established: number;
  reused: number;
  yes: number;
  no: number;
  unknown: number;
  pq: number;
  protocol: Map<string, number>;
  cipher: Map<string, number>;
  kex: Map<string, number>;
  status: Map<string, number>;
}

interface MutablePeer {
  count: number;
  inbound: number;
  outbound: number;
  last: SeenAt;
  detail: string;
  kinds?: Map<FailureKind, number>;
}

interface MutableDay {
  connections: number;
  yes: number;
  no: number;
  unknown: number;
  protocol: Map<string, number>;
  failures: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function newDirection(): MutableDirection {
  return { connections: 0, established: 0, reused: 0, yes: 0, no: 0, unknown: 0, pq: 0, protocol: new Map(), cipher: new Map(), kex: new Map(), status: new Map() };
}

/** A bounded peer table: when full, the least-counted half is dropped (a batched Space-Saving). */
class PeerTable {
  readonly map = new Map<string, MutablePeer>();
  records = 0;
  dropped = 0;
  /** Highest count ever dropped: a re-added peer may be undercounted by at most this. */
  floor = 0;
  constructor(private readonly cap: number) {}

  touch(key: string): MutablePeer {
    this.records++;
    let p = this.map.get(key);
    if (!p) {
      if (this.map.size >= this.cap) this.shrink();
      p = { count: 0, inbound: 0, outbound: 0, last: { file: '', line: 0 }, detail: '' };
      this.map.set(key, p);
    }
    p.count++;
    return p;
  }

  exportState(): PeerTableState {
    return {
      peers: [...this.map.entries()].map(([key, p]) => {
        const st: PeerState = { key, count: p.count, inbound: p.inbound, outbound: p.outbound, last: { ...p.last }, detail: p.detail };
        if (p.kinds) st.kinds = [...p.kinds.entries()];
        return st;
      }),
      records: this.records,
      dropped: this.dropped,
      floor: this.floor,
    };
  }

  /** Adds a later part's table: counts add up, `last` comes from the later part. */
  mergeState(st: PeerTableState, lineOffset: number): void {
    this.records += st.records;
    this.dropped += st.dropped;
    this.floor = Math.max(this.floor, st.floor);
    for (const q of st.peers) {
      let p = this.map.get(q.key);
      if (!p) {
        if (this.map.size >= this.cap) this.shrink();
        p = { count: 0, inbound: 0, outbound: 0, last: { file: '', line: 0 }, detail: '' };
        this.map.set(q.key, p);
      }
      p.count += q.count;
      p.inbound += q.inbound;
      p.outbound += q.outbound;
      p.last = { ...q.last, line: q.last.line + lineOffset };
      p.detail = q.detail;
      if (q.kinds) {
        if (!p.kinds) p.kinds = new Map();
        for (const [k, v] of q.kinds) p.kinds.set(k, (p.kinds.get(k) ?? 0) + v);
      }
    }
  }

  private shrink(): void {
    const entries = [...this.map.entries()].sort((a, b) => a[1].count - b[1].count);
    const drop = Math.max(1, Math.floor(entries.length / 2));
    for (let i = 0; i < drop; i++) {
      this.map.delete(entries[i][0]);
      this.floor = Math.max(this.floor, entries[i][1].count);
      this.dropped++;
    }
  }

  list(topN: number): PeerList {
    const sorted = [...this.map.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
    return {
      entries: sorted.slice(0, topN).map(([peer, p]) => {
        const e: PeerEntry = { peer, count: p.count, inbound: p.inbound, outbound: p.outbound, last: p.last, detail: p.detail };
        if (p.kinds) e.kinds = Object.fromEntries([...p.kinds.entries()].sort((a, b) => b[1] - a[1]));
        return e;
      }),
      records: this.records,
      distinct: this.map.size + this.dropped,
      truncated: this.dropped > 0,
      maxUndercount: this.dropped > 0 ? this.floor : 0,
    };
  }
}

/** Creates an empty aggregator. Add records in reading order; `result()` can be called any time. */
export function createAggregator(options: AggregatorOptions = {}): Aggregator {
  const maxPeers = Math.max(2, options.maxPeers ?? 20000);
  const topN = Math.max(1, options.topN ?? 100);
  const maxKeys = Math.max(1, options.maxKeys ?? 500);
  const maxDays = Math.max(1, options.maxDays ?? 4000);

  const inbound = newDirection();
  const outbound = newDirection();
  const headers = newDirection();
  let unknownDirection = 0;
  const unknownDirectionStats = newDirection();
  const failuresByKind = new Map<FailureKind, number>();
  let failureTotal = 0;
  const noFs = new PeerTable(maxPeers);
  const failing = new PeerTable(maxPeers);
  const days = new Map<string, MutableDay>();
  let daysDropped = 0;
  let syslogDates = false;
  let recordsSeen = 0;
  const files: FileSummary[] = [];
  let cappedTables = false;

  const bump = (m: Map<string, number>, key: string): void => {
    const v = m.get(key);
    if (v !== undefined) m.set(key, v + 1);
    else if (m.size < maxKeys) m.set(key, 1);
    else {
      cappedTables = true;
      m.set(OTHER_KEY, (m.get(OTHER_KEY) ?? 0) + 1);
    }
  };
  const addCounts = (m: Map<string, number>, counts: Counts): void => {
    for (const [key, n] of counts) {
      const v = m.get(key);
      if (v !== undefined) m.set(key, v + n);
      else if (m.size < maxKeys || key === OTHER_KEY) m.set(key, n);
      else {
        cappedTables = true;
        m.set(OTHER_KEY, (m.get(OTHER_KEY) ?? 0) + n);
      }
    }
  };
  const exportDirection = (d: MutableDirection): DirectionState => ({
    connections: d.connections,
    established: d.established,
    reused: d.reused,
    yes: d.yes,
    no: d.no,
    unknown: d.unknown,
    pq: d.pq,
    protocol: [...d.protocol],
    cipher: [...d.cipher],
    kex: [...d.kex],
    status: [...d.status],
  });
  const mergeDirection = (d: MutableDirection, st: DirectionState): void => {
    d.connections += st.connections;
    d.established += st.established;
    d.reused += st.reused;
    d.yes += st.yes;
    d.no += st.no;
    d.unknown += st.unknown;
    d.pq += st.pq;
    addCounts(d.protocol, st.protocol);
    addCounts(d.cipher, st.cipher);
    addCounts(d.kex, st.kex);
    addCounts(d.status, st.status);
  };

  // Consecutive records nearly always share the day: reuse it when the first 10 characters of
  // the timestamp (`Nov 28 10:` or `2024-11-28`) are the same as last time.
  let lastTs: string | undefined;
  let lastDay: MutableDay | undefined;
  const day = (timestamp: string | undefined): MutableDay | undefined => {
    if (timestamp !== undefined && lastTs !== undefined && lastDay !== undefined && samePrefix(timestamp, lastTs, 10)) return lastDay;
    const d = dayOf(timestamp);
    lastTs = timestamp;
    lastDay = d;
    return d;
  };
  const dayOf = (timestamp: string | undefined): MutableDay | undefined => {
    const key = dayKey(timestamp);
    if (key !== NO_DAY && !key.includes('-')) syslogDates = true;
    let d = days.get(key);
    if (!d) {
      if (days.size >= maxDays) {
        daysDropped++;
        return undefined;
      }
      d = { connections: 0, yes: 0, no: 0, unknown: 0, protocol: new Map(), failures: 0 };
      days.set(key, d);
    }
    return d;
  };

  const countConnection = (s: MutableDirection, r: LogRecord): void => {
    s.connections++;
    if (r.event === 'reused') s.reused++;
    else s.established++;
    if (r.forwardSecrecy === 'yes') s.yes++;
    else if (r.forwardSecrecy === 'no') s.no++;
    else s.unknown++;
    if (r.postQuantum) s.pq++;
    bump(s.protocol, r.protocol ?? '(not logged)');
    bump(s.cipher, r.cipher ?? '(not logged)');
    bump(s.kex, kexLabel(r));
    bump(s.status, r.status ?? 'none');
  };

  // One call site each for countConnection and day, and the rare cases (a peer to list) in
  // functions of their own: `add` runs for every record, and optimising code compiles every
  // inlined copy (measured: a good part of a report's CPU time is compiling).
  const add = (r: LogRecord, where: RecordLocation): void => {
    recordsSeen++;
    const kind = r.kind;
    let dir: MutableDirection;
    if (kind === 'tls-summary') {
      const target = r.role === 'server' ? inbound : r.role === 'client' ? outbound : undefined;
      if (target !== undefined) dir = target;
      else {
        unknownDirection++;
        dir = unknownDirectionStats;
      }
    } else if (kind === 'received-header') dir = headers;
    else if (kind === 'failure') {
      addFailure(r, where);
      return;
    } else return;
    countConnection(dir, r);
    if (kind === 'received-header') return;
    const d = day(r.timestamp);
    if (d) {
      d.connections++;
      if (r.forwardSecrecy === 'yes') d.yes++;
      else if (r.forwardSecrecy === 'no') d.no++;
      else d.unknown++;
      bump(d.protocol, r.protocol ?? '(not logged)');
    }
    if (r.forwardSecrecy === 'no') addNoFsPeer(r, where);
  };

  const addNoFsPeer = (r: LogRecord, where: RecordLocation): void => {
    const p = noFs.touch(peerKey(r));
    if (r.role === 'server') p.inbound++;
    else if (r.role === 'client') p.outbound++;
    p.last = seenAt(r, where);
    p.detail = [r.protocol, r.cipher].filter(Boolean).join(' ');
  };

  const addFailure = (r: LogRecord, where: RecordLocation): void => {
    const kind: FailureKind = r.failure?.kind ?? 'other';
    failureTotal++;
    failuresByKind.set(kind, (failuresByKind.get(kind) ?? 0) + 1);
    const d = day(r.timestamp);
    if (d) d.failures++;
    if (r.peer) {
      const p = failing.touch(peerKey(r));
      if (r.role === 'server') p.inbound++;
      else if (r.role === 'client') p.outbound++;
      p.last = seenAt(r, where);
      p.detail = clip(r.failure?.text ?? '', 200);
      if (!p.kinds) p.kinds = new Map();
      if (p.kinds.size < FAILURE_KINDS.length) p.kinds.set(kind, (p.kinds.get(kind) ?? 0) + 1);
    }
  };

  const result = (): TlsReport => {
    const all = newDirection();
    for (const s of [inbound, outbound, unknownDirectionStats]) mergeInto(all, s);
    const notes: string[] = [];
    if (syslogDates) notes.push('Classic syslog timestamps carry no year: days of different years with the same date are counted together.');
    if (noFs.dropped > 0 || failing.dropped > 0) notes.push(`Too many distinct peers to keep them all: the least frequent were dropped, so counts of listed peers may be up to ${Math.max(noFs.floor, failing.floor)} too low.`);
    if (cappedTables) notes.push(`Some tables had more than ${maxKeys} distinct values; the rest are counted under "${OTHER_KEY}".`);
    if (daysDropped > 0) notes.push(`More than ${maxDays} days: ${countOf(daysDropped, 'record')} of later days ${daysDropped === 1 ? 'is' : 'are'} not in the per-day series.`);
    const truncated = files.reduce((n, f) => n + f.truncatedLines, 0);
    if (truncated > 0) notes.push(`${countOf(truncated, 'over-long line')} ${truncated === 1 ? 'was' : 'were'} cut before classification.`);
    if (unknownDirection > 0) {
      const one = unknownDirection === 1;
      notes.push(`${countOf(unknownDirection, 'TLS connection line')} did not tell the direction (no syslog tag or to/from); ${one ? 'it counts' : 'they count'} in the total only.`);
    }
    const failuresRecord = Object.fromEntries(FAILURE_KINDS.map((k) => [k, failuresByKind.get(k) ?? 0])) as Record<FailureKind, number>;
    return {
      schema: REPORT_SCHEMA,
      files: files.map((f) => ({ ...f })),
      linesRead: files.reduce((n, f) => n + f.lines, 0),
      recordsSeen,
      total: freezeDirection(all),
      inbound: freezeDirection(inbound),
      outbound: freezeDirection(outbound),
      unknownDirection,
      receivedHeaders: freezeDirection(headers),
      failures: { total: failureTotal, byKind: failuresRecord },
      peersWithoutFs: noFs.list(topN),
      peersWithFailures: failing.list(topN),
      days: orderDays(days).map(([key, d]) => ({
        day: key,
        connections: d.connections,
        fsYes: d.yes,
        fsNo: d.no,
        fsUnknown: d.unknown,
        fsShare: share(d.yes, d.yes + d.no),
        byProtocol: sortedCounts(d.protocol),
        failures: d.failures,
      })),
      notes,
    };
  };

  const exportState = (): AggregatorState => ({
    recordsSeen,
    inbound: exportDirection(inbound),
    outbound: exportDirection(outbound),
    headers: exportDirection(headers),
    unknownDirection,
    unknownDirectionStats: exportDirection(unknownDirectionStats),
    failureTotal,
    failuresByKind: [...failuresByKind],
    noFs: noFs.exportState(),
    failing: failing.exportState(),
    days: [...days].map(([key, d]) => ({ key, connections: d.connections, yes: d.yes, no: d.no, unknown: d.unknown, protocol: [...d.protocol], failures: d.failures })),
    daysDropped,
    syslogDates,
    cappedTables,
  });

  const mergeState = (st: AggregatorState, lineOffset = 0): void => {
    recordsSeen += st.recordsSeen;
    mergeDirection(inbound, st.inbound);
    mergeDirection(outbound, st.outbound);
    mergeDirection(headers, st.headers);
    unknownDirection += st.unknownDirection;
    mergeDirection(unknownDirectionStats, st.unknownDirectionStats);
    failureTotal += st.failureTotal;
    for (const [k, v] of st.failuresByKind) failuresByKind.set(k, (failuresByKind.get(k) ?? 0) + v);
    noFs.mergeState(st.noFs, lineOffset);
    failing.mergeState(st.failing, lineOffset);
    for (const sd of st.days) {
      let d = days.get(sd.key);
      if (!d) {
        if (days.size >= maxDays) {
          daysDropped += sd.connections + sd.failures;
          continue;
        }
        d = { connections: 0, yes: 0, no: 0, unknown: 0, protocol: new Map(), failures: 0 };
        days.set(sd.key, d);
      }
      d.connections += sd.connections;
      d.yes += sd.yes;
      d.no += sd.no;
      d.unknown += sd.unknown;
      d.failures += sd.failures;
      addCounts(d.protocol, sd.protocol);
    }
    daysDropped += st.daysDropped;
    syslogDates ||= st.syslogDates;
    cappedTables ||= st.cappedTables;
    lastTs = undefined; // the day cache may point at a day object of an earlier part
    lastDay = undefined;
  };

  return {
    add,
    addFile: (f) => {
      files.push({ ...f });
    },
    result,
    exportState,
    mergeState,
  };
}

/** Adds `s` into `all`. Tables are not capped again: each part is already capped. */
function mergeInto(all: MutableDirection, s: MutableDirection): void {
  all.connections += s.connections;
  all.established += s.established;
  all.reused += s.reused;
  all.yes += s.yes;
  all.no += s.no;
  all.unknown += s.unknown;
  all.pq += s.pq;
  const merge = (to: Map<string, number>, from: Map<string, number>): void => {
    for (const [k, v] of from) to.set(k, (to.get(k) ?? 0) + v);
  };
  merge(all.protocol, s.protocol);
  merge(all.cipher, s.cipher);
  merge(all.kex, s.kex);
  merge(all.status, s.status);
}

function freezeDirection(s: MutableDirection): DirectionStats {
  return {
    connections: s.connections,
    established: s.established,
    reused: s.reused,
    fs: { yes: s.yes, no: s.no, unknown: s.unknown },
    fsShare: share(s.yes, s.yes + s.no),
    postQuantum: s.pq,
    pqShare: share(s.pq, s.connections),
    byProtocol: sortedCounts(s.protocol),
    byCipher: sortedCounts(s.cipher),
    byKeyExchange: sortedCounts(s.kex),
    byStatus: sortedCounts(s.status),
  };
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Counts as an object, most frequent first (ties by name), OTHER_KEY last. */
export function sortedCounts(m: Map<string, number>): Record<string, number> {
  const entries = [...m.entries()].sort((a, b) => {
    if (a[0] === OTHER_KEY) return 1;
    if (b[0] === OTHER_KEY) return -1;
    return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  });
  return Object.fromEntries(entries);
}

const INFERRED_LABELS = new Map<string, string>();

/** True when a and b have the same first n characters (and both have at least n). */
function samePrefix(a: string, b: string, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  return true;
}

/** `1 line`, `2 lines`, `1,024 lines`: a count with its noun in the right number. */
export function countOf(n: number, word: string, plural = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : plural}`;
}

/**
 * A whole number with commas between groups of three digits (`1,234,567`), as
 * toLocaleString('en-US') writes it, without Intl: the first use of Intl in a process sets up
 * ICU (~25 ms), a tenth of a small report's time.
 */
export function formatCount(n: number): string {
  if (!Number.isInteger(n) || Math.abs(n) >= 1e21) return String(n); // (counts never are)
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** Key-exchange label: as logged (`X25519`, `ECDHE (P-256)`, `DHE (2048 bits)`), `ECDHE (from cipher)`, or why there is none. */
export function kexLabel(r: LogRecord): string {
  const k = r.keyExchange;
  // A cipher the tables do not know tells nothing about the key exchange (never a guess).
  if (!k) return r.fsReason === 'unknown-cipher' ? '(unknown cipher)' : '(not logged)';
  if (!k.logged) {
    let l = INFERRED_LABELS.get(k.name);
    if (l === undefined) {
      l = `${k.name} (from cipher)`;
      if (INFERRED_LABELS.size < 64) INFERRED_LABELS.set(k.name, l);
    }
    return l;
  }
  if (k.curve) return `${k.name} (${k.curve})`;
  if (k.bits) return `${k.name} (${k.bits} bits)`;
  return k.name;
}

/** Peer as `name[address]` (the port varies per connection, so it is left out). */
export function peerKey(r: LogRecord): string {
  const p = r.peer;
  if (!p) return '(unknown peer)';
  return p.address !== undefined ? `${p.name}[${p.address}]` : p.name;
}

function seenAt(r: LogRecord, where: RecordLocation): SeenAt {
  const s: SeenAt = { file: where.file, line: where.line };
  if (r.timestamp !== undefined) s.timestamp = r.timestamp;
  return s;
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/**
 * Day of a timestamp as written: `2024-11-28` for RFC 3339 (`2024-11-28T10:00:00+01:00`),
 * `Nov 28` for classic syslog (`Nov 28 10:00:00`, `Nov  3 ...` becomes `Nov 3`), else NO_DAY.
 */
export function dayKey(timestamp: string | undefined): string {
  if (!timestamp) return NO_DAY;
  const c0 = timestamp.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    // RFC 3339 / ISO 8601 date first.
    if (timestamp.length >= 10 && timestamp[4] === '-' && timestamp[7] === '-') return timestamp.slice(0, 10);
    return NO_DAY;
  }
  const month = timestamp.slice(0, 3);
  if (!MONTHS.includes(month)) return NO_DAY;
  let i = 3;
  while (timestamp[i] === ' ') i++;
  let j = i;
  while (j < timestamp.length && timestamp.charCodeAt(j) >= 48 && timestamp.charCodeAt(j) <= 57) j++;
  if (j === i || j - i > 2) return NO_DAY;
  return `${month} ${Number(timestamp.slice(i, j))}`;
}

/**
 * Days in time order. ISO dates sort as text. Syslog dates (no year) sort by month and day,
 * starting after the largest gap between months so that Dec comes before Jan across a year end.
 */
function orderDays(days: Map<string, MutableDay>): [string, MutableDay][] {
  const entries = [...days.entries()];
  const iso = entries.filter(([k]) => k.includes('-')).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const sys = entries.filter(([k]) => !k.includes('-') && k !== NO_DAY);
  const none = entries.filter(([k]) => k === NO_DAY);
  const ord = (k: string): number => MONTHS.indexOf(k.slice(0, 3)) * 32 + Number(k.slice(4));
  sys.sort((a, b) => ord(a[0]) - ord(b[0]));
  if (sys.length > 1) {
    const months = [...new Set(sys.map(([k]) => MONTHS.indexOf(k.slice(0, 3))))].sort((a, b) => a - b);
    // Largest circular gap between months present: the series starts right after it.
    let bestGap = months[0] + 12 - months[months.length - 1];
    let startMonth = months[0];
    for (let i = 1; i < months.length; i++) {
      const gap = months[i] - months[i - 1];
      if (gap > bestGap) {
        bestGap = gap;
        startMonth = months[i];
      }
    }
    const rot = (k: string): number => ((MONTHS.indexOf(k.slice(0, 3)) - startMonth + 12) % 12) * 32 + Number(k.slice(4));
    sys.sort((a, b) => rot(a[0]) - rot(b[0]));
  }
  return [...iso, ...sys, ...none];
}
