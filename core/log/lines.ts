/**
 * Streaming line reader for mail logs: a plain file, a gzip file (detected by its magic bytes,
 * whatever its name) or stdin (`-`). This is an I/O module (node:fs, node:zlib); the classifier
 * stays pure.
 *
 * It is the hot path of reports over whole log archives, so it works on Buffers a chunk at a
 * time instead of line by line:
 * - files are read 1 MiB at a time into one reused buffer (no allocation per chunk);
 * - with `needles` (ASCII substrings: the classifier's PREFILTER_NEEDLES) the needles are
 *   searched on the raw bytes of the whole chunk (native search, no string made), and only the
 *   lines holding one are turned into strings; other lines are only counted, so line numbers
 *   stay right;
 * - with `select` as well (the report), one pass over the bytes (a WebAssembly SIMD kernel, see
 *   scanKernel) finds the lines holding a TLS word and the folded ones; of the rest, nothing
 *   but the count is kept, and the caller's cheap test turns down most candidates before they
 *   become strings of their own;
 * - without a filter, each 64 KiB window is decoded once and split with indexOf.
 * Lines are fresh strings (never slices of a big chunk string), so callers that keep parts of
 * them pin no chunk memory. Memory stays flat: a line longer than `maxLineLength` bytes is cut
 * there and the rest of it is skipped, never buffered.
 */
import { promises as fsp } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import * as nodeBuffer from 'node:buffer';
import { BINARY_SNIFF_BYTES, looksBinary } from '../sniff';

/** Node's fast slice methods (present since early Node versions, not in the typings). */
interface FastSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
/** `buffer.isAscii` (Node >= 18.15, SIMD); a loop where it is missing. */
const isAscii: (b: Uint8Array) => boolean =
  typeof (nodeBuffer as { isAscii?: unknown }).isAscii === 'function'
    ? (nodeBuffer as unknown as { isAscii: (b: Uint8Array) => boolean }).isAscii
    : (b) => {
        for (let i = 0; i < b.length; i++) if (b[i] > 127) return false;
        return true;
      };

/** Lines longer than this (in bytes) are truncated for classification. */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
/** Read size: large reads keep the per-read overhead negligible. */
const READ_SIZE = 1024 * 1024;
/**
 * Bytes split at a time. Kept well under V8's large-object threshold (128 KiB): a string
 * decoded from a bigger window goes to large-object space, which costs page faults and GC work
 * on every chunk (measured: 256 MB split in 64 KiB windows 0.2 s, in 1 MiB windows 1.3 s).
 */
const WINDOW = 64 * 1024;
const LF = 10;
const CR = 13;

export interface ReadLinesOptions {
  signal?: AbortSignal;
  /** Bytes kept of a longer line (default 1 MiB); the rest of that line is skipped. */
  maxLineLength?: number;
  /** Stream used for `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /**
   * Keep only lines containing at least one of these substrings (case-sensitive; ASCII only,
   * since they are matched against the raw bytes). Skipped lines still count for `lineNo`.
   * A needle longer than 6 characters is searched by a 6-character part of it (searchKey), so
   * a few more lines may be kept, never fewer: a pre-filter, the classifier still decides.
   */
  needles?: readonly string[];
  /**
   * Keep only lines for which this returns true. It gets the line with bytes mapped 1:1 to
   * chars (latin1), so it must only test ASCII text. Combined with `needles` by OR.
   */
  prefilter?: (rawLine: string) => boolean;
  /**
   * With a filter: also keep the lines folded under a kept line (starting with space or tab),
   * as in a Received: header, so the whole header reaches the classifier.
   */
  withContinuations?: boolean;
  /**
   * Narrows what `needles` + `withContinuations` keep, for speed, when the caller knows that
   * most kept lines make no difference to it (the report: `TLS_WORDS` and `mayHoldRecord` of
   * the classifier). Lines are taken in units: a line with the folded lines under it (a
   * "group"), or a line alone. A group is passed on whole (its lines `needles` keeps) if one
   * of its lines holds one of `select.needles`, else not at all; a line alone only if it holds
   * one of `select.needles` and `select.keep` (given the line, cut at `maxLineLength`, with
   * bytes mapped 1:1 to chars, latin1) says so. Lines at chunk ends may be passed on anyway
   * (always a subset of what `needles` keeps, never fewer than described). Needs
   * `withContinuations`; each of `select.needles` must contain one of `needles` (searched by
   * key, see searchKey) and there must be no `prefilter`; otherwise `select` is ignored. Line
   * numbers, `stats.lines` and `truncatedLines` do not change.
   */
  select?: { needles: readonly string[]; keep: (rawLine: string) => boolean };
  /** Called after each chunk with the number of bytes read from the source so far (compressed bytes for .gz). */
  onBytes?: (bytesRead: number) => void;
  /**
   * Plain files only: read just the lines that START in bytes [start, end) (end: to the end of
   * the file), so a file can be split between workers at any byte offsets without losing or
   * doubling a line. `lineNo` then counts from the first line of the range.
   */
  range?: { start: number; end?: number };
}

/** One line (without its `\n` or trailing `\r`) and its 1-based number. */
export interface NumberedLine {
  line: string;
  lineNo: number;
}

/** Lines of one chunk, in order. `lineNos[i]` is the 1-based number of `lines[i]`. */
export interface LineBatch {
  lines: string[];
  lineNos: number[];
}

/** Counters filled while reading. */
export interface ReadStats {
  /** Physical lines seen (kept or not). */
  lines: number;
  /** Bytes read from the source (compressed for .gz). */
  bytesRead: number;
  /** Lines cut at maxLineLength. */
  truncatedLines: number;
  /** The source was gzip-compressed. */
  gzip: boolean;
}

/** A readable error about a source: missing, a directory, a device, binary, not readable, broken gzip. */
export class LineReadError extends Error {
  /**
   * @param unread true when nothing of the source was passed on before the error (it could not
   *   be opened, is no file, or looks binary): a caller can then skip it and go on with others.
   */
  constructor(message: string, readonly source: string, readonly code?: string, readonly unread = false) {
    super(message);
    this.name = 'LineReadError';
  }
}

/** Lines of `source` (a path, or `-` for stdin), one at a time. */
export async function* readLines(source: string, opts: ReadLinesOptions = {}): AsyncIterable<NumberedLine> {
  for await (const batch of readLineBatches(source, opts)) {
    for (let i = 0; i < batch.lines.length; i++) yield { line: batch.lines[i], lineNo: batch.lineNos[i] };
  }
}

/**
 * Lines of `source` a chunk at a time: the fast way for whole-file work (one await per chunk,
 * not per line). Pass `stats` to get counters (filled in as reading goes on).
 */
