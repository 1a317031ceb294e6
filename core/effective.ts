/**
 * Effective parameter values, like postconf sees them, and a forward-secrecy verdict per
 * service. Backs the `settings` CLI command (`postconf -n`, `postconf`, `postconf -x`,
 * per-service `-o` overrides) and "Show Effective TLS Settings" in VS Code.
 *
 * A value comes from, in order: the service's last `-o` override in master.cf, the last
 * main.cf definition, or the built-in default of the target Postfix version.
 *
 * Pure: takes parsed files, returns data and text.
 */
import { explainCipher } from './cipher';
import { escapeMarkdown } from './markdown';
import { expandValue, type ExpandResult } from './config/expand';
import type { Assignment, MainCf, MasterCf, MasterService } from './config/model';
import { RAW_PARAMETERS } from './config/raw-params';
import { allParamNames, collectUsedNames, defaultFor, getParam, isBuiltinName, SERVICE_SUFFIXES } from './params';
import { RUNTIME_DEFAULT_MARKERS } from './params/data';
import { evalProtocols, fsKillingExclusions, excludesStaticRsa, type ProtocolName } from './profiles';
import { atLeast } from './version';

/** The configuration being looked at. */
export interface ConfigSet {
  main: MainCf;
  /** master.cf beside main.cf, when there is one. */
  master?: MasterCf;
  /** Target Postfix version (`3.10`). */
  postfixVersion: string;
  /** Target OpenSSL version (decides a few defaults); default 3.0. */
  opensslVersion?: string;
  /** Folder holding main.cf: the value of `$config_directory` when main.cf does not set it. */
  configDirectory?: string;
}

/** Where an effective value comes from. */
export type ValueSource = 'main.cf' | 'master.cf' | 'default';

/** One parameter with its effective value. */
export interface EffectiveEntry {
  name: string;
  /** The value as stored (unexpanded). */
  value: string;
  source: ValueSource;
  /** The main.cf line or master.cf `-o` that set it (absent for defaults). */
  assignment?: Assignment;
  /** The value with `$name` references expanded (only when asked for). */
  expanded?: string;
}

/** The markers the generated table keeps for defaults computed on the mail server (`myhostname` ...). */
const RUNTIME_DEFAULT: ReadonlySet<string> = new Set(RUNTIME_DEFAULT_MARKERS);

/** Names postconf refuses to set (it warns "read-only parameter assignment" and drops them). */
export const READ_ONLY_PARAMS: ReadonlySet<string> = new Set(['process_name', 'process_id', 'service_name']);

/**
 * master.cf programs for which postconf defines `<service><suffix>` parameters, and which
 * suffixes each gets (dynamic-params.md §1: `spawn` only has `_time_limit`, pipe all, the
 * delivery agents all but `_time_limit`).
 */
const SERVICE_PROGRAMS: Record<string, 'all' | 'no-time-limit' | 'time-limit-only'> = {
  pipe: 'all',
  spawn: 'time-limit-only',
  local: 'no-time-limit',
  error: 'no-time-limit',
  virtual: 'no-time-limit',
  smtp: 'no-time-limit',
  lmtp: 'no-time-limit',
};

/** Does Postfix `v` know the built-in parameter `name` (introduced, not removed)? */
export function existsInVersion(name: string, v: string): boolean {
  if (!isBuiltinName(name)) return false;
  return defaultFor(name, v) !== undefined;
}

/** `submission/inet`: how services are named on the command line and in the report. */
export function serviceId(s: MasterService): string {
  return `${s.service.text}/${s.type.text}`;
}

/** The master.cf entry `NAME/TYPE` (the last one wins, as in master(8)). */
export function findService(master: MasterCf | undefined, id: string): MasterService | undefined {
  if (!master) return undefined;
  let hit: MasterService | undefined;
  for (const s of master.services) if (serviceId(s) === id) hit = s;
  return hit;
}

