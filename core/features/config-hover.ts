/**
 * Hovers for main.cf and master.cf: parameter names (main.cf and master.cf `-o`), `$name`
 * references (expanded value and where it comes from) and master.cf columns.
 * All document text is escaped so it cannot form links, HTML or command URIs.
 */
import type { CancellationTokenLike, Position, Range, Settings } from '../types';
import type { MainCf, MasterCf, MasterService, ParamRef } from '../config/model';
import { rangeContains } from '../config/position';
import {
  entryAt, expandInContext, overrideAt, refAt, resolveDocument, resolveName, serviceAt, type ConfigContext,
  type ValueSource,
} from '../config/query';
import { MASTER_COLUMNS, type MasterColumn } from '../config/parse-master';
import { defaultFor, getDeprecation, getParam, runtimeDefaultText, splitServiceName, type ParamInfo } from '../params';
import { fsNoteFor } from './fs-notes';
import { escapeMarkdown, mdCode } from '../markdown';

export type { ConfigContext } from '../config/query';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** Longest text from the document shown in a hover. */
const MAX_SHOWN = 300;

// Re-exported: callers of the hover module escape with the same function.
export { escapeMarkdown };

/** Document text as an inline code span (contents are never interpreted), clipped to a readable length. */
export function code(text: string, max = MAX_SHOWN): string {
  return mdCode(text, max);
}