export async function* readLineBatches(
  source: string,
  opts: ReadLinesOptions = {},
  stats: ReadStats = { lines: 0, bytesRead: 0, truncatedLines: 0, gzip: false },
): AsyncIterable<LineBatch> {
  const { signal } = opts;
  throwIfAborted(signal);
  const raw = await openRaw(source, opts);
  const splitter = new LineSplitter(opts);
  const label = source === '-' ? 'stdin' : source;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  let input: Readable | undefined;
  const batch: LineBatch = { lines: [], lineNos: [] };
  // Splits a chunk in windows (see WINDOW) and returns the lines completed so far.
  const feed = (chunk: Buffer): LineBatch | undefined => {
    // Windows end after a newline where there is one: no line is then carried (copied) from a
    // window to the next inside a chunk, only from one chunk to the next.
    for (let s = 0; s < chunk.length; ) {
      let e = Math.min(chunk.length, s + WINDOW);
      if (e < chunk.length) {
        const nl = chunk.lastIndexOf(LF, e - 1);
        if (nl >= s) e = nl + 1;
      }
      splitter.push(chunk.subarray(s, e), batch);
      s = e;
    }
    stats.lines = splitter.lineNo;
    stats.truncatedLines = splitter.truncatedLines;
    if (batch.lines.length === 0) return undefined;
    const out = { lines: batch.lines, lineNos: batch.lineNos };
    batch.lines = [];
    batch.lineNos = [];
    return out;
  };
  try {
    // Peek at the first chunk for the gzip magic (1f 8b): works for stdin and odd file names.
    const first = await raceAbort(raw.read(), signal);
    if (!first) return;
    // One look at the start of the source (not per line): a binary file is refused whole.
    const sniffStart = (opts.range?.start ?? 0) === 0;
    const count = (chunk: Buffer): void => {
      stats.bytesRead += chunk.length;
      opts.onBytes?.(stats.bytesRead);
    };
    if (first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b && (opts.range?.start ?? 0) === 0) {
      if (opts.range) throw new LineReadError(`${label}: a byte range cannot be read from a gzip file`, source);
      stats.gzip = true;
      const compressed = async function* (): AsyncGenerator<Buffer> {
        // Copies: the file reader reuses its buffer, zlib may still hold the previous one.
        let chunk: Buffer | undefined = first;
        while (chunk) {
          count(chunk);
          yield raw.reuses ? Buffer.from(chunk) : chunk;
          throwIfAborted(signal);
          chunk = await raceAbort(raw.read(), signal);
        }
      };
      const gz = createGunzip({ chunkSize: WINDOW });
      gunzip = gz;
      input = Readable.from(compressed(), { objectMode: false });
      input.on('error', (e) => gz.destroy(e));
      input.pipe(gz);
      let sniff = sniffStart;
      for await (const chunk of gz) {
        throwIfAborted(signal);
        if (sniff) {
          sniff = false;
          refuseBinary(chunk as Buffer, label, source);
        }
        const out = feed(chunk as Buffer);
        if (out) yield out;
      }
    } else {
      if (sniffStart) refuseBinary(first, label, source);
      let chunk: Buffer | undefined = first;
      while (chunk) {
        count(chunk);
        const out = feed(chunk);
        if (out) yield out;
        throwIfAborted(signal);
        chunk = await raceAbort(raw.read(), signal);
      }
    }
    throwIfAborted(signal);
    splitter.end(batch);
    stats.lines = splitter.lineNo;
    stats.truncatedLines = splitter.truncatedLines;
    if (batch.lines.length > 0) yield batch;
  } catch (err) {
    if (isAbort(err, signal)) throw signal?.reason ?? err;
    if (err instanceof LineReadError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (gunzip && (e.code?.startsWith('Z_') || /gzip|header|unexpected end/i.test(e.message))) {
      throw new LineReadError(`${label}: not a valid gzip file or truncated (${e.message})`, source, e.code);
    }
    throw new LineReadError(`${label}: read error: ${e.message}`, source, e.code);
  } finally {
    input?.destroy();
    gunzip?.destroy();
    await raw.close();
  }
}

/**
 * Throws when the first bytes of a source look binary (core/sniff.ts). A leading run of NUL
 * bytes alone is not taken as binary: a log rotated with `copytruncate` while the writer kept
 * its offset starts with such a hole, and the text after it is a log all the same.
 */
function refuseBinary(head: Buffer, label: string, source: string): void {
  let i = 0;
  const n = Math.min(head.length, BINARY_SNIFF_BYTES);
  while (i < n && head[i] === 0) i++;
  if (i === head.length) return;
  if (looksBinary(head.subarray(i))) {
    throw new LineReadError(`${label}: looks like a binary file (it contains NUL bytes), not a mail log`, source, 'EBINARY', true);
  }
}

/** Size in bytes of a source on disk (undefined for stdin): for progress reports. */
export async function sourceSize(source: string): Promise<number | undefined> {
  if (source === '-') return undefined;
  try {
    return (await fsp.stat(source)).size;
  } catch {
    return undefined;
  }
}

/** Raw bytes of a source, a chunk at a time. */
interface ByteSource {
  /** The next chunk, or undefined at the end. With `reuses`, valid only until the next call. */
  read(): Promise<Buffer | undefined>;
  /** True when read() returns the same buffer each time (files). */
  readonly reuses: boolean;
  close(): Promise<void>;
}

/** Opens the source for reading, with readable errors. */
async function openRaw(source: string, opts: ReadLinesOptions): Promise<ByteSource> {
  if (source === '-') {
    const stdin = (opts.stdin ?? process.stdin) as AsyncIterable<Buffer | string>;
    const it = stdin[Symbol.asyncIterator]();
    return {
      reuses: false,
      read: async () => {
        const n = await it.next();
        if (n.done) return undefined;
        return typeof n.value === 'string' ? Buffer.from(n.value) : n.value;
      },
      // Ends our iteration (which also stops the stream): nothing else would read it anyway.
      // Destroyed, not just left: with a read pending (e.g. after an abort) the iterator's
      // return() would wait for more data, and an open stdin keeps the process alive.
      close: async () => {
        const d = (stdin as unknown as { destroy?: () => void }).destroy;
        if (typeof d === 'function') d.call(stdin);
        else it.return?.().catch(() => undefined);
      },
    };
  }
  let handle: fsp.FileHandle;
  let fifo: boolean;
  try {
    const st = await fsp.stat(source);
    if (st.isDirectory()) throw new LineReadError(`${source}: is a directory, not a log file`, source, 'EISDIR', true);
    // A device (/dev/zero, a terminal) or a socket is no log file and may never end. A named
    // pipe is read as a stream (a live log piped in), like stdin.
    fifo = st.isFIFO();
    if (!st.isFile() && !fifo) throw new LineReadError(`${source}: not a regular file (a device or socket), not a log file; give a file, or - for stdin`, source, 'ENOTREG', true);
    if (fifo && opts.range) throw new LineReadError(`${source}: a byte range cannot be read from a named pipe`, source, 'ESPIPE', true);
    handle = await fsp.open(source, 'r');
  } catch (err) {
    if (err instanceof LineReadError) throw err;
    throw describeOpenError(source, err as NodeJS.ErrnoException);
  }
  // Two buffers for the whole file (no allocation, and no page faults, per chunk): while the
  // caller splits one chunk, the next is read into the other buffer on libuv's thread pool, so
  // the CPU never sits idle waiting for a read (~15 % of the wall time of a report otherwise).
  const bufs = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
  let which = 0;
  let closed = false;
  const cutter = opts.range ? new RangeCutter(opts.range.start, opts.range.end) : undefined;
  let pos = cutter ? cutter.readFrom : 0;
  let done = false;
  type Read = { buf: Buffer; bytesRead: number; at: number };
  const readAt = (at: number): Promise<Read> => {
    const buf = bufs[which];
    which ^= 1;
    // A pipe cannot seek: read it in order (reads are issued one after the other).
    const p = handle.read(buf, 0, READ_SIZE, fifo ? null : at).then(({ bytesRead }) => ({ buf, bytesRead, at }));
    // An error is reported by the read() that awaits it, not as an unhandled rejection.
    p.catch(() => undefined);
    return p;
  };
  let ahead: Promise<Read> | undefined;
  return {
    reuses: true,
    read: async () => {
      for (;;) {
        if (closed || done) return undefined;
        const r = await (ahead ?? readAt(pos));
        ahead = undefined;
        if (r.bytesRead <= 0) return undefined;
        pos = r.at + r.bytesRead;
        const chunk = r.buf.subarray(0, r.bytesRead);
        let from = 0;
        let to = chunk.length;
        if (cutter) {
          const cut = cutter.cut(chunk, r.at);
          done = cut.done;
          from = cut.from;
          to = cut.to;
        }
        // The other buffer is free: the caller is done with the chunk before this call's.
        if (!done) ahead = readAt(pos);
        if (to > from) return chunk.subarray(from, to);
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // A read still under way writes into our buffer and holds the handle: let it finish.
      await ahead?.catch(() => undefined);
      await handle.close().catch(() => undefined);
    },
  };
}

/**
 * Cuts a byte range of a file at line boundaries: the range owns the lines that start in
 * [start, end), plus the folded lines (starting with space or tab) right after its last line,
 * so a folded record (a Received: header) is never split between two ranges.
 * Reading starts one byte early: if that byte is a newline, the line at `start` is ours.
 */
class RangeCutter {
  readonly readFrom: number;
  private state: 'skip' | 'skip-line-start' | 'take' | 'ext-line-start' | 'ext-line' | 'done';
  private readonly start: number;
  constructor(start: number, private readonly end: number | undefined) {
    this.start = Math.max(0, Math.floor(start));
    this.readFrom = this.start > 0 ? this.start - 1 : 0;
    this.state = this.start > 0 ? 'skip' : 'take';
    if (end !== undefined && end <= this.start) this.state = 'done';
  }

  /** The part [from, to) of `chunk` (read at file offset `at`) that belongs to the range. */
  cut(chunk: Buffer, at: number): { from: number; to: number; done: boolean } {
    const len = chunk.length;
    let i = 0;
    let from = -1;
    for (;;) {
      switch (this.state) {
        case 'done':
          return { from: 0, to: from < 0 ? 0 : i, done: true };
        case 'skip': {
          // Inside a line of the range before: drop it.
          const nl = chunk.indexOf(LF, i);
          if (nl < 0) return { from: 0, to: 0, done: false };
          i = nl + 1;
          this.state = 'skip-line-start';
          break;
        }
        case 'skip-line-start':
          if (i >= len) return { from: 0, to: 0, done: false };
          if (isFold(chunk[i])) this.state = 'skip'; // a folded line still belongs to the range before
          else if (this.end !== undefined && at + i >= this.end) this.state = 'done'; // no line starts in the range
          else this.state = 'take';
          break;
        case 'take': {
          if (from < 0) from = i;
          if (this.end === undefined) return { from, to: len, done: false };
          const j = Math.max(i, this.end - 1 - at);
          if (j >= len) return { from, to: len, done: false };
          // The last line starting in the range holds byte end - 1.
          const nl = chunk.indexOf(LF, j);
          if (nl < 0) return { from, to: len, done: false };
          i = nl + 1;
          this.state = 'ext-line-start';
          break;
        }
        case 'ext-line-start':
          if (from < 0) from = i;
          if (i >= len) return { from, to: len, done: false };
          if (!isFold(chunk[i])) {
            this.state = 'done';
            return { from, to: i, done: true };
          }
          this.state = 'ext-line';
          break;
        case 'ext-line': {
          if (from < 0) from = i;
          const nl = chunk.indexOf(LF, i);
          if (nl < 0) return { from, to: len, done: false };
          i = nl + 1;
          this.state = 'ext-line-start';
          break;
        }
      }
    }
  }
}

/** A readable error for a failed open/stat (exported for tests). */
export function describeOpenError(source: string, e: NodeJS.ErrnoException): LineReadError {
  switch (e.code) {
    case 'ENOENT':
      return new LineReadError(`${source}: no such file`, source, e.code, true);
    case 'EACCES':
    case 'EPERM':
      return new LineReadError(`${source}: permission denied`, source, e.code, true);
    case 'EISDIR':
      return new LineReadError(`${source}: is a directory, not a log file`, source, e.code, true);
    case 'ENOTDIR':
      return new LineReadError(`${source}: a part of the path is not a directory`, source, e.code, true);
    default:
      return new LineReadError(`${source}: cannot open (${e.message})`, source, e.code, true);
  }
}

/** Settles like `p`, or rejects as soon as the signal aborts (a read from stdin may never end). */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason ?? abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason ?? abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? abortError();
}

function abortError(): Error {
  const e = new Error('The operation was aborted');
  e.name = 'AbortError';
  return e;
}

function isAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  return !!signal?.aborted || (err instanceof Error && err.name === 'AbortError');
}

