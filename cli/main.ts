/**
 * `postfix-tls` command line: a thin adapter over the core. Each sub-command lives in its
 * own file and is listed in COMMANDS; `main` returns the exit code instead of exiting so
 * tests can call it in-process.
 */
import { version } from '../package.json';
import { CliCommand, CliIo, UsageError, withNotices } from './io';
import { lintCommand } from './lint';
import { logCommand } from './log';
import { reportCommand } from './report';
import { settingsCommand } from './settings';
import { explainCommand } from './explain';

interface CommandEntry {
  run: CliCommand;
  usage: string;
  summary: string;
}

const COMMANDS: Record<string, CommandEntry> = {
  lint: {
    run: lintCommand,
    usage: 'lint PATH... [--postfix-version X.Y] [--openssl-version X.Y] [--profile NAME] [--format text|json|sarif] [--fail-on error|warning|info|hint]',
    summary: 'check main.cf/master.cf (or folders holding them) like postconf, with forward-secrecy rules',
  },
  log: {
    run: logCommand,
    usage: 'log FILE... [--format text|jsonl]',
    summary: 'classify TLS lines of mail logs (- for stdin, .gz read transparently)',
  },
  report: {
    run: reportCommand,
    usage: 'report FILE... [--format text|json|html|markdown] [--output FILE] [--jobs N]',
    summary: 'forward-secrecy statistics over whole log archives',
  },
  settings: {
    run: settingsCommand,
    usage: 'settings PATH [--all] [--tls] [--expand] [--service NAME/TYPE] [--format text|json] [--postfix-version X.Y]',
    summary: 'effective parameter values, like postconf -n / postconf / postconf -x',
  },
  explain: {
    run: explainCommand,
    usage: 'explain CIPHER-OR-LOG-LINE [--format text|json]',
    summary: 'forward secrecy, key exchange and authentication of a cipher or a TLS log line',
  },
};

export function helpText(): string {
  const lines = [
    `postfix-tls ${version}: Postfix TLS and forward-secrecy checks`,
    '',
    'Usage: postfix-tls <command> [options]',
    '',
    'Commands:',
  ];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(9)} ${c.summary}`);
  lines.push('', 'Usage per command:');
  for (const c of Object.values(COMMANDS)) lines.push(`  postfix-tls ${c.usage}`);
  lines.push('', 'Options: --help, --version', 'Exit codes: 0 ok, 1 findings at or above the failure level, 2 usage or read error.');
  return lines.join('\n') + '\n';
}

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() };

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.stdout.write(helpText());
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!entry) {
    io.stderr.write(`postfix-tls: unknown command '${cmd}'. Commands: ${Object.keys(COMMANDS).join(', ')}. See 'postfix-tls --help'.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`Usage: postfix-tls ${entry.usage}\n  ${entry.summary}\n`);
    return 0;
  }
  try {
    return await withNotices((text) => io.stderr.write(`postfix-tls ${cmd}: notice: ${text}\n`), () => entry.run(rest, io));
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`postfix-tls ${cmd}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
