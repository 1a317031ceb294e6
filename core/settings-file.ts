/**
 * `.postfix-tls.json`: per-folder settings for the CLI (and anyone linting outside VS Code).
 * Same keys as the extension settings without the `postfixTls.` prefix:
 *
 * ```json
 * { "postfixVersion": "3.7", "opensslVersion": "3.0", "profile": "ncsc",
 *   "diagnostics": { "levels": { "fs.preempt-cipherlist": "off" } } }
 * ```
 * `"diagnostics.levels"` and a top-level `"levels"` are accepted too, and so are keys written
 * with the `postfixTls.` prefix (copied from VS Code's settings.json). Unknown keys (log
 * decoration settings ...) are ignored.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PROFILE_NAMES, type Level, type ProfileName, type Settings } from './types';

/** The file name looked for in a configuration folder. */
export const SETTINGS_FILE_NAME = '.postfix-tls.json';

const VERSION_RE = /^\d+\.\d+(\.\d+)?$/;
const LEVELS: readonly Level[] = ['off', 'hint', 'info', 'warning', 'error'];
const MAX_SETTINGS_BYTES = 1 << 20;

/** Settings read from a file, and what was wrong with it (each error names the file). */
export interface SettingsFileResult {
  settings: Partial<Settings>;
  errors: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the text of a settings file. `file` is only used in messages. Never throws. */
export function parseSettingsFile(text: string, file: string): SettingsFileResult {
  const errors: string[] = [];
  const settings: Partial<Settings> = {};
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { settings, errors: [`${file}: not valid JSON (${detail})`] };
  }
  if (!isRecord(raw)) return { settings, errors: [`${file}: expected a JSON object like { "postfixVersion": "3.10" }`] };
  // Accept `postfixTls.x` keys as well as `x`.
  const obj: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) obj[k.startsWith('postfixTls.') ? k.slice('postfixTls.'.length) : k] = v;
  if (isRecord(obj.postfixTls)) Object.assign(obj, obj.postfixTls);

  for (const key of ['postfixVersion', 'opensslVersion'] as const) {
    const v = obj[key];
    if (v === undefined) continue;
    if (typeof v === 'string' && VERSION_RE.test(v.trim())) settings[key] = v.trim();
    else errors.push(`${file}: "${key}" must be a version like "3.10" (got ${JSON.stringify(v)})`);
  }
  if (obj.profile !== undefined) {
    if (typeof obj.profile === 'string' && (PROFILE_NAMES as readonly string[]).includes(obj.profile)) settings.profile = obj.profile as ProfileName;
    else errors.push(`${file}: "profile" must be one of ${PROFILE_NAMES.join(', ')} (got ${JSON.stringify(obj.profile)})`);
  }
  const levelSources: [string, unknown][] = [];
  if (isRecord(obj.diagnostics) && obj.diagnostics.levels !== undefined) levelSources.push(['diagnostics.levels', obj.diagnostics.levels]);
  if (obj['diagnostics.levels'] !== undefined) levelSources.push(['diagnostics.levels', obj['diagnostics.levels']]);
  if (obj.levels !== undefined) levelSources.push(['levels', obj.levels]);
  for (const [key, src] of levelSources) {
    if (!isRecord(src)) {
      errors.push(`${file}: "${key}" must be an object like { "fs.preempt-cipherlist": "off" }`);
      continue;
    }
    settings.levels ??= {};
    for (const [code, level] of Object.entries(src)) {
      if (typeof level === 'string' && (LEVELS as readonly string[]).includes(level)) settings.levels[code] = level as Level;
      else errors.push(`${file}: level of "${code}" must be one of ${LEVELS.join(', ')} (got ${JSON.stringify(level)})`);
    }
  }
  return { settings, errors };
}

/**
 * Reads `.postfix-tls.json` in `dir`. Undefined when there is none; a result with errors when
 * it cannot be read or parsed.
 */
export function loadSettingsFile(dir: string): SettingsFileResult | undefined {
  const file = path.join(dir, SETTINGS_FILE_NAME);
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) return { settings: {}, errors: [`${file}: not a regular file`] };
    size = st.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    return { settings: {}, errors: [`${file}: cannot be read (${(err as Error).message})`] };
  }
  if (size > MAX_SETTINGS_BYTES) return { settings: {}, errors: [`${file}: too large for a settings file (${size} bytes)`] };
  try {
    return parseSettingsFile(readFileSync(file, 'utf8'), file);
  } catch (err) {
    return { settings: {}, errors: [`${file}: cannot be read (${(err as Error).message})`] };
  }
}

/** Layers settings: later layers win field by field; levels are merged code by code. */
export function mergeSettings(base: Settings, ...layers: (Partial<Settings> | undefined)[]): Settings {
  const out: Settings = { ...base, levels: { ...base.levels } };
  for (const l of layers) {
    if (!l) continue;
    if (l.postfixVersion !== undefined) out.postfixVersion = l.postfixVersion;
    if (l.opensslVersion !== undefined) out.opensslVersion = l.opensslVersion;
    if (l.profile !== undefined) out.profile = l.profile;
    if (l.levels) Object.assign(out.levels, l.levels);
  }
  return out;
}