/**
 * Splits byte chunks into lines. Exported for tests and for callers that already hold bytes
 * (e.g. an in-memory buffer): push every chunk, then `end`.
 */
export class LineSplitter {
  /** Physical lines completed so far. */
  lineNo = 0;
  truncatedLines = 0;
  private readonly max: number;
  private readonly needles: readonly string[];
  private readonly needleBytes: readonly Buffer[];
  private readonly predicate?: (rawLine: string) => boolean;
  private readonly filtered: boolean;
  private readonly continuations: boolean;
  /** `select` (see ReadLinesOptions): its needles' bytes, the needles it does not imply, its test. */
  private readonly selectBytes?: readonly Buffer[];
  private readonly restNeedles: readonly string[] = [];
  private readonly keep?: (rawLine: string) => boolean;
  /** Hits of each select needle in the current body (offsets in the body), reused. */
  private readonly hitLists: number[][] = [];
  /** K-lines (kept by `needles`) of the group being read: start, end (offsets in the body), number. */
  private readonly group: number[] = [];
  /** Start of a line split across chunks (at most `max` bytes). */
  private carry: Buffer[] = [];
  private carryLen = 0;
  /** The carried line went over `max`: its remaining bytes are skipped up to the next newline. */
  private dropping = false;
  /** The last line handled was kept: a folded continuation right after it is kept too. */
  private prevKept = false;

