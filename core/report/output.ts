/**
 * Writing report files safely (I/O module): the text goes to a temp file in the target folder,
 * then is renamed over the target, so readers never see half a report and a failed or
 * cancelled write leaves nothing behind. Errors name the target the user gave, never the temp
 * file, and say what is wrong in plain words.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** Why a target could not be written: `cannot write <target>: <reason>`. */
export class WriteError extends Error {
  constructor(message: string, readonly target: string, readonly code?: string) {
    super(message);
    this.name = 'WriteError';
  }
}

/**
 * Writes `data` to `target` through a temp file + rename. Removes the temp file on any failure.
 * A symbolic link as target is followed (the link stays, the file it points to is replaced).
 * Rejects with a WriteError, or with the signal's reason when aborted.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, signal?: AbortSignal): Promise<void> {
  const link = await fsp.lstat(target).catch(() => undefined);
  if (link?.isSymbolicLink()) target = await fsp.realpath(target).catch(() => target);
  const existing = await fsp.stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new WriteError(`cannot write ${target}: it is a directory`, target, 'EISDIR');
  if (existing && !existing.isFile()) {
    // /dev/null, a FIFO, a terminal: renaming over it would replace the device node itself.
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    await fsp.writeFile(target, data).catch((err: unknown) => Promise.reject(writeError(target, err)));
    return;
  }
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let created = false;
  try {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    const handle = await fsp.open(tmp, 'wx', 0o644).catch((err: unknown) => Promise.reject(writeError(target, err, tmp)));
    created = true;
    try {
      await handle.writeFile(data).catch((err: unknown) => Promise.reject(writeError(target, err, tmp)));
      await handle.sync().catch(() => undefined); // best effort: some file systems refuse fsync
    } finally {
      await handle.close();
    }
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    await fsp.rename(tmp, target).catch((err: unknown) => Promise.reject(writeError(target, err, tmp)));
    created = false;
  } finally {
    if (created) await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** A WriteError about `target` for a failed open/write/rename (of `tmp`, whose name is never shown). */
function writeError(target: string, err: unknown, tmp?: string): WriteError {
  const e = err as NodeJS.ErrnoException;
  const dir = path.dirname(target);
  let reason: string;
  switch (e?.code) {
    case 'ENOENT':
      reason = `folder ${dir} does not exist`;
      break;
    case 'ENOTDIR':
      reason = `${dir} is not a folder`;
      break;
    case 'EACCES':
    case 'EPERM':
      reason = `permission denied (folder ${dir})`;
      break;
    case 'EROFS':
      reason = 'the file system is read-only';
      break;
    case 'ENOSPC':
      reason = 'no space left on the device';
      break;
    case 'EDQUOT':
      reason = 'disk quota exceeded';
      break;
    case 'EISDIR':
      reason = 'it is a directory';
      break;
    default: {
      // Whatever else the system said, with the temp file's name replaced by the target's.
      const text = e instanceof Error ? e.message : String(err);
      reason = tmp ? text.split(tmp).join(target) : text;
    }
  }
  return new WriteError(`cannot write ${target}: ${reason}`, target, e?.code);
}
