/**
 * Findings of the core as LSP diagnostics, plus the server's own notice for documents it does
 * not analyse (too large, binary).
 */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Range, Settings, Severity } from '../core/types';
import { MAX_ANALYSED_CHARS, type SkipReason } from './documents';
import { toLspRange } from './positions';

/** The `source` of every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'postfix-tls';

/** Codes the server itself reports (not rules of the core). All default to `info`. */
export const SERVER_CODES = {
  'too-large': 'server.file-too-large',
  binary: 'server.binary-file',
  incomplete: 'server.analysis-incomplete',
  capped: 'server.too-many-findings',
} as const;

/** At most this many findings of one document become diagnostics (editors slow down beyond). */
export const MAX_DIAGNOSTICS = 1000;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The message for a document the server does not analyse. */
export function skipMessage(reason: SkipReason, length: number): string {
  if (reason === 'too-large') {
    const mib = (MAX_ANALYSED_CHARS / (1024 * 1024)).toFixed(0);
    return `File too large to analyse (${length} characters, the limit is ${mib} Mi): Postfix TLS diagnostics, hovers and completion are off for it.`;
  }
  return 'This file looks binary (it contains NUL bytes near the start), so Postfix TLS does not analyse it.';
}

/**
 * A range of the core as the editor counts it (see positions.ts: lone CR line ends), clamped
 * into the document so clients never receive positions outside it.
 */
export function clampRange(doc: TextDocument, core: Range): Range {
  const r = toLspRange(doc, core);
  const start = doc.positionAt(doc.offsetAt(sane(r.start)));
  const end = doc.positionAt(doc.offsetAt(sane(r.end)));
  return before(end, start) ? { start, end: start } : { start, end };
}

function sane(p: { line: number; character: number }): { line: number; character: number } {
  const n = (x: number) => (Number.isFinite(x) && x > 0 ? Math.floor(x) : 0);
  return { line: n(p.line), character: n(p.character) };
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** One finding as an LSP diagnostic; `href` is where its code links to. */
export function toDiagnostic(doc: TextDocument, f: Finding, href: string): Diagnostic {
  const d: Diagnostic = {
    range: clampRange(doc, f.range),
    severity: SEVERITY[f.level] ?? DiagnosticSeverity.Warning,
    code: f.code,
    codeDescription: { href },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  const tags: DiagnosticTag[] = [];
  if (f.tags?.includes('deprecated')) tags.push(DiagnosticTag.Deprecated);
  if (f.tags?.includes('unnecessary')) tags.push(DiagnosticTag.Unnecessary);
  if (tags.length > 0) d.tags = tags;
  return d;
}

/** A notice of the server at the start of the document; none when its code is set to `off`. */
export function serverNotice(code: string, message: string, settings: Settings, href: string): Diagnostic[] {
  const level = settings.levels[code] ?? 'info';
  if (level === 'off') return [];
  return [
    {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: SEVERITY[level],
      code,
      codeDescription: { href },
      source: DIAGNOSTIC_SOURCE,
      message,
    },
  ];
}

/** The single notice for a document that is not analysed. */
export function skipDiagnostics(reason: SkipReason, length: number, settings: Settings, href: string): Diagnostic[] {
  return serverNotice(SERVER_CODES[reason], skipMessage(reason, length), settings, href);
}

/** The notice for an analysis the time budget cut short. */
export function incompleteMessage(budgetMs: number): string {
  return `The analysis of this file took longer than ${budgetMs / 1000} s and was stopped, so some problems may not be shown. Is the file really a Postfix configuration?`;
}

/** The notice for a document with more findings than are shown. */
export function cappedMessage(shown: number, total: number): string {
  return `Only the first ${shown} of ${total} problems in this file are shown.`;
}