  constructor(opts: Pick<ReadLinesOptions, 'maxLineLength' | 'needles' | 'prefilter' | 'withContinuations' | 'select'> = {}) {
    this.max = Math.max(1, Math.floor(opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH));
    this.needles = (opts.needles ?? []).filter((n) => n.length > 0);
    // Searched by key (see searchKey), in chunks and in lines alike, so the lines kept never
    // depend on where chunks happen to end.
    this.needles = this.needles.map(searchKey);
    this.needleBytes = this.needles.map((n) => Buffer.from(n, 'latin1'));
    this.predicate = opts.prefilter;
    this.filtered = this.needles.length > 0 || !!this.predicate;
    this.continuations = !!opts.withContinuations;
    const sel = opts.select;
    if (sel && !this.predicate && this.needles.length > 0 && this.continuations) {
      const keys = sel.needles.filter((n) => n.length > 0).map(searchKey);
      // A line holding a select needle must be one `needles` keeps.
      if (keys.length > 0 && keys.every((k) => this.needles.some((n) => k.includes(n)))) {
        this.selectBytes = keys.map((k) => Buffer.from(k, 'latin1'));
        // Needles that may be in a line without any select needle in it.
        this.restNeedles = this.needles.filter((n) => !keys.some((k) => n.includes(k)));
        this.keep = sel.keep;
        for (let k = 0; k < keys.length; k++) this.hitLists.push([]);
        this.kernel = kernelEnabled ? scanKernel(keys) : undefined;
      }
    }
  }

