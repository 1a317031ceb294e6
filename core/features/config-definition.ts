/**
 * Go to definition for main.cf and master.cf: from a `$name` reference to the assignment that
 * gives it its value (the service's own `-o` first in master.cf, then main.cf), and from a
 * master.cf `-o name` to the main.cf setting it overrides.
 */
import type { CancellationTokenLike, Position, Range } from '../types';
import { rangeContains } from '../config/position';
import { entryAt, lastAssignment, lastOverride, overrideAt, refAt, resolveDocument, serviceAt, type ConfigContext } from '../config/query';

export interface DefinitionLocation {
  /** URI/path of the file (the `uri` of the parsed main.cf / master.cf). */
  file: string;
  /** The name of the defining assignment. */
  range: Range;
}

/** Definition locations for the symbol at `position`; empty when there is none. Never throws. */
export function definitionConfig(ctx: ConfigContext, position: Position, token?: CancellationTokenLike): DefinitionLocation[] {
  if (token?.isCancellationRequested) return [];
  try {
    const d = resolveDocument(ctx);
    if (d.kind === 'main') {
      const a = entryAt(d.main, position);
      const ref = a && refAt(a, position);
      if (!ref) return [];
      const def = lastAssignment(d.main, ref.name);
      return def ? [{ file: d.main.uri, range: def.nameRange }] : [];
    }
    const svc = serviceAt(d.master, position);
    const o = svc && overrideAt(svc, position);
    if (!svc || !o) return [];
    if (rangeContains(o.nameRange, position)) {
      const m = lastAssignment(ctx.main, o.name);
      return m && ctx.main ? [{ file: ctx.main.uri, range: m.nameRange }] : [];
    }
    const ref = refAt(o, position);
    if (!ref) return [];
    const local = lastOverride(svc, ref.name);
    if (local) return [{ file: d.master.uri, range: local.nameRange }];
    const m = lastAssignment(ctx.main, ref.name);
    return m && ctx.main ? [{ file: ctx.main.uri, range: m.nameRange }] : [];
  } catch {
    return [];
  }
}
