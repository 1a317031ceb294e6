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
import { toCorePosition } from './positions';

/** Characters after which the client asks for completion without Ctrl+Space. */
export const COMPLETION_TRIGGERS = ['$', '{', '(', '=', ' ', ','];

const KIND: Record<string, CompletionItemKind> = {
  parameter: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  reference: CompletionItemKind.Variable,
};

const EMPTY: CompletionList = { isIncomplete: false, items: [] };

/** Above this many candidates the list is filtered by the typed word and capped. */
export const MAX_ITEMS = 150;

/** The word being completed: the text of the items' edit range up to the cursor. */
function typedWord(doc: TextDocument, range: { start: { line: number; character: number } } | undefined, pos: { line: number; character: number }): string {
  if (!range || range.start.line !== pos.line || range.start.character > pos.character) return '';
  return doc.getText({ start: range.start, end: pos });
}

/** Case-insensitive subsequence test, a superset of what the editor's fuzzy filter keeps. */
function isSubsequence(typed: string, label: string): boolean {
  const t = typed.toLowerCase();
  const l = label.toLowerCase();
  let i = 0;
  for (let j = 0; j < l.length && i < t.length; j++) if (l.charCodeAt(j) === t.charCodeAt(i)) i++;
  return i === t.length;
}

export async function provideCompletion(
  ctx: ServerContext,
  params: CompletionParams,
  token: CancellationToken,
): Promise<CompletionList> {
  const fctx = await featureContextFor(ctx, params.textDocument.uri, token);
  if (!fctx) return EMPTY;
  const doc = fctx.doc as TextDocument;
  const all = completeConfig(fctx, toCorePosition(doc, params.position), withBudget(token, FEATURE_BUDGET_MS)) ?? [];
  // ~900 parameter names with documentation are 200-300 KB of JSON per keystroke: send only
  // the names matching what is typed (and at most MAX_ITEMS), and mark the list incomplete so
  // the editor asks again as the word grows.
  let items = all;
  let isIncomplete = false;
  if (all.length > MAX_ITEMS) {
    const first = all[0]?.range;
    const typed = typedWord(doc, first && clampRange(doc, first), params.position);
    if (typed) items = all.filter((it) => isSubsequence(typed, it.label));
    if (items.length > MAX_ITEMS) items = items.slice(0, MAX_ITEMS);
    isIncomplete = items.length !== all.length;
  }
  return {
    isIncomplete,
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