  /** Adds the lines completed by `chunk` to `out`. */
  push(chunk: Buffer, out: LineBatch): void {
    const len = chunk.length;
    let start = 0;
    if (this.carryLen > 0 || this.dropping) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.appendCarry(chunk, 0, len);
        return;
      }
      this.appendCarry(chunk, 0, nl);
      const line = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry, this.carryLen);
      this.carry = [];
      this.carryLen = 0;
      this.dropping = false;
      this.single(line, out);
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= start) {
      if (this.selectBytes) {
        if (!this.bodyKernel(chunk, start, last, out)) this.bodySelect(chunk, start, last, out);
      }
      else if (this.filtered) this.bodyFiltered(chunk, start, last, out);
      else this.bodyAll(chunk, start, last, out);
      start = last + 1;
    }
    if (start < len) this.appendCarry(chunk, start, len);
  }

  /** Flushes a last line without a final newline. */
  end(out: LineBatch): void {
    if (this.carryLen > 0 || this.dropping) {
      const line = this.carry.length === 1 ? this.carry[0] : Buffer.concat(this.carry, this.carryLen);
      this.carry = [];
      this.carryLen = 0;
      this.dropping = false;
      this.single(line, out);
    }
  }

  private appendCarry(chunk: Buffer, s: number, e: number): void {
    if (this.dropping) return;
    const room = this.max - this.carryLen;
    const take = Math.min(e - s, room);
    // Copy: a slice would keep the whole 1 MiB chunk alive.
    if (take > 0) this.carry.push(Buffer.from(chunk.subarray(s, s + take)));
    this.carryLen += take;
    if (e - s > room) {
      this.dropping = true;
      this.truncatedLines++;
    }
  }

  /** One complete line held in its own buffer (it was split across chunks). */
  private single(buf: Buffer, out: LineBatch): void {
    this.lineNo++;
    let e = buf.length;
    if (e > 0 && buf[e - 1] === CR) e--;
    if (this.filtered) {
      const keep = (this.continuations && this.prevKept && isFold(buf[0])) || this.matches(buf.toString('latin1', 0, e));
      this.prevKept = keep;
      if (!keep) return;
    }
    out.lines.push(buf.toString('utf8', 0, e));
    out.lineNos.push(this.lineNo);
  }

  private matches(raw: string): boolean {
    for (const n of this.needles) if (raw.includes(n)) return true;
    return !!this.predicate && this.predicate(raw);
  }

  /**
   * `select`: lines of chunk[s, e) (chunk[e] is the last newline) by units (see
   * ReadLinesOptions.select). The select needles are searched on the raw bytes; one walk over
   * the line ends (on a latin1 copy of the body: cheaper calls than on the bytes) counts the
   * lines, finds the folded ones and takes the hits in order. Only the lines passed on become
   * strings of their own. `prevKept` here: the line before is one `needles` keeps (it was
   * passed on then, as every kept line at a chunk end is).
   */
  private bodySelect(chunk: Buffer, s: number, e: number, out: LineBatch): void {
    let nextHit = this.scanHits(chunk, s, e); // smallest hit offset not yet taken
    const text = (chunk as unknown as FastSlices).latin1Slice(s, e);
    const n = text.length;
    const max = this.max;
    this.body = chunk;
    this.bodyStart = s;
    this.bodyEnd = e;
    this.bodyOut = out;
    this.bodyAscii = -1; // unknown until a line is passed on
    this.glen = 0;
    // A folded line first: its group began in the previous chunk, whose last line was passed
    // on if `needles` kept it (then so are the rest of the group).
    this.groupHit = false;
    this.groupForced = this.prevKept;
    this.prevInK = this.prevKept;
    let lineNo = this.lineNo;
    let p = 0;
    let fold = n > 0 && isFold(text.charCodeAt(0));
    for (;;) {
      const nl = text.indexOf('\n', p);
      lineNo++;
      // (Reads stay inside the text: a read past the end would throw the optimised code away.)
      const c = nl >= 0 && nl + 1 < n ? text.charCodeAt(nl + 1) : -1;
      const nextFold = c === 32 || c === 9;
      if (nl >= 0 && !fold && !nextFold && nextHit > nl && nl - p <= max) {
        // The common case: a line alone, without a select needle, not too long.
        if (this.glen > 0 || this.groupForced) this.endGroup(false);
        p = nl + 1;
        continue;
      }
      const end = nl < 0 ? n : nl;
      const hit = nextHit < end;
      if (hit) nextHit = this.takeHits(end);
      this.selectLine(p, end, lineNo, fold, nextFold, nl < 0, hit);
      if (nl < 0) break;
      p = nl + 1;
      fold = nextFold;
    }
    this.lineNo = lineNo;
    this.releaseBody();
  }

  /** Drops the references to the body and its batch (the caller owns them from now on). */
  private releaseBody(): void {
    this.body = EMPTY;
    this.bodyOut = NO_BATCH;
  }

  /**
   * bodySelect's work done by the scan kernel (see scanKernel): the lines it reports go through
   * selectLine as in bodySelect, the others (plain lines alone) are only counted. False when
   * there is no kernel or the body is too large for it.
   */
  private bodyKernel(chunk: Buffer, s: number, e: number, out: LineBatch): boolean {
    const k = this.kernel;
    const len = e + 1 - s; // the body with its last newline
    // (busy: `keep` reading with a LineSplitter of its own while this one uses the memory.)
    if (k === undefined || len > KERNEL_MAX_BODY || k.busy) return false;
    k.bytes.set(chunk.subarray(s, e + 1), 0);
    k.bytes.fill(0, len, len + KERNEL_PAD);
    const count = k.scan(len, this.max);
    this.body = chunk;
    this.bodyStart = s;
    this.bodyEnd = e;
    this.bodyOut = out;
    this.bodyAscii = -1;
    this.glen = 0;
    this.groupHit = false;
    this.groupForced = this.prevKept; // as in bodySelect
    this.prevInK = this.prevKept;
    const ev = k.events;
    const base = this.lineNo;
    const lines = k.lines();
    let prev = -1;
    k.busy = true;
    try {
      for (let j = 0, o = KERNEL_EVENTS >> 2; j < count; j++, o += 4) {
        const idx = ev[o + 2];
        // Lines skipped since the last reported one were plain lines alone: the group before ended.
        if (idx !== prev + 1 && (this.glen > 0 || this.groupForced)) this.endGroup(false);
        prev = idx;
        const fl = ev[o + 3];
        this.selectLine(ev[o], ev[o + 1], base + idx + 1, (fl & EV_FOLD) !== 0, (fl & EV_NEXT_FOLD) !== 0, (fl & EV_LAST) !== 0, (fl & EV_HIT) !== 0);
      }
    } finally {
      k.busy = false;
    }
    this.lineNo = base + lines;
    this.releaseBody();
    return true;
  }

  /** Searches the select needles in chunk[s, e) into hitLists (offsets from s); the first hit. */
  private scanHits(chunk: Buffer, s: number, e: number): number {
    const sel = this.selectBytes!;
    const ptr = this.ptrArray;
    let first = NO_HIT;
    for (let k = 0; k < sel.length; k++) {
      const needle = sel[k];
      const hits = this.hitLists[k];
      let h = 0;
      let i = chunk.indexOf(needle, s);
      // A needle holds no newline, so a match starting before e ends before e too.
      while (i >= 0 && i < e) {
        hits[h++] = i - s;
        i = chunk.indexOf(needle, i + needle.length);
      }
      hits[h] = NO_HIT; // end mark
      ptr[k] = 0;
      if (hits[0] < first) first = hits[0];
    }
    return first;
  }

  /** Skips the hits before `end` (the line's end); the next hit after them. */
  private takeHits(end: number): number {
    const ptr = this.ptrArray;
    let next = NO_HIT;
    for (let k = 0; k < ptr.length; k++) {
      const hits = this.hitLists[k];
      let j = ptr[k];
      while (hits[j] < end) j++;
      ptr[k] = j;
      if (hits[j] < next) next = hits[j];
    }
    return next;
  }

  /**
   * One line of the body that is not a plain line alone: with a select needle, in a group (a
   * line with folded lines under it, or a folded line), too long, or the body's last line (the
   * next one, in the next chunk, may be folded under it).
   */
  private selectLine(p: number, end: number, lineNo: number, fold: boolean, nextFold: boolean, last: boolean, hit: boolean): void {
    const max = this.max;
    let lineEnd = end;
    if (lineEnd > p && this.body[this.bodyStart + lineEnd - 1] === CR) lineEnd--;
    const long = lineEnd - p > max;
    // A line that is not folded starts a new unit: the group before is complete.
    if (!fold && (this.glen > 0 || this.groupForced)) this.endGroup(false);
    if (!fold && !nextFold && !last) {
      // A line alone: passed on if the caller wants it. It is asked with a string of its own
      // (character reads on a slice of the body are slow), passed on as is when the body is
      // ASCII (the same text).
      if (hit) {
        const fast = this.body as unknown as FastSlices;
        const s = this.bodyStart;
        const cut = Math.min(lineEnd, p + max);
        const raw = fast.latin1Slice(s + p, s + cut);
        if (this.keep!(raw)) {
          this.bodyOut.lines.push(this.isBodyAscii() ? raw : fast.utf8Slice(s + p, s + cut));
          this.bodyOut.lineNos.push(lineNo);
        }
      }
      if (long && (hit || this.holdsRest(p, end))) this.truncatedLines++; // counted as kept lines are
      return;
    }
    const inK = hit || (fold && this.prevInK) || this.holdsRest(p, end);
    if (inK) {
      const group = this.group;
      group[this.glen++] = p;
      group[this.glen++] = end;
      group[this.glen++] = lineNo;
      if (long) this.truncatedLines++;
    }
    if (hit) this.groupHit = true;
    this.prevInK = inK;
    if (last) {
      // Passed on whatever follows: the rest of the group will be too (see groupForced).
      this.endGroup(true);
      this.prevKept = inK;
    }
  }

  /** Ends the group being read: passes its kept lines on if it holds a select needle (or `force`). */
  private endGroup(force: boolean): void {
    if (this.glen > 0 && (this.groupHit || this.groupForced || force)) {
      const body = this.body;
      const fast = body as unknown as FastSlices;
      const s = this.bodyStart;
      const group = this.group;
      const out = this.bodyOut;
      // ASCII bodies (nearly all of a log) are cut with latin1Slice: cheaper than UTF-8
      // decoding, same text. Each line is a fresh string: records kept by callers pin no chunk.
      const ascii = this.isBodyAscii();
      for (let g = 0; g < this.glen; g += 3) {
        const ls = group[g];
        let end = group[g + 1];
        if (end > ls && body[s + end - 1] === CR) end--;
        if (end - ls > this.max) end = ls + this.max;
        out.lines.push(ascii ? fast.latin1Slice(s + ls, s + end) : fast.utf8Slice(s + ls, s + end));
        out.lineNos.push(group[g + 2]);
      }
    }
    this.glen = 0;
    this.groupHit = false;
    this.groupForced = false;
  }

  private isBodyAscii(): boolean {
    if (this.bodyAscii < 0) this.bodyAscii = isAscii(this.body.subarray(this.bodyStart, this.bodyEnd)) ? 1 : 0;
    return this.bodyAscii === 1;
  }

  /** The WebAssembly scan kernel for the select needles, if available. */
  private readonly kernel: ScanKernel | undefined;
  /** Where each hit list is read (see bodySelect). */
  private readonly ptrArray: number[] = [];
  // The body bodySelect is reading, and its state, for the methods it calls.
  private body: Buffer = EMPTY;
  private bodyStart = 0;
  private bodyEnd = 0;
  private bodyOut: LineBatch = NO_BATCH;
  /** The body is ASCII (1) or not (0); -1: not checked yet. */
  private bodyAscii = -1;
  /** Entries (3 numbers each) of `group` used; the group holds a select needle; it goes on a group passed on before. */
  private glen = 0;
  private groupHit = false;
  private groupForced = false;
  /** The line before is one `needles` keeps. */
  private prevInK = false;

  /** Does the body's [ls, le) hold one of the needles a line can hold without a select needle? */
  private holdsRest(ls: number, le: number): boolean {
    const rest = this.restNeedles;
    if (rest.length === 0) return false;
    const line = (this.body as unknown as FastSlices).latin1Slice(this.bodyStart + ls, this.bodyStart + le);
    for (let k = 0; k < rest.length; k++) if (line.indexOf(rest[k]) >= 0) return true;
    return false;
  }

  /** Unfiltered: every line of chunk[s, e), where chunk[e] is the last newline. */
  private bodyAll(chunk: Buffer, s: number, e: number, out: LineBatch): void {
    const fast = chunk as unknown as FastSlices;
    // Line ends are found on a latin1 copy (one character per byte, so its offsets are byte
    // offsets); each line is cut from the bytes, a fresh string, decoded as UTF-8 unless the
    // window is ASCII. A line over the limit is cut at `max` bytes, as on the filtered paths.
    const ascii = isAscii(chunk.subarray(s, e));
    const text = fast.latin1Slice(s, e);
    const max = this.max;
    let p = 0;
    let lineNo = this.lineNo;
    for (;;) {
      const nl = text.indexOf('\n', p);
      let end = nl < 0 ? text.length : nl;
      if (end > p && text.charCodeAt(end - 1) === CR) end--;
      if (end - p > max) {
        end = p + max;
        this.truncatedLines++;
      }
      out.lines.push(ascii ? fast.latin1Slice(s + p, s + end) : fast.utf8Slice(s + p, s + end));
      out.lineNos.push(++lineNo);
      if (nl < 0) break;
      p = nl + 1;
    }
    this.lineNo = lineNo;
  }

  /** Filtered: only lines of chunk[s, e) matching a needle/predicate (plus continuations). */
  private bodyFiltered(chunk: Buffer, s: number, e: number, out: LineBatch): void {
    // Starts (offsets in chunk) of candidate lines. Needles are searched on the raw bytes over
    // the whole chunk (native memmem-like search, no string made); only kept lines are decoded.
    const starts: number[] = [];
    if (this.predicate) {
      const text = (chunk as unknown as FastSlices).latin1Slice(s, e);
      let p = 0;
      for (;;) {
        const nl = text.indexOf('\n', p);
        const end = nl < 0 ? text.length : nl;
        if (this.matches(text.slice(p, end))) starts.push(s + p);
        if (nl < 0) break;
        p = nl + 1;
      }
    } else {
      for (const needle of this.needleBytes) {
        let i = chunk.indexOf(needle, s);
        // A needle holds no newline, so a match starting before e ends before e too.
        while (i >= 0 && i < e) {
          starts.push(chunk.lastIndexOf(LF, i) + 1); // >= s: chunk[s - 1] is a newline or s is 0
          const le = chunk.indexOf(LF, i);
          if (le < 0 || le >= e) break;
          i = chunk.indexOf(needle, le + 1);
        }
      }
      if (this.needleBytes.length > 1) starts.sort((x, y) => x - y);
    }
    if (this.continuations && this.prevKept && e > s && isFold(chunk[s]) && starts[0] !== s) starts.unshift(s);
    if (starts.length === 0) {
      this.lineNo += countLf(chunk, s, e) + 1;
      this.prevKept = false;
      return;
    }

    const fast = chunk as unknown as FastSlices;
    // ASCII bodies (nearly all of a log) are cut with latin1Slice: cheaper than UTF-8 decoding,
    // same text. Each line is a fresh string, so records kept by callers pin no chunk memory.
    const ascii = isAscii(chunk.subarray(s, e));
    let lineNo = this.lineNo; // number of the line before the one at `cursor`
    let cursor = s; // a line start; the lines before it are counted
    let emittedEnd = -1; // end of the last emitted line (its newline, or e)
    let lastKeptEnd = -1;
    const emit = (ls: number): number => {
      let le = chunk.indexOf(LF, ls);
      if (le < 0 || le > e) le = e;
      lineNo += countLf(chunk, cursor, ls);
      cursor = ls;
      let end = le;
      if (end > ls && chunk[end - 1] === CR) end--;
      if (end - ls > this.max) {
        end = ls + this.max;
        this.truncatedLines++;
      }
      out.lines.push(ascii ? fast.latin1Slice(ls, end) : fast.utf8Slice(ls, end));
      out.lineNos.push(lineNo + 1);
      emittedEnd = le;
      return le;
    };
    for (let k = 0; k < starts.length; k++) {
      const ls = starts[k];
      if (ls <= emittedEnd) continue; // duplicate start (several needles) or already emitted
      let le = emit(ls);
      lastKeptEnd = le;
      if (this.continuations) {
        while (le < e && isFold(chunk[le + 1])) {
          le = emit(le + 1);
          lastKeptEnd = le;
        }
      }
    }
    // The line at `cursor` and every line after it in the body.
    this.lineNo = lineNo + 1 + countLf(chunk, cursor, e);
    this.prevKept = lastKeptEnd === e;
  }
}

