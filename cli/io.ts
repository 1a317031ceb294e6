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