/** A value as `postconf` prints it: runs of blanks (space, tab, CR, LF) become one space. */
export function postconfPrintable(value: string): string {
  return value.split(/[ \t\r\n]+/).filter((w) => w !== '').join(' ');
}

function lastOf<T>(list: readonly T[] | undefined): T | undefined {
  return list && list.length > 0 ? list[list.length - 1] : undefined;
}

/** The last `-o name=...` of a service. */
function overrideOf(service: MasterService | undefined, name: string): Assignment | undefined {
  if (!service) return undefined;
  let hit: Assignment | undefined;
  for (const o of service.overrides) if (o.name === name) hit = o;
  return hit;
}

/** The default that postconf shows for a service-defined name (`$default_destination_concurrency_limit`). */
function serviceDefault(suffix: string): string {
  if (suffix === '_time_limit') return '$command_time_limit';
  if (suffix === '_initial_destination_concurrency') return '$initial_destination_concurrency';
  return `$default${suffix}`;
}

/** Service-defined names for the services of master.cf: name -> default. */
function serviceDefinedNames(master: MasterCf | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!master) return out;
  for (const s of master.services) {
    const program = s.command.text;
    const kind = SERVICE_PROGRAMS[program];
    if (!kind) continue;
    for (const suffix of SERVICE_SUFFIXES) {
      if (kind === 'time-limit-only' && suffix !== '_time_limit') continue;
      if (kind === 'no-time-limit' && suffix === '_time_limit') continue;
      out.set(s.service.text + suffix, serviceDefault(suffix));
    }
  }
  return out;
}

/** Is this a TLS-related parameter (one of the TLS table's names)? */
export function isTlsParam(name: string): boolean {
  return getParam(name)?.tls !== undefined;
}

/** Looks up effective raw values; the basis of expansion and of the verdicts. */
export class EffectiveValues {
  private readonly serviceNames: Map<string, string>;

  constructor(
    readonly cfg: ConfigSet,
    readonly service?: MasterService,
  ) {
    this.serviceNames = serviceDefinedNames(cfg.master);
  }

  /** The built-in default for the target version (service-defined names included). */
  defaultOf(name: string): string | undefined {
    if (name === 'config_directory' && this.cfg.configDirectory !== undefined) return this.cfg.configDirectory;
    const d = defaultFor(name, this.cfg.postfixVersion, { opensslVersion: this.cfg.opensslVersion ?? '3.0' });
    if (d !== undefined) return d;
    // A backported parameter the table misses: its current default.
    if (existsInVersion(name, this.cfg.postfixVersion)) return getParam(name)?.default;
    return this.serviceNames.get(name);
  }

  /** The effective entry of `name`, or undefined when it is neither set nor known. */
  get(name: string): EffectiveEntry | undefined {
    const o = overrideOf(this.service, name);
    if (o) return { name, value: o.value, source: 'master.cf', assignment: o };
    const m = lastOf(this.cfg.main.byName.get(name));
    if (m) return { name, value: m.value, source: 'main.cf', assignment: m };
    const d = this.defaultOf(name);
    return d === undefined ? undefined : { name, value: d, source: 'default' };
  }

  raw(name: string): string | undefined {
    return this.get(name)?.value;
  }

  /**
   * The value with `$name` references expanded (undefined names expand to nothing, like
   * postconf -x). Defaults only known on the mail server itself (`myhostname`, `process_id` ...)
   * stay as `${name}` rather than turning into a placeholder.
   */
  expand(value: string): string {
    return this.expandResult(value).value;
  }

  /** {@link expand} with what expansion met on the way (a reference loop, undefined names ...). */
  expandResult(value: string): ExpandResult {
    return expandValue(value, (n) => {
      const e = this.get(n);
      if (!e) return undefined;
      if (e.source === 'default' && RUNTIME_DEFAULT.has(e.value)) return '$${' + n + '}'; // `$$` expands to a literal `$`
      return e.value;
    });
  }