/**
 * The part of a needle actually searched for. Node's buffer search scans for the first byte of
 * short patterns (memchr-like) and then compares, so a key starting with a rare byte is much
 * faster: 'ficate' is found twice as fast as 'ertificate' in a mail log. Every line holding the
 * needle holds the key, so the filter only lets through more lines, never fewer (the
 * classifier still decides). Rarity: a fixed ranking of how common bytes are in mail logs.
 */
export function searchKey(needle: string): string {
  const KEY = 6;
  if (needle.length <= KEY) return needle;
  let best = 0;
  for (let i = 1; i + KEY <= needle.length; i++) if (byteRank(needle.charCodeAt(i)) < byteRank(needle.charCodeAt(best))) best = i;
  return needle.slice(best, best + KEY);
}

/** Lower is rarer in mail logs: upper-case letters and most punctuation, then digits, then lower case, space last. */
function byteRank(c: number): number {
  if (c === 0x20) return 100;
  if (c >= 0x61 && c <= 0x7a) return 'zqjxkvbwyfgpmhudclsnirtaoe'.indexOf(String.fromCharCode(c)) + 60;
  if (c >= 0x30 && c <= 0x39) return 50;
  if (c === 0x2e || c === 0x3a || c === 0x5b || c === 0x5d || c === 0x2f || c === 0x3d || c === 0x2c) return 40; // . : [ ] / = ,
  return 0;
}

