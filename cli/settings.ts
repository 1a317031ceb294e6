/**
 * `postfix-tls settings PATH`: effective parameter values, printed like postconf.
 *
 *   (no flag)          the parameters main.cf sets, as `postconf -n` prints them
 *   --all              every parameter of the target version with its default, like `postconf`
 *   --expand           `$name` references expanded, like `postconf -x`
 *   --tls              only TLS parameters
 *   --service N/T      with the `-o` overrides of master.cf service N/T applied
 *   --format json      machine-readable, with where each value comes from
 *
 * PATH is a main.cf or the folder holding it; master.cf beside it is read when present.
 * Parameters postconf would not print (unknown names nobody refers to) are left out and named
 * on stderr, as postconf does. Exit 0, or 2 on a usage or read error.
 */
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseMainCf } from '../core/config/parse-main';
import { parseMasterCf } from '../core/config/parse-master';
import { findService, postconfPrintable, postconfSettings, serviceId, type ConfigSet, type ReferenceLoop } from '../core/effective';
import { readConfigFile } from '../core/lint-files';
import { loadSettingsFile } from '../core/settings-file';
import { DEFAULT_SETTINGS } from '../core/types';
import { CliCommand, UsageError } from './io';
import { dottedVersion, oneOf, parseCommandArgs, type CommandSpec } from './args';

type Format = 'text' | 'json';

export interface SettingsOptions {
  path: string;
  all: boolean;
  tls: boolean;
  expand: boolean;
  service?: string;
  format: Format;
  postfixVersion?: string;
  opensslVersion?: string;
}

const SETTINGS_ARGS = {
  options: {
    all: { type: 'boolean' },
    tls: { type: 'boolean' },
    expand: { type: 'boolean' },
    service: {
      type: 'string',
      parse: (v: string): string => {
        if (!/^[^/\s]+\/[^/\s]+$/.test(v)) throw new UsageError(`--service must be NAME/TYPE as in master.cf, e.g. submission/inet (got '${v}')`);
        return v;
      },
    },
    format: { type: 'string', parse: oneOf<Format>(['text', 'json']) },
    'postfix-version': { type: 'string', parse: dottedVersion },
    'openssl-version': { type: 'string', parse: dottedVersion },
  },
  unknownHint: '. Options: --all, --tls, --expand, --service NAME/TYPE, --format text|json, --postfix-version X.Y, --openssl-version X.Y',
  dashWordsArePositionals: true,
} satisfies CommandSpec;

/** Parses the command line of `settings`; throws UsageError with a clear message. */
export function parseSettingsArgs(args: string[]): SettingsOptions {
  const { values: v, positionals } = parseCommandArgs(args, SETTINGS_ARGS);
  const paths = positionals.filter((p) => p !== '');
  if (paths.length === 0) throw new UsageError('give a main.cf or the folder holding it');
  if (paths.length > 1) throw new UsageError(`give one main.cf or folder (got ${paths.length})`);
  const opts: SettingsOptions = { path: paths[0], all: v.all ?? false, tls: v.tls ?? false, expand: v.expand ?? false, format: v.format ?? 'text' };
  if (v.service !== undefined) opts.service = v.service;
  if (v['postfix-version'] !== undefined) opts.postfixVersion = v['postfix-version'];
  if (v['openssl-version'] !== undefined) opts.opensslVersion = v['openssl-version'];
  return opts;
}

/** main.cf and master.cf for PATH (a main.cf, a master.cf, or their folder). */
function locate(p: string): { main: string; master?: string; dir: string } {
  let st;
  try {
    st = statSync(p);
  } catch {
    throw new UsageError(`${p}: no such file or directory`);
  }
  if (st.isDirectory()) {
    const main = path.join(p, 'main.cf');
    if (!existsSync(main)) throw new UsageError(`${p}: no main.cf in this folder`);
    const master = path.join(p, 'master.cf');
    return { main, master: existsSync(master) ? master : undefined, dir: p };
  }
  const dir = path.dirname(p);
  if (/master/i.test(path.basename(p))) {
    const main = path.join(dir, 'main.cf');
    if (!existsSync(main)) throw new UsageError(`${p}: this is a master.cf; give the main.cf (none found beside it)`);
    return { main, master: p, dir };
  }
  const master = path.join(dir, 'master.cf');
  return { main: p, master: existsSync(master) ? master : undefined, dir };
}