  /** The expanded, trimmed value of `name` ('' when unknown). */
  value(name: string): string {
    const r = this.raw(name);
    return r === undefined ? '' : this.expand(r).trim();
  }

  /** Service-defined names known from master.cf. */
  serviceDefined(): ReadonlyMap<string, string> {
    return this.serviceNames;
  }
}

// ---------------------------------------------------------------------------------------------
// postconf -n / postconf / postconf -x

/** Options of {@link postconfSettings}. */
export interface PostconfOptions {
  /** Every known parameter with its default (like `postconf`), not only the set ones (`postconf -n`). */
  all?: boolean;
  /** Only TLS parameters. */
  tlsOnly?: boolean;
  /** Expand `$name` references (like `postconf -x`). */
  expand?: boolean;
  /** Apply this master.cf service's `-o` overrides. */
  service?: MasterService;
}

/** What {@link postconfSettings} returns. */
export interface PostconfResult {
  /** Sorted by name. */
  entries: EffectiveEntry[];
  /** Set names postconf would not print ("unused parameter"). */
  unused: Assignment[];
  /** Set names postconf drops as read-only (process_name ...). */
  readOnly: Assignment[];
  /**
   * Reference loops met while expanding (only with `expand`), one per distinct loop. postconf -x
   * stops with a fatal error at the first; we expand the names in a loop to nothing and say so.
   */
  loops: ReferenceLoop[];
}

/** A `$name` reference loop found by {@link postconfSettings}. */
export interface ReferenceLoop {
  /**
   * The names around the loop, closed (`['a', 'b', 'a']`), starting at the smallest name; or,
   * when references nest deeper than Postfix allows without closing, that chain (not closed).
   */
  path: string[];
  /** The printed parameters whose expansion ran into it, sorted. */
  affects: string[];
}

/** A loop path in one spelling whatever name expansion entered it by (`b a b` -> `a b a`). */
function canonicalLoop(path: readonly string[]): string[] {
  const last = path[path.length - 1];
  if (path.length < 2 || path.indexOf(last) === path.length - 1) return [...path]; // a depth-bound chain
  const cycle = path.slice(path.indexOf(last), -1);
  let start = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i] < cycle[start]) start = i;
  const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
  return [...rotated, rotated[0]];
}

/**
 * The parameters `postconf -n` (or, with `all`, `postconf`) would print for this configuration
 * and version: built-in names that exist in the version, service-defined names of master.cf
 * delivery services, and user-defined names that something refers to. Pure.
 */
export function postconfSettings(cfg: ConfigSet, opts: PostconfOptions = {}): PostconfResult {
  const values = new EffectiveValues(cfg, opts.service);
  const used = collectUsedNames(cfg.main, cfg.master);
  const v = cfg.postfixVersion;
  const serviceNames = values.serviceDefined();
  const known = (name: string): boolean => {
    if (READ_ONLY_PARAMS.has(name)) return false;
    if (existsInVersion(name, v)) return true;
    if (serviceNames.has(name)) return true;
    return used.has(name);
  };
  const unused: Assignment[] = [];
  const readOnly: Assignment[] = [];
  const names = new Set<string>();
  for (const [name, list] of cfg.main.byName) {
    const a = lastOf(list) as Assignment;
    if (READ_ONLY_PARAMS.has(name)) readOnly.push(a);
    else if (known(name)) names.add(name);
    else unused.push(a);
  }
  if (opts.service) {
    for (const o of opts.service.overrides) {
      if (READ_ONLY_PARAMS.has(o.name)) continue;
      if (known(o.name)) names.add(o.name);
    }
  }
  if (opts.all) {
    for (const name of allParamNames()) if (known(name)) names.add(name);
    for (const name of serviceNames.keys()) names.add(name);
  }
  const entries: EffectiveEntry[] = [];
  const loops = new Map<string, ReferenceLoop>();
  for (const name of [...names].sort()) {
    if (opts.tlsOnly && !isTlsParam(name)) continue;
    const e = values.get(name);
    if (!e) continue;
    // postconf -x leaves raw parameters alone: their `$` belong to the program that uses them.
    if (opts.expand && RAW_PARAMETERS.has(name)) e.expanded = e.value;
    else if (opts.expand) {
      const x = values.expandResult(e.value);
      e.expanded = x.value;
      if (x.loop) {
        const path = canonicalLoop(x.loop);
        const key = path.join(' ');
        const hit = loops.get(key) ?? { path, affects: [] };
        hit.affects.push(name); // names arrive sorted
        loops.set(key, hit);
      }
    }
    entries.push(e);
  }
  return { entries, unused, readOnly, loops: [...loops.values()] };
}

