/**
 * Settings per resource: asked from the client with `workspace/configuration` (section
 * `postfixTls`, scopeUri = the document), cached per URI until the next
 * `workspace/didChangeConfiguration`. Clients that cannot be asked (or answer null) get the
 * section they pushed (didChangeConfiguration, initializationOptions.postfixTls). Anything
 * missing or invalid falls back to DEFAULT_SETTINGS, field by field.
 */
import { MessageType, ShowMessageNotification, type Connection } from 'vscode-languageserver';
import { newestKnownPostfixVersion } from '../core/params';
import { DEFAULT_SETTINGS, PROFILE_NAMES, type Level, type ProfileName, type Settings } from '../core/types';
import { compareVersions } from '../core/version';

/** The configuration section the server reads. */
export const SETTINGS_SECTION = 'postfixTls';

/** At most this many URIs are cached; the oldest entry goes first. */
const MAX_CACHED = 200;

/** A client that never answers must not block diagnostics forever. */
const CONFIGURATION_TIMEOUT_MS = 5000;

const VERSION_RE = /^\d+\.\d+(\.\d+)?$/;
const LEVELS: ReadonlySet<string> = new Set<Level>(['off', 'hint', 'info', 'warning', 'error']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Turns the `postfixTls` section as a client sends it into Settings. Accepts the nested form
 * VS Code sends (`diagnostics: { levels }`) and the dotted form some clients use
 * (`"diagnostics.levels"`). Unknown keys (log decoration settings ...) are ignored.
 */
export function toSettings(raw: unknown): Settings {
  const s: Settings = { ...DEFAULT_SETTINGS, levels: {} };
  if (!isRecord(raw)) return s;
  if (typeof raw.postfixVersion === 'string' && VERSION_RE.test(raw.postfixVersion.trim())) {
    s.postfixVersion = raw.postfixVersion.trim();
  }
  if (typeof raw.opensslVersion === 'string' && VERSION_RE.test(raw.opensslVersion.trim())) {
    s.opensslVersion = raw.opensslVersion.trim();
  }
  if (typeof raw.profile === 'string' && (PROFILE_NAMES as readonly string[]).includes(raw.profile)) {
    s.profile = raw.profile as ProfileName;
  }
  const levels = isRecord(raw.diagnostics) ? raw.diagnostics.levels : raw['diagnostics.levels'];
  if (isRecord(levels)) {
    for (const [code, level] of Object.entries(levels)) {
      if (typeof level === 'string' && LEVELS.has(level)) s.levels[code] = level as Level;
    }
  }
  return s;
}

/** Reads and caches settings per document URI. One instance per connection. */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<Settings>>();
  /**
   * Settings a client pushed with didChangeConfiguration or initializationOptions; used when
   * it cannot answer workspace/configuration or answers null (nothing per resource to honour).
   */
  private pushed: unknown;
  /** Target versions beyond the data already told about (once each per session). */
  private readonly toldNewer = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
  ) {}

  /** The settings for a document; never rejects. */
  get(uri: string): Promise<Settings> {
    if (!this.canPull) return Promise.resolve(this.noticed(toSettings(this.pushed)));
    const hit = this.cache.get(uri);
    if (hit) return hit;
    // Do not keep a failure; but leave a newer entry (after a clear) alone. Deferred, as
    // `p` is only assigned once request() has returned.
    const p: Promise<Settings> = this.request(uri, () =>
      queueMicrotask(() => {
        if (this.cache.get(uri) === p) this.cache.delete(uri);
      }),
    );
    this.cache.set(uri, p);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    return p;
  }

  private async request(uri: string, failed: () => void): Promise<Settings> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }) as Promise<unknown>,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('workspace/configuration timed out')), CONFIGURATION_TIMEOUT_MS);
        }),
      ]);
      // A client that has nothing for the section (null) leaves it to the settings it pushed
      // or passed as initializationOptions, like a client that cannot be asked at all.
      return this.noticed(toSettings(answer ?? this.pushed));
    } catch (error) {
      failed();
      this.connection.console.warn(`Reading settings for ${uri} failed: ${String(error)}`);
      return this.noticed(toSettings(this.pushed));
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /**
   * Says once per version and session that a target Postfix version is newer than the data
   * (the CLI prints the same notice): the settings are taken, checks follow the newest known.
   */
  private noticed(s: Settings): Settings {
    const v = s.postfixVersion;
    if (!this.toldNewer.has(v)) {
      const newest = newestKnownPostfixVersion();
      if (compareVersions(v, newest) > 0) {
        this.toldNewer.add(v);
        // A notification (window/showMessage), not a request: nothing to answer, no prompt.
        void this.connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Info,
          message: `Postfix TLS: postfixVersion ${v} is newer than the Postfix versions it has data for (up to ${newest}); defaults and checks follow ${newest}.`,
        });
      }
    }
    return s;
  }

  /** didChangeConfiguration: forget everything; remember a pushed `postfixTls` section. */
  changed(settingsPayload: unknown): void {
    this.cache.clear();
    if (isRecord(settingsPayload) && SETTINGS_SECTION in settingsPayload) this.pushed = settingsPayload[SETTINGS_SECTION];
  }

  /** A document closed: its entry is not needed any more. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }
}
