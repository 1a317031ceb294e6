/**
 * Writing report files safely (I/O module): the text goes to a temp file in the target folder,
 * then is renamed over the target, so readers never see half a report and a failed or
 * cancelled write leaves nothing behind.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** Writes `data` to `target` through a temp file + rename. Removes the temp file on any failure. */
export async function writeFileAtomic(target: string, data: string | Uint8Array, signal?: AbortSignal): Promise<void> {
  const existing = await fsp.stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new Error(`${target} is a directory`);
  if (existing && !existing.isFile()) {
    // /dev/null, a FIFO, a terminal: renaming over it would replace the device node itself.
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    await fsp.writeFile(target, data);
    return;
  }
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let created = false;
  try {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    const handle = await fsp.open(tmp, 'wx', 0o644);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync().catch(() => undefined); // best effort: some file systems refuse fsync
    } finally {
      await handle.close();
    }
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    await fsp.rename(tmp, target);
    created = false;
  } finally {
    if (created) await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}
