/** The first steps every position-based feature shares. */
import type { CancellationToken } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range, TextDocumentLike } from '../core/types';
import type { FeatureContext } from './analysis';
import type { ServerContext } from './context';
import { toUri, uriKey } from './documents';
import { toLspRange } from './positions';

/**
 * The parsed pair and settings for a feature request on `uri`, or undefined when the document
 * is not open, not ours, not analysed (too large / binary) or the request was cancelled.
 */
export async function featureContextFor(
  ctx: ServerContext,
  uri: string,
  token: CancellationToken,
): Promise<FeatureContext | undefined> {
  const doc = ctx.documents.get(uri);
  if (!doc || !ctx.analysis.kindOf(doc) || ctx.analysis.skipped(doc)) return undefined;
  const settings = await ctx.settings.get(uri);
  if (token.isCancellationRequested) return undefined;
  // The document may have been closed while the settings were read.
  const now = ctx.documents.get(uri);
  if (!now) return undefined;
  return ctx.analysis.featureContext(now, settings);
}

/**
 * The text the core saw for `file` (a file of the pair of `from`): `from` itself, another open
 * document, or the partner read from disk. Undefined when it is none of these.
 */
function documentFor(ctx: ServerContext, from: TextDocument, file: string): TextDocumentLike | undefined {
  const uri = toUri(file);
  if (uri === from.uri) return from;
  const key = uriKey(uri);
  if (key === uriKey(from.uri)) return from;
  const open = ctx.documents.get(uri) ?? ctx.documents.all().find((d) => uriKey(d.uri) === key);
  if (open) return open;
  const sibling = ctx.analysis.pair(from)?.sibling;
  return sibling && uriKey(sibling.uri) === key ? sibling : undefined;
}

/**
 * A core range in `file` (a file of the pair of `from`) as the editor counts it, for locations
 * and edits that may point into the other file of the pair (see positions.ts).
 */
export function lspRangeIn(ctx: ServerContext, from: TextDocument, file: string, r: Range): Range {
  const target = documentFor(ctx, from, file);
  return target ? toLspRange(target, r) : r;
}
