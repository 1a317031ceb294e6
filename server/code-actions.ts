/**
 * textDocument/codeAction: the fixes of the findings under the range, as quick fixes. Edits
 * become a WorkspaceEdit; a fix that names a command (e.g. generating DH parameters) becomes a
 * Command the client runs itself.
 */
import {
  CodeActionKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix, Range } from '../core/types';
import { DIAGNOSTICS_BUDGET_MS, withBudget } from './budget';
import type { ServerContext } from './context';
import { toUri } from './documents';
import { lspRangeIn } from './features-common';
import { toCoreRange } from './positions';
import type { Validation } from './validation';

function after(a: Range['start'], b: Range['start']): boolean {
  return a.line > b.line || (a.line === b.line && a.character > b.character);
}

/** Ranges overlap or touch (a cursor at either end of a finding still offers its fix). */
function touches(a: Range, b: Range): boolean {
  return !after(a.start, b.end) && !after(b.start, a.end);
}

/** Whether the client's `only` filter admits quick fixes. */
function wantsQuickFix(only: string[] | undefined): boolean {
  if (!only || only.length === 0) return true;
  return only.some((k) => k === '' || k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.'));
}

/** The edits of a fix, with their ranges as the editor counts them (lone CR line ends). */
function workspaceEdit(ctx: ServerContext, doc: TextDocument, fix: Fix): WorkspaceEdit | undefined {
  if (fix.edits.length === 0) return undefined;
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of fix.edits) (changes[toUri(e.file)] ??= []).push({ range: lspRangeIn(ctx, doc, e.file, e.range), newText: e.newText });
  return { changes };
}

export async function provideCodeActions(
  ctx: ServerContext,
  validation: Validation,
  params: CodeActionParams,
  token: CancellationToken,
): Promise<CodeAction[]> {
  if (!wantsQuickFix(params.context.only)) return [];
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc || !ctx.analysis.kindOf(doc) || ctx.analysis.skipped(doc)) return [];
  const settings = await ctx.settings.get(doc.uri);
  if (token.isCancellationRequested) return [];
  const current = ctx.documents.get(doc.uri);
  if (!current) return [];
  const actions: CodeAction[] = [];
  // Findings are in the core's positions: compare with the requested range in those.
  const range = toCoreRange(current, params.range);
  for (const f of ctx.analysis.cachedFindingsFor(current, settings, withBudget(token, DIAGNOSTICS_BUDGET_MS))) {
    if (!f.fixes?.length || !touches(f.range, range)) continue;
    const diagnostic = validation.toDiagnostic(current, f);
    for (const fix of f.fixes) {
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
      const edit = workspaceEdit(ctx, current, fix);
      if (edit) action.edit = edit;
      // A command the client never declared would fail there ("Unhandled method"): drop it.
      if (fix.command && ctx.support.commands.has(fix.command.id)) action.command = { title: fix.title, command: fix.command.id, arguments: fix.command.arguments };
      if (!action.edit && !action.command) continue;
      if (fix.isPreferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}