// ---------------------------------------------------------------------------------------------
// Forward secrecy per service

/** How much forward secrecy a service can give. */
export type FsLevel =
  /** Every TLS connection is forward secret (TLS 1.3 only, or no static key exchange left). */
  | 'always'
  /** Forward secret whenever the peer supports ECDHE/DHE or TLS 1.3 (every current TLS stack does). */
  | 'when-supported'
  /** Only TLS 1.3 connections are forward secret: the settings remove ECDHE/DHE for older versions. */
  | 'tls13-only'
  /** No connection can be forward secret (no TLS, or no forward-secret cipher left). */
  | 'never';

/** The verdict for one service. */
export interface ServiceVerdict {
  /** `smtp/inet`, `submission/inet`, `smtp/unix` ... (or a stand-in when master.cf is missing). */
  id: string;
  /** Plain name, e.g. "SMTP server (port 25)". */
  label: string;
  role: 'server' | 'client';
  /** `none`, `may`, `encrypt`, `wrapper` (implicit TLS), or a client level (`dane`, `verify` ...). */
  tlsLevel: string;
  mandatory: boolean;
  /** Protocols the effective protocol list leaves enabled. */
  protocols: ProtocolName[];
  fs: FsLevel;
  /** One sentence. */
  summary: string;
  /** Supporting facts and warnings, plain words. */
  details: string[];
}

const isYes = (s: string): boolean => s.trim().toLowerCase() === 'yes';

/** The TCP port a master.cf service listens on, from its name (`submission`, `127.0.0.1:587`). */
function portOf(name: string): string {
  const p = name.includes(':') ? name.slice(name.lastIndexOf(':') + 1) : name;
  const ports: Record<string, string> = { smtp: '25', submission: '587', smtps: '465', submissions: '465', urd: '465' };
  return ports[p] ?? p;
}

/** Does a custom OpenSSL cipher list still select forward-secret suites? */
function cipherListHasFs(list: string): boolean {
  const words = list.split(/[\s:,]+/).filter(Boolean);
  const positive = words.filter((w) => !/^[!+\-@]/.test(w));
  if (positive.length === 0) return false;
  // Only explicit suite names (`AES256-SHA`, `ECDHE-RSA-...`): then at least one must be FS.
  const explicit = positive.every((w) => w.includes('-') || w.startsWith('TLS_'));
  if (explicit) return positive.some((w) => explainCipher(w).forwardSecrecy === 'yes');
  return true;
}

