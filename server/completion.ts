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
import { completeConfig, parameterDocumentation, type CompletionItem as CoreCompletionItem } from '../core/features/config-completion';
import type { Range } from '../core/types';
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

/** How well a label matches the typed word: 0 starts with it, 1 contains it, 2 fuzzy, -1 not at all. */
function matchRank(typed: string, label: string): number {
  const l = label.toLowerCase();
  if (l.startsWith(typed)) return 0;
  if (l.includes(typed)) return 1;
  return isSubsequence(typed, l) ? 2 : -1;
}

/**
 * The items matching `typed`, best first, with a sortText that keeps that order in the editor
 * (the rank, then the item's own sort key).
 */
function ranked(typed: string, all: readonly CoreCompletionItem[]): CoreCompletionItem[] {
  const t = typed.toLowerCase();
  const out: CoreCompletionItem[] = [];
  for (const it of all) {
    const rank = matchRank(t, it.label);
    if (rank >= 0) out.push({ ...it, sortText: `${rank}${it.sortText ?? it.label}` });
  }
  return out.sort((a, b) => (a.sortText! < b.sortText! ? -1 : a.sortText! > b.sortText! ? 1 : 0));
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
    // Rank before capping: names starting with the typed word first (editors that filter by
    // prefix, such as Neovim's, would otherwise see none of them), then the other matches.
    if (typed) items = ranked(typed, all);
    if (items.length > MAX_ITEMS) items = items.slice(0, MAX_ITEMS);
    isIncomplete = items.length !== all.length;
  }
  // One range for the whole list instead of one per item, where the client takes it (LSP 3.17).
  const shared = ctx.support.completionEditRangeDefault && items.length > 0 && items.every((it) => it.range && sameRange(it.range, items[0].range!));
  const editRange = shared ? clampRange(doc, items[0].range!) : undefined;
  // Documentation is asked for when an item is shown (completionItem/resolve), if the client can.
  const resolveDocs = ctx.support.completionResolveDocumentation;
  const list: CompletionList = {
    isIncomplete,
    items: items.map((it): CompletionItem => {
      const item: CompletionItem = { label: it.label, kind: KIND[it.kind] ?? CompletionItemKind.Text };
      if (it.detail) item.detail = it.detail;
      if (it.sortText) item.sortText = it.sortText;
      if (it.deprecated) item.tags = [CompletionItemTag.Deprecated];
      if (it.documentation) {
        if (resolveDocs && it.kind === 'parameter') item.data = RESOLVE_PARAMETER;
        else item.documentation = { kind: MarkupKind.Markdown, value: it.documentation };
      }
      const newText = it.insertText ?? it.label;
      if (editRange) {
        if (newText !== it.label) item.textEditText = newText;
      } else if (it.range) item.textEdit = { range: clampRange(doc, it.range), newText };
      else if (it.insertText !== undefined) item.insertText = it.insertText;
      return item;
    }),
  };
  if (editRange) list.itemDefaults = { editRange };
  return list;
}

/** `data` of a parameter-name item whose documentation comes with completionItem/resolve. */
const RESOLVE_PARAMETER = 'parameter';

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** `completionItem/resolve`: the documentation of a parameter-name item. */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  if (item.data !== RESOLVE_PARAMETER || item.documentation !== undefined || typeof item.label !== 'string') return item;
  const doc = parameterDocumentation(item.label);
  return doc ? { ...item, documentation: { kind: MarkupKind.Markdown, value: doc } } : item;
}
