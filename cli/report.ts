/**
 * `postfix-tls report FILE... [--format text|json|html|markdown] [--output FILE]`:
 * forward-secrecy statistics over whole log archives (plain, .gz, or `-` for stdin).
 * A thin adapter: reading and counting live in core/report/files.ts, rendering in render.ts.
 */
import { CliCommand, UsageError } from './io';
import { oneOf, parseCommandArgs, type CommandSpec } from './args';
import { reportFiles } from '../core/report/files';
import { renderHtml, renderJson, renderMarkdown, renderText } from '../core/report/render';
import { writeFileAtomic } from '../core/report/output';
import { LineReadError } from '../core/log/lines';
import type { TlsReport } from '../core/report/aggregate';
import * as path from 'node:path';
import { existsSync } from 'node:fs';

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
      parse: (v: string): number => {
        if (!/^\d{1,2}$/.test(v)) throw new UsageError(`--jobs needs a whole number (0: no worker threads; got '${v}')`);
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

export const reportCommand: CliCommand = async (args, io) => {
  const opts = parseReportArgs(args);
  const files = opts.files.map((f) => (f === '-' ? f : path.resolve(io.cwd, f)));
  // Ctrl-C stops reading; nothing is written, so no partial output file is left behind.
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  const isProcessStdin = io.stdin === process.stdin;
  if (isProcessStdin) process.once('SIGINT', onSigint);
  let report: TlsReport;
  try {
    report = await reportFiles(files, { signal: ac.signal, stdin: io.stdin, displayNames: opts.files, jobs: opts.jobs ?? defaultJobs(), workerScript: workerScript() });
  } catch (err) {
    if (ac.signal.aborted) {
      io.stderr.write('postfix-tls report: interrupted, nothing written\n');
      return 130;
    }
    if (err instanceof LineReadError) {
      io.stderr.write(`postfix-tls report: ${err.message}\n`);
      return 2;
    }
    throw err;
  } finally {
    if (isProcessStdin) process.removeListener('SIGINT', onSigint);
  }
  const text = RENDERERS[opts.format](report);
  if (opts.output === undefined) {
    io.stdout.write(text);
    return 0;
  }
  const target = path.resolve(io.cwd, opts.output);
  try {
    await writeFileAtomic(target, text);
  } catch (err) {
    io.stderr.write(`postfix-tls report: cannot write ${opts.output}: ${(err as Error).message}\n`);
    return 2;
  }
  return 0;
};
