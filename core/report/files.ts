/**
 * Report over log files (I/O module): streams each file through the line reader, classifies
 * lines with the one classifier, and feeds the aggregator. Files are read oldest first (by
 * modification time), so "last seen" really is the latest occurrence for rotated logs given
 * as `mail.log mail.log.1 mail.log.2.gz`.
 */
import { promises as fsp } from 'node:fs';
import { readLineBatches, ReadStats, DEFAULT_MAX_LINE_LENGTH } from '../log/lines';
import { LogFolder, LineRecord, PREFILTER_NEEDLES } from '../log/classify';
import { AggregatorOptions, createAggregator, TlsReport } from './aggregate';

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
  let doneBytes = 0;
  for (const e of entries) {
    const stats: ReadStats = { lines: 0, bytesRead: 0, truncatedLines: 0, gzip: false };
    const onBytes = opts.onProgress ? (b: number) => opts.onProgress!(doneBytes + b, totalBytes) : undefined;
    const file = e.name;
    // The classifier's folder joins folded records (Received: headers); the reader keeps the
    // lines that can matter (the classifier's own pre-filter words) plus their continuations.
    const folder = new LogFolder();
    const out: LineRecord[] = [];
    for await (const batch of readLineBatches(
      e.path,
      { signal: opts.signal, stdin: opts.stdin, maxLineLength: opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH, needles: PREFILTER_NEEDLES, withContinuations: true, onBytes },
      stats,
    )) {
      const { lines, lineNos } = batch;
      for (let i = 0; i < lines.length; i++) folder.push(lines[i], lineNos[i], out);
      for (let i = 0; i < out.length; i++) agg.add(out[i].record, { file, line: out[i].line });
      out.length = 0;
    }
    folder.flush(out);
    for (const r of out) agg.add(r.record, { file, line: r.line });
    doneBytes += e.size || stats.bytesRead;
    agg.addFile({ file, lines: stats.lines, bytes: stats.bytesRead, gzip: stats.gzip, truncatedLines: stats.truncatedLines });
  }
  opts.onProgress?.(doneBytes, totalBytes);
  return agg.result();
}