const EMPTY = Buffer.alloc(0);
const NO_BATCH: LineBatch = { lines: [], lineNos: [] };

/** End mark of a hit list (a small integer, so the lists stay arrays of small integers). */
const NO_HIT = 0x3fffffff;

/** Newlines in buf[from, to). */
function countLf(buf: Buffer, from: number, to: number): number {
  let n = 0;
  let q = buf.indexOf(LF, from);
  while (q >= 0 && q < to) {
    n++;
    q = buf.indexOf(LF, q + 1);
  }
  return n;
}

function isFold(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09;
}

// ---------------------------------------------------------------------------------------------
// `select` scan kernel: WebAssembly with 128-bit SIMD, built for the select needles.
//
// It does what bodySelect's walk does (find the lines holding a select needle, count the lines,
// find the folded ones) in one pass over the bytes, 16 at a time. A native search per needle
// stops at every byte equal to the needle's first one (`t` of `tls` is 3 % of a mail log) and
// the walk makes a call per line; this needs about a third of their CPU time (256 MiB: ~0.1 s
// instead of ~0.3 s). It reports only the lines that need a look (holding a needle, folded or
// followed by a folded line, the last one, too long); the others are only counted. Where
// WebAssembly SIMD is missing, bodySelect does the same work in JavaScript.

/** Bodies up to this size go through the kernel (its memory is fixed), larger ones through bodySelect. */
const KERNEL_MAX_BODY = 128 * 1024;
/** Zero bytes after the input: the vector loads and the needle checks read a little past it. */
const KERNEL_PAD = 64;
/** Byte offset of the reported lines: 4 int32 each (start, end, line index, flags). */
const KERNEL_EVENTS = KERNEL_MAX_BODY + KERNEL_PAD;
const KERNEL_PAGES = Math.ceil((KERNEL_EVENTS + KERNEL_MAX_BODY * 16) / 65536);
/** Event flags: holds a select needle; starts with space/tab; the next line does; last of the body (16: longer than the cut). */
const EV_HIT = 1;
const EV_FOLD = 2;
const EV_NEXT_FOLD = 4;
const EV_LAST = 8;

/** The little of the WebAssembly API used here (not in the ES2022 typings). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** A compiled kernel and views of its memory. */
interface ScanKernel {
  /** Scans input [0, len) (which ends with a newline); returns the number of reported lines. */
  scan(len: number, max: number): number;
  /** Lines in the input scanned last. */
  lines(): number;
  bytes: Uint8Array;
  events: Int32Array;
  /** Its reported lines are being read (the memory is not free). */
  busy: boolean;
}

const kernels = new Map<string, ScanKernel | null>();
let kernelEnabled = true;

/**
 * Turns the WebAssembly scan kernel of `select` on or off for the LineSplitters made from now
 * on (for tests and benchmarks: both ways must give the same lines); returns the previous state.
 */
export function setScanKernel(enabled: boolean): boolean {
  const was = kernelEnabled;
  kernelEnabled = enabled;
  return was;
}

/** Is there a scan kernel for these select needles here (WebAssembly SIMD available and the module valid)? For tests and benchmarks. */
export function hasScanKernel(needles: readonly string[]): boolean {
  return scanKernel(needles.filter((n) => n.length > 0).map(searchKey)) !== undefined;
}

/** The kernel for these needle keys, or undefined where WebAssembly SIMD is unavailable. */
function scanKernel(keys: readonly string[]): ScanKernel | undefined {
  const id = keys.join('\n');
  let k = kernels.get(id);
  if (k === undefined) {
    k = null;
    try {
      const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
      const ascii = keys.every((n) => n.length > 0 && /^[\x01-\x09\x0b-\x7f]+$/.test(n));
      const code = ascii && keys.length <= 8 ? kernelModule(keys) : undefined;
      if (wasm && code && wasm.validate(code)) {
        const ex = new wasm.Instance(new wasm.Module(code), {}).exports;
        const mem = (ex.mem as { buffer: ArrayBuffer }).buffer;
        const lines = ex.lines as { value: number };
        k = {
          scan: ex.scan as (len: number, max: number) => number,
          lines: () => lines.value,
          bytes: new Uint8Array(mem),
          events: new Int32Array(mem),
          busy: false,
        };
      }
    } catch {
      k = null; // no kernel: bodySelect does the work
    }
    kernels.set(id, k);
  }
  return k ?? undefined;
}

/**
 * The kernel's module (binary format, assembled here so its source stays readable). One
 * function, scan(len, max):
 *
 *   for each 16-byte block at pos:
 *     v0, v1 = bytes at pos, pos+1
 *     starts = v0 == k[0] & v1 == k[1], for each needle k (its first two bytes)
 *     newline = v0 == '\n'
 *     if no lane of starts | newline is set: next block (most blocks)
 *     for each set bit of bitmask(newline) | bitmask(starts), in order:
 *       a start where a whole needle follows sets `hit`
 *       a newline ends the line [ls, p): flags = hit | folded(ls) | folded(p + 1) | last | too long;
 *         if flags: report (ls, p, line index, flags)
 */