/** `main.cf:12` style location of a range in a file. */
export function fileLine(uri: string, line: number): string {
  const base = decodeSafe(uri.replace(/[?#].*$/, '').split(/[\\/]/).pop() ?? uri);
  return `${base}:${line + 1}`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const STATUS_WORD: Record<string, string> = {
  deprecated: 'Deprecated',
  obsolete: 'Obsolete',
  removed: 'Removed',
  'read-only': 'Read-only',
};

/** Markdown describing a parameter for the target version. `name` is a known table name (safe) or escaped. */
export function paramMarkdown(name: string, settings: Settings, extra?: string[]): string {
  const info = getParam(name);
  const lines: string[] = [];
  if (!info) {
    const svc = splitServiceName(name);
    lines.push(`**${code(name)}**`);
    if (svc) {
      lines.push(
        `Per-service setting: ${code(svc.suffix.slice(1))} for the master.cf service ${code(svc.service)} ` +
          `(default: ${code('$default' + svc.suffix)} or its base parameter).`,
      );
    } else {
      lines.push('Not a Postfix parameter known to this extension (it may be a user-defined name).');
    }
    const dep = getDeprecation(name);
    if (dep) lines.push(deprecationLine(dep.kind, dep.deprecatedIn, dep.removedIn, dep.replacement));
    if (extra) lines.push(...extra);
    return lines.join('\n\n');
  }
  lines.push(headerLine(info));
  const summary = info.tls?.summary || info.summary;
  if (summary) lines.push(escapeMarkdown(summary));
  lines.push(...facts(info, settings));
  const st = statusLine(info);
  if (st) lines.push(st);
  if (extra) lines.push(...extra);
  const fs = fsNoteFor(info.name, settings.postfixVersion);
  if (fs) lines.push(`**Forward secrecy** — ${fs}`);
  if (info.url) lines.push(`[postconf(5): ${escapeMarkdown(info.name)}](${info.url})`);
  return lines.join('\n\n');
}

function headerLine(info: ParamInfo): string {
  const type = info.tls?.tlsType || info.type;
  const parts = [`**${code(info.name)}**`, `*${escapeMarkdown(type)}*`];
  if (info.introduced) {
    parts.push(info.introduced.startsWith('<=') ? 'since early Postfix' : `since Postfix ${escapeMarkdown(info.introduced)}`);
  }
  return parts.join(' · ');
}

function facts(info: ParamInfo, settings: Settings): string[] {
  const out: string[] = [];
  const v = settings.postfixVersion;
  const def = defaultFor(info.name, v, { opensslVersion: settings.opensslVersion });
  if (def !== undefined) {
    // A run-time default (`(computed)`, `(pid)`, `(program name)`) is no literal value: say what it is.
    const shown = runtimeDefaultText(def) ?? code(def);
    out.push(`Default in Postfix ${escapeMarkdown(v)}: ${shown}${info.timeUnit ? ` (unit when none given: ${code(info.timeUnit)})` : ''}`);
  } else if (info.status !== 'pattern' && info.status !== 'pseudo') {
    out.push(`Not available in Postfix ${escapeMarkdown(v)}.`);
  }
  const bounds: string[] = [];
  if (info.min !== undefined) bounds.push(`at least ${info.min}`);
  if (info.max !== undefined) bounds.push(`at most ${info.max}`);
  if (info.minLen) bounds.push('must not be empty');
  if (bounds.length) out.push(`Value: ${bounds.join(', ')}.`);
  if (info.allowedValues.length > 0) {
    const shown = info.allowedValues.slice(0, 24).map((x) => code(x)).join(', ');
    const protoForms = /_tls_(mandatory_)?protocols$/.test(info.name)
      ? ` — each may be excluded with ${code('!')}, or give a range with ${code('>=TLSv1.2')} / ${code('<=TLSv1.3')}`
      : '';
    out.push(`Allowed${info.list ? ' (a list of)' : ''}: ${shown}${info.allowedValues.length > 24 ? ', …' : ''}${protoForms}`);
  } else if (info.allowed) {
    out.push(`Allowed: ${escapeMarkdown(info.allowed)}`);
  }
  const hist = info.tls?.defaultHistory ?? [];
  if (hist.length > 1) {
    const steps = hist.map((h) => {
      const val = h[1] === null ? 'removed' : h.length === 4 ? `${code(h[1])} (${escapeMarkdown(h[2])}) / ${code(h[3])}` : code(h[1]);
      return `${escapeMarkdown(h[0])}: ${val}`;
    });
    out.push(`Default history: ${steps.join('; ')}`);
  }
  return out;
}

function deprecationLine(kind: string, deprecatedIn?: string, removedIn?: string, advice?: string): string {
  const what = removedIn ? `**Removed** in Postfix ${escapeMarkdown(removedIn)}` : deprecatedIn ? `**Deprecated** since Postfix ${escapeMarkdown(deprecatedIn)}` : `**${kind === 'obsolete' ? 'Obsolete' : 'Deprecated'}**`;
  return advice ? `${what} — instead: ${escapeMarkdown(advice)}.` : `${what}.`;
}

function statusLine(info: ParamInfo): string | undefined {
  const parts: string[] = [];
  const dep = getDeprecation(info.name);
  if (info.status in STATUS_WORD) {
    if (dep && (dep.kind === 'parameter' || dep.kind === 'removed')) {
      parts.push(deprecationLine(dep.kind, dep.deprecatedIn, dep.removedIn ?? (info.status === 'removed' ? info.statusVersion : undefined), dep.replacement));
    } else {
      const ver = info.statusVersion ? ` (Postfix ${escapeMarkdown(info.statusVersion)})` : '';
      const repl = info.replacement ? ` — instead: ${escapeMarkdown(info.replacement)}` : '';
      parts.push(`**${STATUS_WORD[info.status]}**${ver}${repl}.`);
    }
  }
  if (info.tls?.ignoredSince) parts.push(`Ignored since Postfix ${escapeMarkdown(info.tls.ignoredSince)}.`);
  if (info.tls?.supersededBy) parts.push(`Superseded by ${code(info.tls.supersededBy)}.`);
  if (info.tls?.sameAs) parts.push(`Same meaning as ${code(info.tls.sameAs)}, for this daemon.`);
  return parts.length ? parts.join(' ') : undefined;
}

function sourceText(source: ValueSource): string {
  switch (source.kind) {
    case 'override':
      return `set by ${code('-o')} in service ${code(source.service.service.text)} (${code(fileLine(source.file, source.assignment.range.start.line))})`;
    case 'main':
      return `set in ${code(fileLine(source.file, source.assignment.range.start.line))}`;
    case 'default':
      return `built-in default (Postfix ${escapeMarkdown(source.version)})`;
    case 'undefined':
      return 'not defined anywhere: expands to an empty value';
  }
}

function refMarkdown(ref: ParamRef, main: MainCf | undefined, settings: Settings, service?: MasterService, masterUri?: string): string {
  const { raw, source } = resolveName(ref.name, main, settings, service, masterUri);
  const lines = [`**${code('$' + ref.name)}** — ${sourceText(source)}`];
  if (raw !== undefined) {
    lines.push(`Value: ${code(raw)}`);
    const ex = expandInContext(raw, main, settings, service);
    if (ex.value !== raw) lines.push(`Expands to: ${code(ex.value)}`);
    if (ex.loop) lines.push(`Reference loop: ${ex.loop.map((n) => code(n)).join(' → ')}`);
    if (ex.undefined.length) lines.push(`Undefined (empty): ${ex.undefined.slice(0, 10).map((n) => code(n)).join(', ')}`);
  }
  const info = getParam(ref.name);
  if (info) {
    const summary = info.tls?.summary || info.summary;
    if (summary) lines.push(escapeMarkdown(summary));
  }
  return lines.join('\n\n');
}

/** What each master.cf column means, in our words. */
export const MASTER_COLUMN_HELP: Record<MasterColumn, string> = {
  service:
    'Service name. For `inet` services the listen address: `port`, `host:port` or a name from /etc/services ' +
    '(e.g. `smtp`, `submission`, `127.0.0.1:10025`). For other types the socket name; other services and ' +
    'transport tables refer to the service by this name.',
  type:
    'Transport type: `inet` (TCP socket), `unix` (UNIX stream socket), `unix-dgram` (UNIX datagram socket), ' +
    '`fifo` (named pipe) or `pass` (UNIX socket that receives open connections, e.g. from postscreen).',
  private:
    'Private service? `y` restricts access to the mail system (socket in the private/ folder), `n` allows ' +
    'other programs. `-` means the default, `y`. `inet` services are always reachable from the network, so use `n`.',
  unpriv:
    'Unprivileged? `y` runs the daemon as the mail owner (`mail_owner`), `n` runs it as root (needed by ' +
    '`local`, `pipe`, `spawn`, `virtual`). `-` means the default, `y`.',
  chroot:
    'Run in a chroot jail below `queue_directory`? `y` or `n`; `-` means the default (`n` since Postfix 3.0, ' +
    '`y` before). A chrooted daemon sees only files copied into the jail.',
  wakeup:
    'Wake-up interval in seconds: the master sends a wake-up event at this interval (used by `pickup`, ' +
    '`qmgr`, `flush`). A trailing `?` sends it only when the service is in use. `0` or `-` means no wake-up.',
  maxproc:
    'Maximum number of processes for this service at the same time; `0` means no limit and `-` means ' +
    '`default_process_limit`.',
  command:
    'The daemon program (from `daemon_directory`) and its arguments. Options such as ' +
    '`-o name=value` come first and override main.cf for this service only; `-v` adds verbose logging.',
};

function columnMarkdown(col: MasterColumn, value: string, svc: MasterService): string {
  const lines = [`**master.cf column: ${col}** — ${code(value)}`, MASTER_COLUMN_HELP[col]];
  if (col === 'command' && (value === 'smtpd' || value === 'smtp' || value === 'lmtp' || value === 'tlsproxy' || value === 'postscreen')) {
    const n = svc.overrides.length;
    lines.push(n > 0 ? `This service overrides ${n} main.cf setting${n === 1 ? '' : 's'} with ${code('-o')}.` : `Uses main.cf settings as they are (no ${code('-o')} overrides).`);
  }
  return lines.join('\n\n');
}

/**
 * Hover for a position in main.cf or master.cf; undefined when there is nothing to say.
 * Never throws.
 */
export function hoverConfig(
  ctx: ConfigContext,
  position: Position,
  token?: CancellationTokenLike,
): HoverResult | undefined {
  if (token?.isCancellationRequested) return undefined;
  try {
    const d = resolveDocument(ctx);
    if (d.kind === 'main') return hoverMain(d.main, ctx, position);
    return hoverMaster(d.master, ctx, position);
  } catch {
    return undefined;
  }
}

function hoverMain(main: MainCf, ctx: ConfigContext, p: Position): HoverResult | undefined {
  const a = entryAt(main, p);
  if (!a) return undefined;
  if (rangeContains(a.nameRange, p)) {
    const list = main.byName.get(a.name) ?? [];
    const extra: string[] = [];
    if (list.length > 1) {
      const last = list[list.length - 1];
      extra.push(
        last === a
          ? `Set ${list.length} times in this file; this last one wins.`
          : `Set again at ${code(fileLine(main.uri, last.range.start.line))}, which wins over this line.`,
      );
    }
    return { markdown: paramMarkdown(a.name, ctx.settings, extra), range: a.nameRange };
  }
  const ref = refAt(a, p);
  if (ref) return { markdown: refMarkdown(ref, main, ctx.settings), range: ref.range };
  return undefined;
}

function hoverMaster(master: MasterCf, ctx: ConfigContext, p: Position): HoverResult | undefined {
  const svc = serviceAt(master, p);
  if (!svc) return undefined;
  const main = ctx.main;
  const o = overrideAt(svc, p);
  if (o) {
    if (rangeContains(o.nameRange, p)) {
      const extra = [`Overrides main.cf for service ${code(svc.service.text)} only.`];
      const m = main?.byName.get(o.name);
      if (m && m.length > 0) {
        extra.push(`main.cf value: ${code(m[m.length - 1].value)} (${code(fileLine(main!.uri, m[m.length - 1].range.start.line))})`);
      }
      return { markdown: paramMarkdown(o.name, ctx.settings, extra), range: o.nameRange };
    }
    const ref = refAt(o, p);
    if (ref) return { markdown: refMarkdown(ref, main, ctx.settings, svc, master.uri), range: ref.range };
    return undefined;
  }
  const fields = [svc.service, svc.type, svc.private, svc.unpriv, svc.chroot, svc.wakeup, svc.maxproc, svc.command];
  for (let i = 0; i < fields.length; i++) {
    if (rangeContains(fields[i].range, p)) {
      return { markdown: columnMarkdown(MASTER_COLUMNS[i], fields[i].text, svc), range: fields[i].range };
    }
  }
  return undefined;
}