function judgeService(values: EffectiveValues, role: 'server' | 'client', id: string, label: string, service: MasterService | undefined): ServiceVerdict {
  const p = role === 'server' ? 'smtpd' : (service?.command.text === 'lmtp' ? 'lmtp' : 'smtp');
  const v = values.cfg.postfixVersion;
  const details: string[] = [];
  const val = (n: string) => values.value(n);
  const wrapper = role === 'server' ? isYes(val('smtpd_tls_wrappermode')) : isYes(val(`${p}_tls_wrappermode`));
  let level = val(`${p}_tls_security_level`);
  if (level === '') {
    if (isYes(val(`${p}_enforce_tls`))) level = role === 'client' && val(`${p}_tls_enforce_peername`).toLowerCase() !== 'no' ? 'verify' : 'encrypt';
    else if (isYes(val(`${p}_use_tls`))) level = 'may';
    else level = 'none';
  }
  const tlsLevel = wrapper ? 'wrapper' : level;
  const base = { id, label, role, tlsLevel };
  if (!wrapper && level === 'none') {
    return {
      ...base,
      mandatory: false,
      protocols: [],
      fs: 'never',
      summary: role === 'server' ? 'TLS is off: STARTTLS is not offered, so there is no encryption and no forward secrecy.' : 'TLS is off: mail is sent without encryption, so there is no forward secrecy.',
      details: role === 'client' && val(`${p}_tls_policy_maps`) !== '' ? [`${p}_tls_policy_maps may still turn TLS on for some destinations.`] : [],
    };
  }
  if (role === 'server') {
    const certs = ['smtpd_tls_chain_files', 'smtpd_tls_cert_file', 'smtpd_tls_eccert_file', 'smtpd_tls_dcert_file'].filter((n) => val(n) !== '');
    if (certs.length === 0) {
      return {
        ...base,
        mandatory: wrapper || level === 'encrypt',
        protocols: [],
        fs: 'never',
        summary: 'No server certificate is configured (smtpd_tls_chain_files or smtpd_tls_cert_file), so the server cannot start TLS.',
        details: [],
      };
    }
  }
  const mandatory = wrapper || (role === 'server' ? level === 'encrypt' : level !== 'may');
  const protoName = mandatory ? `${p}_tls_mandatory_protocols` : `${p}_tls_protocols`;
  const protoValue = val(protoName);
  const proto = evalProtocols(protoValue);
  if (proto.invalid.length > 0) details.push(`${protoName} has words Postfix rejects: ${proto.invalid.join(', ')}.`);
  const tls13 = proto.enabled.includes('TLSv1.3');
  const older = proto.enabled.filter((x) => x !== 'TLSv1.3');
  details.push(`${mandatory ? 'TLS is mandatory' : 'TLS is opportunistic'} (${tlsLevel === 'wrapper' ? 'implicit TLS, smtpd_tls_wrappermode = yes' : `security level ${level}`}); protocols allowed by ${protoName}: ${proto.enabled.join(', ') || 'none'}.`);
  if (!mandatory && role === 'server') details.push('Clients that do not use STARTTLS still send mail in plain text.');
  if (!mandatory && role === 'client') details.push('Servers that do not offer STARTTLS still get mail in plain text.');

  // Cipher grade and exclusions in force for this service.
  const gradeName = mandatory ? `${p}_tls_mandatory_ciphers` : `${p}_tls_ciphers`;
  const grade = val(gradeName).toLowerCase();
  const exclNames = [`${p}_tls_exclude_ciphers`, ...(mandatory ? [`${p}_tls_mandatory_exclude_ciphers`] : [])];
  const killers = exclNames.flatMap((n) => fsKillingExclusions(val(n)).map((k) => `${k} (${n})`));
  const noStaticRsa = exclNames.some((n) => excludesStaticRsa(val(n)));
  let olderFs = true;
  if (grade === 'null') {
    details.push(`${gradeName} = null allows only ciphers without encryption.`);
    olderFs = false;
  }
  if (killers.length > 0) {
    details.push(`Excluded: ${killers.join(', ')}; this removes ephemeral key exchange from TLS 1.2 and older.`);
    olderFs = false;
  }
  if (grade && grade !== 'null') {
    const listName = `tls_${grade === 'low' || grade === 'export' ? (atLeast(v, '3.8') ? 'medium' : grade) : grade}_cipherlist`;
    const entry = values.get(listName);
    if (entry && entry.source !== 'default' && !cipherListHasFs(values.value(listName))) {
      details.push(`${listName} is customised and selects no forward-secret cipher.`);
      olderFs = false;
    }
  }
  if (role === 'server' && olderFs && older.length > 0) {
    if (!atLeast(v, '3.6') && atLeast(v, '2.6')) {
      const g = val('smtpd_tls_eecdh_grade');
      if (g === 'none' || (g === '' && !atLeast(v, '2.8'))) details.push('smtpd_tls_eecdh_grade = none: no ECDHE on the server; only DHE gives forward secrecy for TLS 1.2 and older.');
    }
    if (!atLeast(v, '3.9')) {
      const dh = val('smtpd_tls_dh1024_param_file');
      if (dh === '' && !atLeast(v, '3.1')) details.push('DHE uses the built-in 1024-bit prime (Postfix before 3.1); set smtpd_tls_dh1024_param_file to a 2048-bit file.');
      else if (/(?:^|[^0-9])(512|768|1024)(?:[^0-9]|$)/.test(dh.split('/').pop() ?? '')) details.push(`smtpd_tls_dh1024_param_file = ${dh}: the file name suggests a prime shorter than 2048 bits.`);
    }
  }
  if (role === 'client' && !mandatory && olderFs) {
    details.push('With opportunistic TLS the client also offers anonymous ECDHE/DHE suites (no certificate, still forward secret).');
  }

  let fs: FsLevel;
  let summary: string;
  if (proto.enabled.length === 0) {
    fs = 'never';
    summary = 'The protocol settings leave no TLS version enabled, so TLS cannot be used.';
  } else if (older.length === 0) {
    fs = 'always';
    summary = 'Only TLS 1.3 is allowed: every TLS connection has forward secrecy.';
  } else if (!olderFs) {
    fs = tls13 ? 'tls13-only' : 'never';
    summary = tls13
      ? 'Only TLS 1.3 connections have forward secrecy; with TLS 1.2 and older the settings leave no ephemeral key exchange.'
      : 'No connection can have forward secrecy: the settings leave no ephemeral key exchange.';
  } else if (noStaticRsa) {
    fs = 'always';
    summary = 'Every TLS connection has forward secrecy: static RSA key exchange is excluded and TLS 1.3 is always ephemeral.';
  } else {
    fs = 'when-supported';
    summary = 'Forward secrecy whenever the peer supports ECDHE/DHE or TLS 1.3, which every current TLS implementation does; very old peers may still get a static-RSA cipher.';
  }
  return { ...base, mandatory, protocols: proto.enabled, fs, summary, details };
}

