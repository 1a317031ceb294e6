/**
 * cli/args.ts, the one command-line parser of the CLI commands, and how each command's
 * declared options come out of it.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dottedVersion, oneOf, parseCommandArgs, type CommandSpec } from '../../cli/args';
import { newestKnownPostfixVersion } from '../../core/params';
import { UsageError, withNotices } from '../../cli/io';
import { parseExplainArgs } from '../../cli/explain';
import { parseLintArgs } from '../../cli/lint';
import { parseLogArgs } from '../../cli/log';
import { parseReportArgs } from '../../cli/report';
import { parseSettingsArgs } from '../../cli/settings';

const SPEC = {
  options: {
    all: { type: 'boolean' },
    format: { type: 'string', short: 'f', parse: oneOf(['text', 'json'] as const), valueHint: 'text or json' },
    jobs: { type: 'string', parse: (v: string) => Number(v) },
    name: { type: 'string' },
  },
  unknownHint: '. Options: --all, --format',
} satisfies CommandSpec;

/** The UsageError message of `fn`, failing when it does not throw one. */
function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UsageError, `not a UsageError: ${String(err)}`);
    return err.message;
  }
  assert.fail('no UsageError');
}

describe('parseCommandArgs', () => {
  test('values in every spelling, typed by their parser; positionals in order', () => {
    const r = parseCommandArgs(['a', '--format', 'json', '-', '--jobs=3', 'b', '--all', '--name='], SPEC);
    assert.deepEqual(r.positionals, ['a', '-', 'b']);
    assert.deepEqual(r.values, { format: 'json', jobs: 3, all: true, name: '' });
    assert.deepEqual(parseCommandArgs(['-f', 'json'], SPEC).values, { format: 'json' });
    assert.deepEqual(parseCommandArgs(['-f=json'], SPEC).values, { format: 'json' });
    assert.deepEqual(parseCommandArgs(['-fjson'], SPEC).values, { format: 'json' });
    // The last one wins; a value may start with a dash when given with `=`.
    assert.deepEqual(parseCommandArgs(['--format', 'text', '--format=json', '--name=-x'], SPEC).values, { format: 'json', name: '-x' });
  });

  test('`--` ends the options', () => {
    const r = parseCommandArgs(['x', '--', '--all', '-f', '--'], SPEC);
    assert.deepEqual(r.values, {});
    assert.deepEqual(r.positionals, ['x', '--all', '-f', '--']);
  });

  test('unknown options, missing and extra values', () => {
    assert.equal(usage(() => parseCommandArgs(['--bogus'], SPEC)), "unknown option '--bogus'. Options: --all, --format");
    assert.equal(usage(() => parseCommandArgs(['--bogus=1'], SPEC)), "unknown option '--bogus'. Options: --all, --format");
    assert.equal(usage(() => parseCommandArgs(['-xy'], SPEC)), "unknown option '-xy'. Options: --all, --format");
    assert.equal(usage(() => parseCommandArgs(['--constructor'], SPEC)), "unknown option '--constructor'. Options: --all, --format");
    assert.equal(usage(() => parseCommandArgs(['--format'], SPEC)), '--format needs a value: text or json');
    assert.equal(usage(() => parseCommandArgs(['-f'], SPEC)), '-f needs a value: text or json');
    assert.equal(usage(() => parseCommandArgs(['--name', '--all'], SPEC)), '--name needs a value');
    assert.equal(usage(() => parseCommandArgs(['--name', '--'], SPEC)), '--name needs a value');
    assert.equal(usage(() => parseCommandArgs(['--all=yes'], SPEC)), '--all takes no value');
    assert.equal(usage(() => parseCommandArgs(['--format', 'xml'], SPEC)), "--format must be one of text, json (got 'xml')");
  });

  test('the first problem on the command line is the one reported', () => {
    assert.match(usage(() => parseCommandArgs(['--format', 'xml', '--bogus'], SPEC)), /--format must be one of/);
    assert.match(usage(() => parseCommandArgs(['--bogus', '--format', 'xml'], SPEC)), /unknown option '--bogus'/);
    assert.match(usage(() => parseCommandArgs(['--format=xml', '--name'], SPEC)), /--format must be one of/);
  });

  test('dash words: positionals (and values) for commands that declare so', () => {
    const spec = { ...SPEC, options: { name: SPEC.options.name }, dashWordsArePositionals: true } satisfies CommandSpec;
    const r = parseCommandArgs(['error:', '-1', '-', '--name', '-x', '-weird.cf'], spec);
    assert.deepEqual(r.positionals, ['error:', '-1', '-', '-weird.cf']);
    assert.deepEqual(r.values, { name: '-x' });
    // Without the declaration they are (unknown) short options.
    assert.match(usage(() => parseCommandArgs(['-1'], SPEC)), /unknown option '-1'/);
    // Arguments holding NUL do not collide with the placeholders.
    assert.deepEqual(parseCommandArgs(['\u00000', '-a', '\u0000'], spec).positionals, ['\u00000', '-a', '\u0000']);
  });

  test('value checks', () => {
    assert.equal(dottedVersion(' 3.10 ', '--postfix-version'), '3.10');
    assert.equal(dottedVersion('3.0.2', '--openssl-version'), '3.0.2');
    assert.equal(usage(() => dottedVersion('3', '--postfix-version')), "--postfix-version must be a version like 3.10 (got '3')");
    assert.equal(usage(() => oneOf(['a'], (v) => `bad ${v}`)('b', '--x')), 'bad b');
  });
  test('a Postfix version newer than the data is accepted with a notice (the editor setting accepts it too)', () => {
    const notices: string[] = [];
    const newest = newestKnownPostfixVersion();
    assert.match(newest, /^3\.\d+$/);
    withNotices((t) => notices.push(t), () => {
      assert.equal(dottedVersion('9.9', '--postfix-version'), '9.9');
      assert.equal(dottedVersion(newest, '--postfix-version'), newest);
      assert.equal(dottedVersion('3.0', '--postfix-version'), '3.0');
      assert.equal(dottedVersion('9.9', '--openssl-version'), '9.9');
    });
    assert.deepEqual(notices, [`--postfix-version 9.9 is newer than the Postfix versions this tool has data for (up to ${newest}); defaults and checks follow ${newest}.`]);
  });
});

