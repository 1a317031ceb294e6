/**
 * Worker-thread entry for reports over large files (bundled as dist/report-worker.js): reads
 * the byte range given in workerData, classifies and counts it, and posts the aggregator's
 * state back (core/report/files.ts merges the states in file order).
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { LineReadError, ReadStats } from '../log/lines';
import { createAggregator } from './aggregate';
import { aggregateSource, WorkerJob, WorkerMessage } from './files';

/** Progress messages at most this often (bytes). */
const PROGRESS_STEP = 8 * 1024 * 1024;

async function run(job: WorkerJob): Promise<void> {
  const port = parentPort!;
  const post = (m: WorkerMessage): void => port.postMessage(m);
  try {
    const agg = createAggregator(job.aggregator);
    const stats: ReadStats = { lines: 0, bytesRead: 0, truncatedLines: 0, gzip: false };
    let reported = 0;
    await aggregateSource(
      agg,
      job.file,
      job.name,
      {
        maxLineLength: job.maxLineLength,
        range: job.whole ? undefined : { start: job.start, end: job.end },
        onBytes: (b) => {
          if (b - reported >= PROGRESS_STEP) {
            reported = b;
            post({ type: 'progress', bytes: b });
          }
        },
      },
      stats,
    );
    post({ type: 'progress', bytes: stats.bytesRead });
    post({ type: 'done', state: agg.exportState(), lines: stats.lines, bytesRead: stats.bytesRead, truncatedLines: stats.truncatedLines, gzip: stats.gzip });
  } catch (err) {
    const e = err as Error & { code?: string };
    post({ type: 'error', message: e?.message ?? String(err), name: e?.name ?? 'Error', code: e?.code, readError: err instanceof LineReadError, unread: err instanceof LineReadError && err.unread });
  }
}

if (!isMainThread && parentPort && workerData && typeof (workerData as WorkerJob).file === 'string') {
  void run(workerData as WorkerJob);
}