/** Services to judge: the smtpd on port 25, submission, smtps/submissions, and the SMTP client. */
function servicesToJudge(cfg: ConfigSet): { id: string; label: string; role: 'server' | 'client'; service?: MasterService; merge?: MasterService }[] {
  const out: { id: string; label: string; role: 'server' | 'client'; service?: MasterService; merge?: MasterService }[] = [];
  const master = cfg.master;
  if (!master) {
    out.push({ id: 'smtp/inet', label: 'SMTP server (port 25; no master.cf, defaults assumed)', role: 'server' });
    out.push({ id: 'smtp/unix', label: 'SMTP client (outgoing mail; no master.cf, defaults assumed)', role: 'client' });
    return out;
  }
  // The last entry of a name/type wins in master(8).
  const byId = new Map<string, MasterService>();
  for (const s of master.services) byId.set(serviceId(s), s);
  const pass = [...byId.values()].find((s) => s.type.text === 'pass' && s.command.text === 'smtpd');
  for (const s of byId.values()) {
    const cmd = s.command.text;
    const id = serviceId(s);
    if (s.type.text === 'inet' && (cmd === 'smtpd' || cmd === 'postscreen')) {
      const port = portOf(s.service.text);
      const what =
        port === '25' ? 'SMTP server (port 25)' : port === '587' ? 'Submission (port 587)' : port === '465' ? 'Submissions, implicit TLS (port 465)' : `SMTP server (${s.service.text})`;
      const viaPostscreen = cmd === 'postscreen' && pass ? pass : undefined;
      out.push({ id, label: viaPostscreen ? `${what}, via postscreen and ${serviceId(pass as MasterService)}` : what, role: 'server', service: s, merge: viaPostscreen });
    } else if (s.type.text === 'unix' && (cmd === 'smtp' || cmd === 'lmtp') && s.service.text !== 'lmtp') {
      const label = s.service.text === 'smtp' ? 'SMTP client (outgoing mail)' : `${cmd.toUpperCase()} client (${s.service.text})`;
      out.push({ id, label, role: 'client', service: s });
    }
  }
  return out;
}

