/**
 * Report over log files (I/O module): streams each file through the line reader, classifies
 * lines with the one classifier, and feeds the aggregator. Files are read oldest first (by
 * modification time), so "last seen" really is the latest occurrence for rotated logs given
 * as `mail.log mail.log.1 mail.log.2.gz`.
 *
 * Large plain files can be split between worker threads (`jobs` > 1 and `workerScript`, the
 * bundled core/report/worker.ts): each worker reads a byte range (cut at line boundaries, see
 * lines.ts `range`), and their counts are merged in file order. This uses more cores and keeps
 * the heavy loop off the caller's thread (the VS Code extension host stays responsive).
 */
import { promises as fsp } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { readLineBatches, ReadStats, DEFAULT_MAX_LINE_LENGTH, LineReadError } from '../log/lines';
import { LogFolder, LineRecord, PREFILTER_NEEDLES, TLS_WORDS, mayHoldRecord } from '../log/classify';
import { Aggregator, AggregatorOptions, AggregatorState, createAggregator, TlsReport } from './aggregate';

/** Files smaller than this are read on the calling thread (starting workers costs ~50 ms). */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/** Smallest byte range handed to a worker. */
const MIN_RANGE_BYTES = 16 * 1024 * 1024;

export interface ReportFilesOptions {
  signal?: AbortSignal;
  /** Called as reading goes on: bytes read so far over all files, and their total size (0 when unknown, e.g. stdin). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stream for `-` (default process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Names to show in the report for each path (same order), e.g. as the user typed them. */
  displayNames?: string[];
  /** Keep the given order instead of oldest modification time first. */
  keepOrder?: boolean;
  maxLineLength?: number;
  aggregator?: AggregatorOptions;
  /** Worker threads per large file (default 0: everything on the calling thread). */
  jobs?: number;
  /** Path of the bundled worker (dist/report-worker.js); without it there are no workers. */
  workerScript?: string;
  /** Files from this size on go to workers (default PARALLEL_MIN_BYTES). A .gz file gets one worker. */
  parallelMinBytes?: number;
  /** Smallest byte range per worker (default 16 MiB). */
  minRangeBytes?: number;
  /**
   * Without it, any file that cannot be read rejects the whole report. With it, a file of which
   * nothing could be read (missing, a folder, a device, binary: LineReadError.unread) is passed
   * here with its display name and left out, and the other files are reported.
   */
  onUnreadable?: (name: string, err: LineReadError) => void;
}

/** What a worker is asked to do (workerData). */
export interface WorkerJob {
  file: string;
  name: string;
  start: number;
  end?: number;
  maxLineLength: number;
  aggregator?: AggregatorOptions;
  /** The whole file, not a byte range (so gzip is allowed). */
  whole?: boolean;
}

/** Messages from a worker. */
export type WorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; state: AggregatorState; lines: number; bytesRead: number; truncatedLines: number; gzip: boolean }
  | { type: 'error'; message: string; name: string; code?: string; readError: boolean; unread?: boolean };

/**
 * Reads one source into `agg` (the shared loop of the calling thread and the workers).
 * The reader keeps only lines holding one of the classifier's pre-filter words, plus their
 * folded continuations; the classifier's folder joins folded records (Received: headers).
 * `select` narrows that to what can give a record (a line or folded group with a TLS word,
 * lines alone only when mayHoldRecord says so): the same records, far fewer lines to handle.
 */
export async function aggregateSource(
  agg: Aggregator,
  path: string,
  name: string,
  opts: { signal?: AbortSignal; stdin?: NodeJS.ReadableStream; maxLineLength?: number; onBytes?: (bytes: number) => void; range?: { start: number; end?: number } },
  stats: ReadStats,
): Promise<void> {
  const folder = new LogFolder();
  const out: LineRecord[] = [];
  // One location object for all records: the aggregator copies what it keeps (seenAt).
  const where = { file: name, line: 0 };
  for await (const batch of readLineBatches(
    path,
    {
      signal: opts.signal,
      stdin: opts.stdin,
      maxLineLength: opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
      needles: PREFILTER_NEEDLES,
      withContinuations: true,
      select: { needles: TLS_WORDS, keep: mayHoldRecord },
      onBytes: opts.onBytes,
      range: opts.range,
    },
    stats,
  )) {
    const { lines, lineNos } = batch;
    for (let i = 0; i < lines.length; i++) folder.push(lines[i], lineNos[i], out);
    for (let i = 0; i < out.length; i++) {
      where.line = out[i].line;
      agg.add(out[i].record, where);
    }
    out.length = 0;
  }
  folder.flush(out);
  for (const r of out) {
    where.line = r.line;
    agg.add(r.record, where);
  }
}

/** Statistics over the TLS lines of `paths` (`-` is stdin). Rejects with the signal's reason when aborted. */
export async function reportFiles(paths: string[], opts: ReportFilesOptions = {}): Promise<TlsReport> {
  const agg = createAggregator(opts.aggregator);
  const entries = await Promise.all(
    paths.map(async (p, i) => {
      const st = p === '-' ? undefined : await fsp.stat(p).catch(() => undefined);
      return { path: p, name: opts.displayNames?.[i] ?? p, size: st?.isFile() ? st.size : 0, mtime: st?.mtimeMs ?? Number.POSITIVE_INFINITY, index: i };
    }),
  );
  if (!opts.keepOrder) entries.sort((a, b) => a.mtime - b.mtime || a.index - b.index);
  const totalBytes = entries.reduce((n, e) => n + e.size, 0);
  const maxLineLength = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  let doneBytes = 0;
  for (const e of entries) {
    try {
      doneBytes = await reportEntry(agg, e, doneBytes, totalBytes, maxLineLength, opts);
    } catch (err) {
      if (!(opts.onUnreadable && err instanceof LineReadError && err.unread)) throw err;
      opts.onUnreadable(e.name, err);
      doneBytes += e.size;
    }
  }
  opts.onProgress?.(doneBytes, totalBytes);
  return agg.result();
}

