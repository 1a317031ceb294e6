import { AsyncLocalStorage } from 'node:async_hooks';

/** What a CLI command gets: its arguments and where to write. Keeps commands testable in-process. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  cwd: string;
}

/** A usage or read error: printed as `postfix-tls: <message>` and exit code 2. */
export class UsageError extends Error {}

/** A CLI sub-command. Returns the process exit code. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/** Where notices of the running command go (set by cli/main.ts per command run). */
const noticeSink = new AsyncLocalStorage<(text: string) => void>();

/** Runs `fn` with the notices it gives (see `notice`) passed to `write`. */
export function withNotices<T>(write: (text: string) => void, fn: () => T): T {
  return noticeSink.run(write, fn);
}

/**
 * A remark about the command line that does not stop the command (a value accepted with a
 * caveat), written to the running command's stderr. Lets option checks in cli/args.ts speak
 * without every command passing its streams to them.
 */
export function notice(text: string): void {
  noticeSink.getStore()?.(text);
}