/** A service whose overrides are those of `a` followed by `b` (postscreen, then smtpd pass). */
function mergedService(a: MasterService, b: MasterService | undefined): MasterService {
  return b ? { ...a, overrides: [...a.overrides, ...b.overrides] } : a;
}

/** The forward-secrecy verdict for each relevant service. */
export function fsVerdicts(cfg: ConfigSet): ServiceVerdict[] {
  return servicesToJudge(cfg).map((s) => {
    const service = s.service ? mergedService(s.service, s.merge) : undefined;
    return judgeService(new EffectiveValues(cfg, service), s.role, s.id, s.label, s.service);
  });
}

// ---------------------------------------------------------------------------------------------
// The TLS report (VS Code: Show Effective TLS Settings)

/** One TLS parameter in the report. */
export interface TlsParamRow {
  name: string;
  value: string;
  source: ValueSource;
  /** 1-based main.cf line when set there. */
  line?: number;
  /** master.cf overrides: service id -> value. */
  overrides: { service: string; value: string; line: number }[];
  /** Deprecated or ignored in the target version (short note). */
  note?: string;
}

/** Everything the report shows. */
export interface TlsReport {
  postfixVersion: string;
  mainUri: string;
  masterUri?: string;
  verdicts: ServiceVerdict[];
  /** Parameters set in main.cf or master.cf, sorted. */
  set: TlsParamRow[];
  /** Parameters at their default, sorted. */
  defaults: TlsParamRow[];
}

function statusNote(name: string, v: string): string | undefined {
  const info = getParam(name);
  if (!info) return undefined;
  if (info.tls?.ignoredSince && atLeast(v, info.tls.ignoredSince)) return `ignored since ${info.tls.ignoredSince}`;
  if ((info.status === 'deprecated' || info.status === 'obsolete') && info.statusVersion && atLeast(v, info.statusVersion)) {
    return `${info.status} since ${info.statusVersion}${info.replacement ? `: ${info.replacement}` : ''}`;
  }
  return undefined;
}

/** Every TLS parameter's effective value for main.cf and master.cf, with the verdicts. */
export function tlsReport(cfg: ConfigSet): TlsReport {
  const values = new EffectiveValues(cfg);
  const v = cfg.postfixVersion;
  const overrides = new Map<string, { service: string; value: string; line: number }[]>();
  for (const s of cfg.master?.services ?? []) {
    const last = new Map<string, Assignment>();
    for (const o of s.overrides) last.set(o.name, o);
    for (const o of last.values()) {
      if (!isTlsParam(o.name)) continue;
      const list = overrides.get(o.name) ?? [];
      list.push({ service: serviceId(s), value: o.value, line: o.range.start.line + 1 });
      overrides.set(o.name, list);
    }
  }
  const names = new Set<string>();
  for (const name of allParamNames()) if (isTlsParam(name) && defaultFor(name, v) !== undefined) names.add(name);
  for (const name of cfg.main.byName.keys()) if (isTlsParam(name)) names.add(name);
  for (const name of overrides.keys()) names.add(name);
  const set: TlsParamRow[] = [];
  const defaults: TlsParamRow[] = [];
  for (const name of [...names].sort()) {
    const e = values.get(name);
    const row: TlsParamRow = { name, value: e?.value ?? '', source: e?.source ?? 'default', overrides: overrides.get(name) ?? [] };
    if (e?.assignment) row.line = e.assignment.range.start.line + 1;
    const note = statusNote(name, v);
    if (note) row.note = note;
    if (row.source === 'main.cf' || row.overrides.length > 0) set.push(row);
    else defaults.push(row);
  }
  return { postfixVersion: v, mainUri: cfg.main.uri, masterUri: cfg.master?.uri, verdicts: fsVerdicts(cfg), set, defaults };
}