function kernelModule(keys: readonly string[]): Uint8Array {
  // Written straight into one array: the first report of a process assembles this, and
  // building it from nested array spreads cost ~50 ms of interpreted code.
  const o: number[] = [];
  const op = (...b: number[]): void => {
    for (let i = 0; i < b.length; i++) o.push(b[i]);
  };
  const uleb = (n: number): void => {
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      o.push(b);
    } while (n);
  };
  const sleb = (n: number): void => {
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return void o.push(b);
      o.push(b | 0x80);
    }
  };
  /** Emits what `body` emits, preceded by its length (a section, a function body). */
  const sized = (body: () => void): void => {
    const at = o.length;
    body();
    const inner = o.splice(at);
    uleb(inner.length);
    for (let i = 0; i < inner.length; i++) o.push(inner[i]);
  };
  const I32 = 0x7f;
  const V128 = 0x7b;
  // Instructions.
  const get = (i: number): void => (op(0x20), uleb(i));
  const set = (i: number): void => (op(0x21), uleb(i));
  const tee = (i: number): void => (op(0x22), uleb(i));
  const i32 = (n: number): void => (op(0x41), sleb(n));
  const [ADD, SUB, AND, OR, SHL, SHR_U] = [0x6a, 0x6b, 0x71, 0x72, 0x74, 0x76];
  const [EQ, EQZ, GE_U, GT_U, CTZ] = [0x46, 0x45, 0x4f, 0x4b, 0x68];
  const load8 = (off: number): void => (op(0x2d, 0), uleb(off));
  const store = (off: number): void => (op(0x36, 2), uleb(off));
  const vload = (off: number): void => (op(0xfd, 0, 0), uleb(off));
  const SPLAT = [0xfd, 0x0f];
  const VEQ = [0xfd, 0x23];
  const VAND = [0xfd, 0x4e];
  const VOR = [0xfd, 0x50];
  const ANY_TRUE = [0xfd, 0x53];
  const BITMASK = [0xfd, 0x64];
  const block = (b: () => void): void => (op(0x02, 0x40), b(), op(0x0b));
  const loop = (b: () => void): void => (op(0x03, 0x40), b(), op(0x0b));
  const ifThen = (b: () => void): void => (op(0x04, 0x40), b(), op(0x0b));
  const ifElse = (t: () => void, e: () => void): void => (op(0x04, 0x40), t(), op(0x05), e(), op(0x0b));
  const br = (d: number): void => (op(0x0c), uleb(d));
  const brIf = (d: number): void => (op(0x0d), uleb(d));
  // Locals: params len, max; i32 pos, ls (line start), ln (line index), hit, ev (event address),
  // m (bits to visit), nl (newline bits), b, p, fl, tmp; v128 v0, v1, starts, newline, then one
  // vector of 16 copies per byte compared against (made once, before the loop).
  const [LEN, MAX, POS, LS, LN, HIT, EV, M, NL, B, P, FL, TMP] = Array.from({ length: 13 }, (_, i) => i);
  const [V0, V1, VS, VN] = [13, 14, 15, 16];
  const bytes: number[] = [10];
  for (const k of keys) for (let j = 0; j < Math.min(2, k.length); j++) if (!bytes.includes(k.charCodeAt(j))) bytes.push(k.charCodeAt(j));
  const splatOf = (c: number): number => 17 + bytes.indexOf(c);
  const byteEq = (v: number, c: number): void => (get(v), get(splatOf(c)), op(...VEQ));
  const starts = (): void =>
    keys.forEach((k, i) => {
      byteEq(V0, k.charCodeAt(0));
      if (k.length > 1) (byteEq(V1, k.charCodeAt(1)), op(...VAND));
      if (i > 0) op(...VOR);
    });
  // Is the byte at the address on the stack a space or a tab?
  const folded = (): void => (load8(0), tee(TMP), i32(32), op(EQ), get(TMP), i32(9), op(EQ, OR));
  // Does needle k start at p? (All its bytes: a start bit only says its first two match.)
  const whole = (k: string): void => {
    for (let j = 0; j < k.length; j++) (get(P), load8(j), i32(k.charCodeAt(j)), op(EQ), j > 0 && op(AND));
  };
  const body = (): void => {
    for (const c of bytes) (i32(c), op(...SPLAT), set(splatOf(c)));
    i32(KERNEL_EVENTS), set(EV);
    block(() =>
      loop(() => {
        get(POS), get(LEN), op(GE_U), brIf(1);
        get(POS), vload(0), set(V0), get(POS), vload(1), set(V1);
        starts(), set(VS), byteEq(V0, 10), tee(VN), get(VS), op(...VOR, ...ANY_TRUE, EQZ);
        ifThen(() => (get(POS), i32(16), op(ADD), set(POS), br(1))); // nothing here: next block
        get(VN), op(...BITMASK), set(NL), get(VS), op(...BITMASK), get(NL), op(OR), set(M);
        // The last block: drop the bits at or past len.
        get(POS), i32(16), op(ADD), get(LEN), op(GT_U);
        ifThen(() => {
          i32(1), get(LEN), get(POS), op(SUB, SHL), i32(1), op(SUB), tee(TMP);
          get(M), op(AND), set(M), get(NL), get(TMP), op(AND), set(NL);
        });
        block(() =>
          loop(() => {
            get(M), op(EQZ), brIf(1);
            get(M), op(CTZ), set(B), get(M), get(M), i32(1), op(SUB, AND), set(M);
            get(POS), get(B), op(ADD), set(P);
            get(NL), get(B), op(SHR_U), i32(1), op(AND);
            ifElse(
              () => {
                // The line [ls, p) ends here.
                get(HIT);
                get(LS), folded(), i32(1), op(SHL, OR);
                get(P), i32(1), op(ADD), folded(), i32(2), op(SHL, OR);
                get(P), i32(1), op(ADD), get(LEN), op(EQ), i32(3), op(SHL, OR);
                get(P), get(LS), op(SUB), get(MAX), op(GT_U), i32(4), op(SHL, OR);
                tee(FL);
                ifThen(() => {
                  get(EV), get(LS), store(0);
                  get(EV), get(P), store(4);
                  get(EV), get(LN), store(8);
                  get(EV), get(FL), store(12);
                  get(EV), i32(16), op(ADD), set(EV);
                });
                get(LN), i32(1), op(ADD), set(LN), get(P), i32(1), op(ADD), set(LS), i32(0), set(HIT);
              },
              // A needle may start at p.
              () => keys.forEach((k) => (whole(k), ifThen(() => (i32(1), set(HIT))))),
            );
            br(0);
          }),
        );
        get(POS), i32(16), op(ADD), set(POS), br(0);
      }),
    );
    get(LN), op(0x24, 0); // global.set lines
    get(EV), i32(KERNEL_EVENTS), op(SUB), i32(4), op(SHR_U);
  };
  const name = (s: string): void => (uleb(s.length), op(...Array.from(s, (c) => c.charCodeAt(0))));
  op(0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
  op(1), sized(() => op(1, 0x60, 2, I32, I32, 1, I32)); // one type: (i32, i32) -> i32
  op(3), sized(() => op(1, 0));
  op(5), sized(() => (op(1, 0x00), uleb(KERNEL_PAGES)));
  op(6), sized(() => (op(1, I32, 1), i32(0), op(0x0b))); // mutable global `lines`
  op(7), sized(() => (op(3), name('scan'), op(0, 0), name('mem'), op(2, 0), name('lines'), op(3, 0)));
  op(10), sized(() => (op(1), sized(() => (op(2), uleb(11), op(I32), uleb(4 + bytes.length), op(V128), body(), op(0x0b)))));
  return Uint8Array.from(o);
}
