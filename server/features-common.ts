/** The first steps every position-based feature shares. */
import type { CancellationToken } from 'vscode-languageserver';
import type { FeatureContext } from './analysis';
import type { ServerContext } from './context';

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
