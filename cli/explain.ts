/**
 * `postfix-tls explain CIPHER-OR-LOG-LINE [--format text|json]`: forward secrecy, key exchange,
 * authentication, encryption and integrity of a cipher suite (OpenSSL, IANA or TLS 1.3 name)
 * or of the cipher in a log line / Received: header. Several words are joined with spaces, so
 * an unquoted log line works too.
 * Exit 0 when something was explained, 1 when the input holds no recognisable cipher, 2 on a
 * usage error.
 */
import { plainText } from '../core/log/explain';
import { explainCipher, type CipherExplanation } from '../core/cipher';
import { CliCommand, UsageError } from './io';
import { oneOf, parseCommandArgs, type CommandSpec } from './args';

type Format = 'text' | 'json';

export interface ExplainOptions {
  input: string;
  format: Format;
}

const EXPLAIN_ARGS = {
  options: { format: { type: 'string', parse: oneOf<Format>(['text', 'json']), valueHint: 'text or json' } },
  unknownHint: '. Options: --format text|json (use -- before a text that starts with --)',
  // A log line given as words holds words like `-1`.
  dashWordsArePositionals: true,
} satisfies CommandSpec;

/** Parses the command line of `explain`; throws UsageError with a clear message. */
export function parseExplainArgs(args: string[]): ExplainOptions {
  const { values, positionals } = parseCommandArgs(args, EXPLAIN_ARGS);
  const input = positionals.join(' ').trim();
  if (input === '') throw new UsageError('give a cipher name (e.g. ECDHE-RSA-AES256-GCM-SHA384) or a TLS log line');
  return { input, format: values.format ?? 'text' };
}

/** Terminal-safe: control characters from the input never reach the terminal. */
function safe(s: string): string {
  return plainText(s, 10_000);
}

/** The plain-text rendering. */
export function formatExplanation(e: CipherExplanation): string {
  const rows: [string, string][] = [['Forward secrecy', e.forwardSecrecy]];
  if (e.protocol) rows.push(['Protocol', e.protocol]);
  rows.push(['Key exchange', e.keyExchange], ['Authentication', e.authentication], ['Encryption', e.encryption], ['Integrity', e.mac]);
  const title = e.cipher ?? e.input;
  const lines = [safe(title.length > 200 ? title.slice(0, 200) + '…' : title)];
  for (const [k, v] of rows) lines.push(`  ${(k + ':').padEnd(17)}${safe(v)}`);
  if (e.notes.length > 0) {
    lines.push('');
    for (const n of e.notes) lines.push(`  - ${safe(n)}`);
  }
  return lines.join('\n') + '\n';
}

export const explainCommand: CliCommand = async (args, io) => {
  const opts = parseExplainArgs(args);
  const e = explainCipher(opts.input);
  if (opts.format === 'json') {
    const { markdown: _markdown, ...rest } = e;
    void _markdown;
    io.stdout.write(JSON.stringify(rest, null, 2) + '\n');
  } else {
    io.stdout.write(formatExplanation(e));
  }
  return e.kind === 'unrecognised' ? 1 : 0;
};