function read(p: string): string {
  const r = readConfigFile(p);
  if ('error' in r) throw new UsageError(r.error);
  return r.text;
}

export const settingsCommand: CliCommand = async (args, io) => {
  const opts = parseSettingsArgs(args);
  const loc = locate(path.resolve(io.cwd, opts.path));
  const fileSettings = loadSettingsFile(loc.dir);
  for (const e of fileSettings?.errors ?? []) io.stderr.write(`postfix-tls settings: warning: ${e}\n`);
  const postfixVersion = opts.postfixVersion ?? fileSettings?.settings.postfixVersion ?? DEFAULT_SETTINGS.postfixVersion;
  const opensslVersion = opts.opensslVersion ?? fileSettings?.settings.opensslVersion ?? DEFAULT_SETTINGS.opensslVersion;
  const mainText = read(loc.main);
  const masterText = loc.master ? read(loc.master) : undefined;
  const main = parseMainCf({ uri: loc.main, getText: () => mainText });
  const master = loc.master && masterText !== undefined ? parseMasterCf({ uri: loc.master, getText: () => masterText }) : undefined;
  const cfg: ConfigSet = { main, master, postfixVersion, opensslVersion, configDirectory: loc.dir };
  let service;
  if (opts.service) {
    if (!master) throw new UsageError(`--service ${opts.service}: there is no master.cf beside ${loc.main}`);
    service = findService(master, opts.service);
    if (!service) {
      const ids = [...new Set(master.services.map(serviceId))];
      throw new UsageError(`--service ${opts.service}: no such service in ${loc.master}. Services: ${ids.join(', ') || 'none'}`);
    }
  }
  const result = postconfSettings(cfg, { all: opts.all, tlsOnly: opts.tls, expand: opts.expand, service });

  if (opts.format === 'json') {
    const out = {
      main: loc.main,
      master: loc.master ?? null,
      postfixVersion,
      service: opts.service ?? null,
      parameters: result.entries.map((e) => {
        const o: Record<string, unknown> = { name: e.name, value: e.value, source: e.source };
        if (e.assignment) o.line = e.assignment.range.start.line + 1;
        if (e.expanded !== undefined) o.expanded = e.expanded;
        return o;
      }),
      unused: result.unused.map((a) => ({ name: a.name, value: a.value, line: a.range.start.line + 1 })),
      readOnly: result.readOnly.map((a) => ({ name: a.name, value: a.value, line: a.range.start.line + 1 })),
      loops: result.loops,
    };
    io.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  const lines = result.entries.map((e) => {
    const v = postconfPrintable(e.expanded ?? e.value);
    return v === '' ? `${e.name} =` : `${e.name} = ${v}`;
  });
  io.stdout.write(lines.length > 0 ? lines.join('\n') + '\n' : '');
  const warnings = [
    ...result.readOnly.map((a) => ({ name: a.name, text: `read-only parameter assignment: ${a.name}=${a.value}` })),
    ...result.unused.map((a) => ({ name: a.name, text: `unused parameter: ${a.name}=${a.value}` })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const w of warnings) io.stderr.write(`postfix-tls settings: warning: ${loc.main}: ${w.text.length > 300 ? w.text.slice(0, 300) + '…' : w.text}\n`);
  for (const l of result.loops) io.stderr.write(`postfix-tls settings: warning: ${loc.main}: ${loopText(l)}\n`);
  return 0;
};

/** At most this many names of a loop or of the parameters it affects are spelled out. */
const MAX_NAMES = 8;

function nameList(names: readonly string[], sep: string): string {
  if (names.length <= MAX_NAMES) return names.join(sep);
  return [...names.slice(0, MAX_NAMES / 2), `… (${names.length - MAX_NAMES} more)`, ...names.slice(-MAX_NAMES / 2)].join(sep);
}

/** One stderr line for a reference loop (postconf -x gives up with a fatal error on it). */
function loopText(l: ReferenceLoop): string {
  const closed = l.path.length > 1 && l.path[0] === l.path[l.path.length - 1];
  const what = closed
    ? `reference loop ${nameList(l.path.map((n) => '$' + n), ' -> ')}`
    : `references nested too deep ${nameList(l.path.map((n) => '$' + n), ' -> ')}`;
  return `${what}: the names in it expand to nothing here, while postconf -x stops with a fatal error; affects ${nameList(l.affects, ', ')}`;
}
