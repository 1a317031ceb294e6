/**
 * The client's only door to the core log classifier (core/log/classify.ts) and its badge texts
 * (core/log/explain.ts). No log-line pattern lives in the client.
 */
import type * as vscode from 'vscode';
import type { LogRecord } from '../../core/log/record';
import { classifyRange, type LineRecord } from '../../core/log/classify';
import { badgeFor, type Badge, type BadgeOptions, type BadgeOutcome } from '../../core/log/explain';

/** What a badge says about a record (the core's badge classes). */
export type Outcome = BadgeOutcome;

export const OUTCOMES: readonly Outcome[] = ['fs', 'no-fs', 'failure', 'unknown'];

/** Records starting or continuing on lines [from, to) of `doc`; a folded header is one record at its first line. */
export function classifyLines(doc: vscode.TextDocument, from: number, to: number): LineRecord[] {
  return classifyRange((i) => doc.lineAt(i).text, doc.lineCount, from, to);
}

/** The badge for a record with the user's badge options; undefined when it gets none. */
export function badge(record: LogRecord, opts: BadgeOptions): Badge | undefined {
  return badgeFor(record, opts);
}

const PLAIN: BadgeOptions = { showKeyExchange: false, showStatus: false, showProtocol: false };

/** The badge class of a record (undefined for records that get no badge, e.g. `tls=` fields). */
export function outcomeOf(record: LogRecord): Outcome | undefined {
  return badgeFor(record, PLAIN)?.outcome;
}