describe('the commands’ options', () => {
  test('lint', () => {
    assert.deepEqual(parseLintArgs(['etc', '--profile=ncsc', '--postfix-version', '3.8', '--openssl-version', '3.0', '--format', 'sarif', '--fail-on', 'hint', '', '-weird.cf']), {
      paths: ['etc', '-weird.cf'],
      format: 'sarif',
      failOn: 'hint',
      flags: { profile: 'ncsc', postfixVersion: '3.8', opensslVersion: '3.0' },
    });
    assert.match(usage(() => parseLintArgs(['etc', '--fail-on', 'never'])), /^--fail-on must be one of error, warning, info, hint \(got 'never'\)$/);
    assert.match(usage(() => parseLintArgs(['etc', '--profile', 'x'])), /^--profile must be one of postfix-defaults, /);
    assert.match(usage(() => parseLintArgs(['etc', '--bogus'])), /^unknown option '--bogus'\. Options: --postfix-version, /);
    assert.match(usage(() => parseLintArgs(['', '--format=json'])), /give at least one main\.cf/);
  });

  test('settings', () => {
    assert.deepEqual(parseSettingsArgs(['/etc/postfix', '--all', '--tls', '--expand', '--service', 'submission/inet', '--format=json', '--postfix-version', '3.10']), {
      path: '/etc/postfix',
      all: true,
      tls: true,
      expand: true,
      service: 'submission/inet',
      format: 'json',
      postfixVersion: '3.10',
    });
    assert.deepEqual(parseSettingsArgs(['.']), { path: '.', all: false, tls: false, expand: false, format: 'text' });
    assert.equal(usage(() => parseSettingsArgs(['.', '--tls=yes'])), '--tls takes no value');
    assert.match(usage(() => parseSettingsArgs(['.', '--service', 'smtp'])), /^--service must be NAME\/TYPE as in master\.cf/);
    assert.equal(usage(() => parseSettingsArgs(['a', 'b'])), 'give one main.cf or folder (got 2)');
  });

  test('report', () => {
    assert.deepEqual(parseReportArgs(['a.log', '-f', 'html', '-o', 'r.html', '-j', '2']), { files: ['a.log'], format: 'html', output: 'r.html', jobs: 2 });
    assert.deepEqual(parseReportArgs(['-', '-f=markdown', '-o=-', '--jobs=0']), { files: ['-'], format: 'markdown', output: undefined, jobs: 0 });
    assert.equal(parseReportArgs(['a.log', '--output=-name']).output, '-name');
    assert.equal(usage(() => parseReportArgs(['a.log', '--output', '-name'])), '--output needs a value');
    assert.equal(usage(() => parseReportArgs(['a.log', '-o='])), '--output needs a file name');
    assert.equal(parseReportArgs(['a.log', '--jobs', '99']).jobs, 99);
    // A whole number out of range is named as such (not "needs a whole number").
    for (const v of ['100', '100000', 'many', '-1', '1.5']) {
      assert.equal(usage(() => parseReportArgs(['a.log', `--jobs=${v}`])), `--jobs takes a whole number from 0 to 99 (0: no worker threads; got '${v}')`, v);
    }
    assert.match(usage(() => parseReportArgs(['a.log', '-j', '100'])), /^-j takes a whole number from 0 to 99/);
    assert.match(usage(() => parseReportArgs(['a.log', '-x'])), /^unknown option '-x'\. Usage: postfix-tls report FILE/);
  });

  test('log', () => {
    assert.deepEqual(parseLogArgs(['-', 'a.log', '--format=jsonl']), { files: ['-', 'a.log'], format: 'jsonl' });
    assert.equal(usage(() => parseLogArgs(['a.log', '--format'])), '--format needs a value: text or jsonl');
    assert.equal(usage(() => parseLogArgs(['a.log', '--format', 'yaml'])), "unknown format 'yaml': use text or jsonl");
    assert.match(usage(() => parseLogArgs(['-v', 'a.log'])), /^unknown option '-v'\. Usage: postfix-tls log FILE/);
  });

  test('explain: a log line as words, dashes included', () => {
    const words = 'postfix/smtpd[1]: SSL_accept error from a[192.0.2.9]: -1'.split(' ');
    assert.deepEqual(parseExplainArgs([...words, '--format', 'json']), { input: words.join(' '), format: 'json' });
    assert.deepEqual(parseExplainArgs(['--', '--weird']), { input: '--weird', format: 'text' });
    assert.match(usage(() => parseExplainArgs(['--bogus', 'AES256-SHA'])), /^unknown option '--bogus'\. Options: --format text\|json \(use -- before/);
    assert.equal(usage(() => parseExplainArgs(['AES256-SHA', '--format'])), '--format needs a value: text or json');
  });
});