/** Reads one file into `agg` (on this thread or split between workers); returns the bytes done so far. */
async function reportEntry(
  agg: Aggregator,
  e: { path: string; name: string; size: number },
  doneBytes: number,
  totalBytes: number,
  maxLineLength: number,
  opts: ReportFilesOptions,
): Promise<number> {
  const wanted = Math.max(0, Math.floor(opts.jobs ?? 0));
  if (wanted >= 1 && opts.workerScript && e.path !== '-' && e.size >= (opts.parallelMinBytes ?? PARALLEL_MIN_BYTES)) {
    // A gzip stream cannot be split: one worker reads it whole.
    const jobs = (await isGzip(e.path)) ? 1 : Math.max(1, Math.min(wanted, Math.ceil(e.size / Math.max(1, opts.minRangeBytes ?? MIN_RANGE_BYTES))));
    const base = doneBytes;
    const r = await runWorkers(agg, e.path, e.name, e.size, jobs, opts.workerScript, {
      signal: opts.signal,
      maxLineLength,
      aggregator: opts.aggregator,
      onBytes: opts.onProgress ? (b) => opts.onProgress!(base + b, totalBytes) : undefined,
    });
    agg.addFile({ file: e.name, lines: r.lines, bytes: e.size, gzip: r.gzip, truncatedLines: r.truncatedLines });
    return doneBytes + e.size;
  }
  const stats: ReadStats = { lines: 0, bytesRead: 0, truncatedLines: 0, gzip: false };
  const base = doneBytes;
  const onBytes = opts.onProgress ? (b: number) => opts.onProgress!(base + b, totalBytes) : undefined;
  await aggregateSource(agg, e.path, e.name, { signal: opts.signal, stdin: opts.stdin, maxLineLength, onBytes }, stats);
  agg.addFile({ file: e.name, lines: stats.lines, bytes: stats.bytesRead, gzip: stats.gzip, truncatedLines: stats.truncatedLines });
  return doneBytes + (e.size || stats.bytesRead);
}

async function isGzip(file: string): Promise<boolean> {
  const h = await fsp.open(file, 'r').catch(() => undefined);
  if (!h) return false;
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await h.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await h.close();
  }
}

/**
 * Splits a plain file into `jobs` byte ranges, one worker each, and merges their counts in
 * file order (line numbers shifted by the lines of the ranges before). Aborting terminates the
 * workers and rejects with the signal's reason; a worker error rejects with that error.
 */
async function runWorkers(
  agg: Aggregator,
  file: string,
  name: string,
  size: number,
  jobs: number,
  script: string,
  opts: { signal?: AbortSignal; maxLineLength: number; aggregator?: AggregatorOptions; onBytes?: (bytes: number) => void },
): Promise<{ lines: number; truncatedLines: number; gzip: boolean }> {
  const { signal } = opts;
  if (signal?.aborted) throw signal.reason;
  const bounds = Array.from({ length: jobs + 1 }, (_, i) => Math.floor((size * i) / jobs));
  // Progress counts bytes read; a gzip file read whole reports compressed bytes, as `size` is.
  const progress = new Array<number>(jobs).fill(0);
  const workers: Worker[] = [];
  const results = new Array<Extract<WorkerMessage, { type: 'done' }> | undefined>(jobs);
  try {
    await new Promise<void>((resolve, reject) => {
      let pending = jobs;
      let failed = false;
      const fail = (err: unknown): void => {
        if (failed) return;
        failed = true;
        reject(err);
      };
      const onAbort = (): void => fail(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      for (let i = 0; i < jobs; i++) {
        const job: WorkerJob = { file, name, start: bounds[i], end: i + 1 < jobs ? bounds[i + 1] : undefined, maxLineLength: opts.maxLineLength, aggregator: opts.aggregator };
        if (jobs === 1) job.whole = true; // no byte range: a gzip file can be read too
        // A modest young generation keeps each worker's memory small (see BENCHMARKS.md).
        const w = new Worker(script, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 } });
        workers.push(w);
        w.on('message', (m: WorkerMessage) => {
          if (m.type === 'progress') {
            progress[i] = m.bytes;
            opts.onBytes?.(progress.reduce((a, b) => a + b, 0));
          } else if (m.type === 'done') {
            results[i] = m;
            if (--pending === 0) {
              signal?.removeEventListener('abort', onAbort);
              resolve();
            }
          } else {
            fail(m.readError ? new LineReadError(m.message, file, m.code, m.unread === true) : Object.assign(new Error(m.message), { name: m.name }));
          }
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (!results[i]) fail(new Error(`report worker for ${name} stopped (exit code ${code})`));
        });
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  let lines = 0;
  let truncatedLines = 0;
  let gzip = false;
  for (const r of results) {
    if (!r) continue;
    agg.mergeState(r.state, lines);
    lines += r.lines;
    truncatedLines += r.truncatedLines;
    gzip ||= r.gzip;
  }
  return { lines, truncatedLines, gzip };
}
