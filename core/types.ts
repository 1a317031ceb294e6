/**
 * Shared types of the pure core. Nothing in core/ imports `vscode` or an LSP
 * connection: the server, the client and the CLI adapt these plain shapes.
 */

/** A zero-based position; `character` counts UTF-16 code units, as LSP does. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open range between two positions (end exclusive). */
export interface Range {
  start: Position;
  end: Position;
}

/** The least a document must offer the core: an identity and its text. */
export interface TextDocumentLike {
  /** A URI (`file:///etc/postfix/main.cf`) or a plain path: the core only compares and prints it. */
  readonly uri: string;
  getText(): string;
}

/** Structural twin of the LSP/VS Code cancellation token. */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
}

/** A token that is never cancelled, for callers (CLI, tests) with nothing to cancel. */
export const NEVER_CANCELLED: CancellationTokenLike = Object.freeze({ isCancellationRequested: false });

/** A configurable diagnostic level; `off` suppresses the finding. */
export type Level = 'off' | 'hint' | 'info' | 'warning' | 'error';

/** The level a reported finding carries (never `off`). */
export type Severity = Exclude<Level, 'off'>;

/** Named setting bundles for recommended TLS settings and profile-dependent rules. */
export type ProfileName = 'postfix-defaults' | 'mozilla-intermediate' | 'mozilla-modern' | 'ncsc';

export const PROFILE_NAMES: readonly ProfileName[] = ['postfix-defaults', 'mozilla-intermediate', 'mozilla-modern', 'ncsc'];

/**
 * Settings that change what the core reports. The same keys as the extension's
 * `postfixTls.*` settings and a `.postfix-tls.json` file.
 */
export interface Settings {
  /** Target Postfix version, `major.minor` or `major.minor.patch` (e.g. `3.10`). */
  postfixVersion: string;
  /** Target OpenSSL version (e.g. `3.0`). */
  opensslVersion: string;
  profile: ProfileName;
  /** Per-diagnostic-code level overrides, e.g. `{ "fs.dh-prime-too-small": "error" }`. */
  levels: Record<string, Level>;
}

/** The defaults used when nothing is configured. Documented in the README. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  postfixVersion: '3.10',
  opensslVersion: '3.0',
  profile: 'postfix-defaults' as ProfileName,
  levels: {},
});

/** A text replacement in one file. */
export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

/** A quick fix offered for a finding: edits to apply, or a command the client runs. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** An extension command id (e.g. `postfixTls.generateDhParams`) run instead of / after the edits. */
  command?: { id: string; arguments?: unknown[] };
  isPreferred?: boolean;
}

/** One diagnostic produced by a rule. */
export interface Finding {
  /** The URI/path of the file the finding is in (main.cf or master.cf). */
  file: string;
  range: Range;
  level: Severity;
  /** Stable code, e.g. `fs.dh-prime-too-small`. */
  code: string;
  message: string;
  /** Fixes a client may offer as quick fixes. */
  fixes?: Fix[];
  /** Marks the finding as about deprecated or unused text (rendered struck through / faded). */
  tags?: ('deprecated' | 'unnecessary')[];
}
