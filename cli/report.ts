/**
 * `postfix-tls report FILE... [--format text|json|html|markdown] [--output FILE]`:
 * forward-secrecy statistics over whole log archives (plain, .gz, or `-` for stdin).
 * A thin adapter: reading and counting live in core/report/files.ts, rendering in render.ts.
 */
import { CliCommand, CliIo, UsageError } from './io';
import { oneOf, parseCommandArgs, type CommandSpec } from './args';
import { reportFiles } from '../core/report/files';
import { renderHtml, renderJson, renderMarkdown, renderText } from '../core/report/render';
import { WriteError, writeFileAtomic } from '../core/report/output';
import { plainText } from '../core/log/explain';
import { LineReadError } from '../core/log/lines';
import type { TlsReport } from '../core/report/aggregate';
import * as path from 'node:path';
import { existsSync, fstatSync, promises as fsp, type Stats } from 'node:fs';

export const REPORT_FORMATS = ['text', 'json', 'html', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const RENDERERS: Record<ReportFormat, (r: TlsReport) => string> = {
  text: renderText,
  json: renderJson,
  html: (r) => renderHtml(r),
  markdown: renderMarkdown,
};

interface ReportArgs {
  files: string[];
  format: ReportFormat;
  output?: string;
  /** Worker threads per large file (0: none); undefined: automatic. */
  jobs?: number;
}

export const REPORT_USAGE = 'postfix-tls report FILE... [--format text|json|html|markdown] [--output FILE] [--jobs N]';

/**
 * Worker threads per large file when --jobs is not given: none. One thread keeps memory flat
 * (under 90 MB on a 1 GB log); `--jobs 2` splits a large plain file between two workers,
 * faster on an idle multi-core machine for about 20 MB more (see BENCHMARKS.md, "Report").
 */
function defaultJobs(): number {
  return 0;
}

/** The bundled worker next to the CLI bundle (dist/report-worker.js); absent when running from sources. */
function workerScript(): string | undefined {
  const p = path.join(__dirname, 'report-worker.js');
  return existsSync(p) ? p : undefined;
}

/** Most worker threads per file --jobs accepts. */
const MAX_JOBS = 99;

const REPORT_ARGS = {
  options: {
    format: { type: 'string', short: 'f', parse: oneOf(REPORT_FORMATS, (v) => `unknown format '${v}' (use ${REPORT_FORMATS.join(', ')})`) },
    output: {
      type: 'string',
      short: 'o',
      parse: (v: string): string => {
        if (v === '') throw new UsageError('--output needs a file name');
        return v;
      },
    },
    jobs: {
      type: 'string',
      short: 'j',
      parse: (v: string, flag: string): number => {
        if (!/^\d+$/.test(v) || Number(v) > MAX_JOBS) throw new UsageError(`${flag} takes a whole number from 0 to ${MAX_JOBS} (0: no worker threads; got '${v}')`);
        return Number(v);
      },
    },
  },
  unknownHint: `. Usage: ${REPORT_USAGE}`,
} satisfies CommandSpec;

export function parseReportArgs(args: string[]): ReportArgs {
  const { values, positionals: files } = parseCommandArgs(args, REPORT_ARGS);
  if (files.length === 0) throw new UsageError(`no log file given (use - for stdin). Usage: ${REPORT_USAGE}`);
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be given only once');
  return { files, format: values.format ?? 'text', output: values.output === '-' ? undefined : values.output, jobs: values.jobs };
}

/** stat, or undefined when the path does not exist or cannot be looked at. */
function statOf(p: string): Promise<Stats | undefined> {
  return fsp.stat(p).catch(() => undefined);
}

/** The real path of `p`; for a file that does not exist yet, the real path of its folder plus its name. */
async function realPathOf(p: string): Promise<string> {
  try {
    return await fsp.realpath(p);
  } catch {
    const dir = await fsp.realpath(path.dirname(p)).catch(() => path.dirname(p));
    return path.join(dir, path.basename(p));
  }
}

const sameFile = (a: Stats | undefined, b: Stats | undefined): boolean => !!a && !!b && a.dev === b.dev && a.ino === b.ino;

/**
 * Refuses an --output that is one of the inputs, before anything is read: the report would
 * replace the log. Compared by real path (links, `./`, `..` spellings) and, when the output
 * exists, by device and inode (hard links, case-insensitive file systems), stdin included when
 * it is redirected from a file.
 */
async function refuseOutputOverInput(output: string, inputs: readonly string[], shown: readonly string[], io: CliIo): Promise<void> {
  const target = path.resolve(io.cwd, output);
  const [targetReal, targetStat] = await Promise.all([realPathOf(target), statOf(target)]);
  const refuse = (input: string): never => {
    throw new UsageError(`--output ${output} is the input ${input}: the report would replace the log it is made from. Choose another output file.`);
  };
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    if (input === '-') {
      if (io.stdin !== process.stdin || !targetStat) continue;
      let st: Stats | undefined;
      try {
        st = fstatSync(0);
      } catch {
        st = undefined;
      }
      if (st?.isFile() && sameFile(st, targetStat)) refuse('on stdin (-)');
      continue;
    }
    if ((await realPathOf(input)) === targetReal) refuse(shown[i]);
    if (targetStat && sameFile(await statOf(input), targetStat)) refuse(shown[i]);
  }
}

export const reportCommand: CliCommand = async (args, io) => {
  const opts = parseReportArgs(args);
  const files = opts.files.map((f) => (f === '-' ? f : path.resolve(io.cwd, f)));
  // Ctrl-C stops reading; nothing is written, so no partial output file is left behind.
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  const isProcessStdin = io.stdin === process.stdin;
  if (isProcessStdin) process.once('SIGINT', onSigint);
  let report: TlsReport;
  // A file that cannot be read at all (missing, a folder, a device, binary) is named and left
  // out; the others are reported, and the exit code says that something was left out.
  let skipped = 0;
  const onUnreadable = (_name: string, err: LineReadError): void => {
    skipped++;
    io.stderr.write(`postfix-tls report: ${plainText(err.message, 1000)}\n`);
  };
  try {
    if (opts.output !== undefined) await refuseOutputOverInput(opts.output, files, opts.files, io);
    report = await reportFiles(files, { signal: ac.signal, stdin: io.stdin, displayNames: opts.files, jobs: opts.jobs ?? defaultJobs(), workerScript: workerScript(), onUnreadable });
  } catch (err) {
    if (ac.signal.aborted) {
      io.stderr.write('postfix-tls report: interrupted, nothing written\n');
      return 130;
    }
    if (err instanceof LineReadError) {
      io.stderr.write(`postfix-tls report: ${plainText(err.message, 1000)}\n`);
      return 2;
    }
    throw err;
  } finally {
    if (isProcessStdin) process.removeListener('SIGINT', onSigint);
  }
  // Nothing could be read: no report (an empty one would look like a quiet log).
  if (skipped === files.length) return 2;
  const rc = skipped > 0 ? 2 : 0;
  const text = RENDERERS[opts.format](report);
  if (opts.output === undefined) {
    io.stdout.write(text);
    return rc;
  }
  const target = path.resolve(io.cwd, opts.output);
  try {
    await writeFileAtomic(target, text);
  } catch (err) {
    const msg = err instanceof WriteError ? err.message : `cannot write ${opts.output}: ${(err as Error).message}`;
    io.stderr.write(`postfix-tls report: ${plainText(msg, 1000)}\n`);
    return 2;
  }
  return rc;
};