const FS_TEXT: Record<FsLevel, string> = {
  always: 'yes, always',
  'when-supported': 'yes, when the peer supports it',
  'tls13-only': 'only with TLS 1.3',
  never: 'no',
};

/** Cell text: escaped, single line, shortened. */
function cell(s: string, max = 300): string {
  const t = postconfPrintable(s);
  return t === '' ? '*(empty)*' : escapeMarkdown(t.length > max ? t.slice(0, max) + '…' : t);
}

/** The report as Markdown (all configuration text escaped). */
export function renderTlsReportMarkdown(r: TlsReport): string {
  const L: string[] = [];
  L.push('# Effective TLS settings', '');
  L.push(`- main.cf: ${escapeMarkdown(r.mainUri)}`);
  L.push(`- master.cf: ${r.masterUri ? escapeMarkdown(r.masterUri) : 'not found (services assumed to be the defaults)'}`);
  L.push(`- Postfix version: ${escapeMarkdown(r.postfixVersion)} (setting postfixTls\\.postfixVersion; defaults are those of this version)`, '');
  L.push('## Forward secrecy per service', '');
  L.push('| Service | Role | TLS | Protocols | Forward secrecy |', '|---|---|---|---|---|');
  for (const s of r.verdicts) {
    L.push(`| ${escapeMarkdown(s.label)} (${escapeMarkdown(s.id)}) | ${s.role} | ${escapeMarkdown(s.tlsLevel)}${s.mandatory ? ' (mandatory)' : ''} | ${escapeMarkdown(s.protocols.join(', ') || '-')} | **${FS_TEXT[s.fs]}** |`);
  }
  L.push('');
  for (const s of r.verdicts) {
    L.push(`### ${escapeMarkdown(s.label)}`, '', escapeMarkdown(s.summary), '');
    for (const d of s.details) L.push(`- ${escapeMarkdown(d)}`);
    if (s.details.length > 0) L.push('');
  }
  const table = (rows: TlsParamRow[], withSource: boolean) => {
    L.push(withSource ? '| Parameter | Value | Set in | master.cf overrides |' : '| Parameter | Default value |');
    L.push(withSource ? '|---|---|---|---|' : '|---|---|');
    for (const row of rows) {
      const name = escapeMarkdown(row.name) + (row.note ? ` *(${escapeMarkdown(row.note)})*` : '');
      if (withSource) {
        const src = row.source === 'main.cf' ? `main.cf line ${row.line}` : 'default';
        const ov = row.overrides.map((o) => `${escapeMarkdown(o.service)}: ${cell(o.value, 120)}`).join('<br>') || '-';
        L.push(`| ${name} | ${cell(row.value)} | ${src} | ${ov} |`);
      } else {
        L.push(`| ${name} | ${cell(row.value)} |`);
      }
    }
    L.push('');
  };
  L.push('## TLS parameters set in main.cf or master.cf', '');
  if (r.set.length > 0) table(r.set, true);
  else L.push('None: every TLS parameter is at its default.', '');
  L.push(`## TLS parameters at their Postfix ${escapeMarkdown(r.postfixVersion)} default`, '');
  table(r.defaults, false);
  return L.join('\n');
}

