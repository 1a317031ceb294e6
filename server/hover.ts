/** textDocument/hover: the core's Markdown for the parameter, value or reference under the cursor. */
import { MarkupKind, type CancellationToken, type Hover, type HoverParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { hoverConfig } from '../core/features/config-hover';
import { FEATURE_BUDGET_MS, withBudget } from './budget';
import type { ServerContext } from './context';
import { clampRange } from './diagnostics';
import { featureContextFor } from './features-common';
import { toCorePosition } from './positions';

export async function provideHover(ctx: ServerContext, params: HoverParams, token: CancellationToken): Promise<Hover | null> {
  const fctx = await featureContextFor(ctx, params.textDocument.uri, token);
  if (!fctx) return null;
  const result = hoverConfig(fctx, toCorePosition(fctx.doc, params.position), withBudget(token, FEATURE_BUDGET_MS));
  if (!result || !result.markdown) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: result.markdown },
    range: clampRange(fctx.doc as TextDocument, result.range),
  };
}
