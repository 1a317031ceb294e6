/** Test helper: feeds a buffer to a LineSplitter in chunks cut at the given offsets. */
import { LineSplitter, LineBatch } from '../../../core/log/lines';

/** The lines `buf` gives through a splitter made with `opts`, pushed in chunks cut at `cuts` (any order, out-of-range cuts clamped). */
export function splitInChunkBatch(buf: Buffer, cuts: number[], opts: ConstructorParameters<typeof LineSplitter>[0]): LineBatch {
  const s = new LineSplitter(opts);
  const batch: LineBatch = { lines: [], lineNos: [] };
  let prev = 0;
  for (const c of [...new Set(cuts.map((x) => Math.min(x, buf.length)))].sort((a, b) => a - b)) {
    s.push(buf.subarray(prev, c), batch);
    prev = c;
  }
  s.push(buf.subarray(prev), batch);
  s.end(batch);
  return batch;
}
