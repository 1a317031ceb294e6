/** textDocument/completion: parameter names, values and `$name` references from the core. */
import {
  CompletionItemKind,
  CompletionItemTag,
  MarkupKind,
  type CancellationToken,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completeConfig } from '../core/features/config-completion';
import { FEATURE_BUDGET_MS, withBudget } from './budget';
import type { ServerContext } from './context';
import { clampRange } from './diagnostics';
import { featureContextFor } from './features-common';

/** Characters after which the client asks for completion without Ctrl+Space. */
export const COMPLETION_TRIGGERS = ['$', '{', '(', '=', ' ', ','];

const KIND: Record<string, CompletionItemKind> = {
  parameter: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  reference: CompletionItemKind.Variable,
};

const EMPTY: CompletionList = { isIncomplete: false, items: [] };

export async function provideCompletion(
  ctx: ServerContext,
  params: CompletionParams,
  token: CancellationToken,
): Promise<CompletionList> {
  const fctx = await featureContextFor(ctx, params.textDocument.uri, token);
  if (!fctx) return EMPTY;
  const doc = fctx.doc as TextDocument;
  const items = completeConfig(fctx, params.position, withBudget(token, FEATURE_BUDGET_MS)) ?? [];
  return {
    isIncomplete: false,
    items: items.map((it): CompletionItem => {
      const item: CompletionItem = { label: it.label, kind: KIND[it.kind] ?? CompletionItemKind.Text };
      if (it.detail) item.detail = it.detail;
      if (it.sortText) item.sortText = it.sortText;
      if (it.deprecated) item.tags = [CompletionItemTag.Deprecated];
      if (it.documentation) item.documentation = { kind: MarkupKind.Markdown, value: it.documentation };
      const newText = it.insertText ?? it.label;
      if (it.range) item.textEdit = { range: clampRange(doc, it.range), newText };
      else if (it.insertText !== undefined) item.insertText = it.insertText;
      return item;
    }),
  };
}
