/** textDocument/definition: where a `$name` reference or an `-o` override's parameter is set. */
import type { CancellationToken, DefinitionParams, Location } from 'vscode-languageserver';
import { definitionConfig } from '../core/features/config-definition';
import { FEATURE_BUDGET_MS, withBudget } from './budget';
import type { ServerContext } from './context';
import { toUri } from './documents';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { featureContextFor, lspRangeIn } from './features-common';
import { toCorePosition } from './positions';

export async function provideDefinition(
  ctx: ServerContext,
  params: DefinitionParams,
  token: CancellationToken,
): Promise<Location[]> {
  const fctx = await featureContextFor(ctx, params.textDocument.uri, token);
  if (!fctx) return [];
  const doc = fctx.doc as TextDocument;
  const targets = definitionConfig(fctx, toCorePosition(doc, params.position), withBudget(token, FEATURE_BUDGET_MS)) ?? [];
  return targets.map((t) => ({ uri: toUri(t.file), range: lspRangeIn(ctx, doc, t.file, t.range) }));
}
