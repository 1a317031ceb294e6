/**
 * `postfix-tls log FILE... [--format text|jsonl]`: one line per TLS record (summary lines,
 * Received: header TLS comments, TLS failures) of mail logs or messages. `-` reads stdin; gzip
 * files are read transparently (core/log/lines.ts). Classification is the core's (LogFolder).
 */
import * as path from 'node:path';
import { CliCommand, CliIo, UsageError } from './io';
import { oneOf, parseCommandArgs, type CommandSpec } from './args';
import { LineReadError, readLineBatches } from '../core/log/lines';
import { LogFolder, PREFILTER_NEEDLES, formatKeyExchange, formatPeer, type LineRecord } from '../core/log/classify';
import { badgeFor, plainText } from '../core/log/explain';
import type { LogRecord } from '../core/log/record';

type Format = 'text' | 'jsonl';

interface LogArgs {
  files: string[];
  format: Format;
}

const LOG_USAGE = 'postfix-tls log FILE... [--format text|jsonl]';

const LOG_ARGS = {
  options: {
    format: { type: 'string', parse: oneOf<Format>(['text', 'jsonl'], (v) => `unknown format '${v}': use text or jsonl`), valueHint: 'text or jsonl' },
  },
  unknownHint: `. Usage: ${LOG_USAGE}`,
} satisfies CommandSpec;

/** Parses the command line of `log`; throws UsageError with a clear message. */
export function parseLogArgs(args: string[]): LogArgs {
  const { values, positionals: files } = parseCommandArgs(args, LOG_ARGS);
  if (files.length === 0) throw new UsageError(`no input: give one or more log files (- for stdin). Usage: ${LOG_USAGE}`);
  return { files, format: values.format ?? 'text' };
}

/** The JSON Lines shape: exactly these fields, null when not logged. */
export interface LogJsonRecord {
  file: string;
  line: number;
  kind: LogRecord['kind'];
  role: 'client' | 'server' | null;
  status: string | null;
  event: 'established' | 'reused' | null;
  protocol: string | null;
  cipher: string | null;
  keyExchange: string | null;
  forwardSecrecy: LogRecord['forwardSecrecy'];
  postQuantum: boolean;
  peer: string | null;
  sni: string | null;
  failure: string | null;
}

export function toJsonRecord(file: string, line: number, r: LogRecord): LogJsonRecord {
  return {
    file,
    line,
    kind: r.kind,
    role: r.role ?? null,
    status: r.status ?? null,
    event: r.event ?? null,
    protocol: r.protocol ?? null,
    cipher: r.cipher ?? null,
    keyExchange: formatKeyExchange(r.keyExchange) ?? null,
    forwardSecrecy: r.forwardSecrecy,
    postQuantum: r.postQuantum,
    peer: formatPeer(r.peer) ?? null,
    sni: r.sni ?? null,
    failure: r.failure?.kind ?? null,
  };
}

const BADGE_OPTS = { showKeyExchange: true, showStatus: true, showProtocol: false };

/** One readable line; log text is stripped of control characters (terminal safety). */
export function toTextLine(file: string, line: number, r: LogRecord): string {
  const badge = badgeFor(r, BADGE_OPTS)?.text ?? r.kind;
  const parts = [`${plainText(file, 500)}:${line}: ${badge}`];
  const peer = formatPeer(r.peer);
  const dir = r.role === 'client' ? 'to' : r.role === 'server' ? 'from' : '';
  if (peer !== undefined) parts.push(plainText(`${dir ? `${dir} ` : ''}${peer}${r.sni !== undefined ? ` (SNI ${r.sni})` : ''}`, 300));
  else if (dir) parts.push(r.role === 'client' ? 'outbound' : 'inbound');
  if (r.kind === 'failure') {
    if (r.failure?.text) parts.push(plainText(r.failure.text, 300));
  } else {
    const tls = [r.protocol, r.cipher].filter((x): x is string => x !== undefined).join(' ');
    if (tls.length > 0) parts.push(plainText(tls, 200));
    if (r.kind === 'received-header') parts.push('Received: header');
    if (r.event === 'reused') parts.push('reused connection');
  }
  return parts.join(' | ');
}

/** Writes and waits when the stream asks for it; false when the stream is gone (EPIPE). */
async function write(io: CliIo, text: string, state: { broken: boolean }): Promise<boolean> {
  if (state.broken || text.length === 0) return !state.broken;
  const ok = io.stdout.write(text);
  if (!ok && !state.broken) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        io.stdout.removeListener('drain', done);
        io.stdout.removeListener('error', done);
        io.stdout.removeListener('close', done);
        resolve();
      };
      io.stdout.once('drain', done);
      io.stdout.once('error', done);
      io.stdout.once('close', done);
    });
  }
  return !state.broken;
}

export const logCommand: CliCommand = async (args, io) => {
  const { files, format } = parseLogArgs(args);
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be given only once');
  let rc = 0;
  const state = { broken: false };
  // A closed pipe (`| head`) or any other output error ends the output quietly.
  const onError = (): void => {
    state.broken = true;
  };
  io.stdout.on('error', onError);
  try {
    for (const file of files) {
      if (state.broken) break;
      const label = file === '-' ? '-' : file;
      const folder = new LogFolder();
      const out: LineRecord[] = [];
      const render = (recs: LineRecord[]): string => {
        let s = '';
        for (const { line, record } of recs) {
          // Delivery lines with only a `tls=` field are not connection records.
          if (record.kind === 'other') continue;
          s += format === 'jsonl' ? `${JSON.stringify(toJsonRecord(label, line, record))}\n` : `${toTextLine(label, line, record)}\n`;
        }
        return s;
      };
      try {
        // Relative names are relative to the caller's folder (io.cwd), as in lint and report.
        const source = file === '-' ? file : path.resolve(io.cwd, file);
        for await (const batch of readLineBatches(source, { stdin: io.stdin, needles: PREFILTER_NEEDLES, withContinuations: true })) {
          for (let i = 0; i < batch.lines.length; i++) folder.push(batch.lines[i], batch.lineNos[i], out);
          if (out.length > 0) {
            const text = render(out);
            out.length = 0;
            if (!(await write(io, text, state))) break;
          }
        }
        folder.flush(out);
        await write(io, render(out), state);
      } catch (err) {
        rc = 2;
        const msg = err instanceof LineReadError ? err.message : `${label}: ${err instanceof Error ? err.message : String(err)}`;
        io.stderr.write(`postfix-tls log: ${plainText(msg, 500)}\n`);
      }
    }
  } finally {
    io.stdout.removeListener('error', onError);
  }
  return rc;
};
