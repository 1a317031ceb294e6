/**
 * Whether the target Postfix version has a parameter at all. A rule about a parameter's value
 * stays silent when it does not: `postconf.parameter-too-new` / `postconf.removed-parameter`
 * already say the setting is ignored, and advice about its value would not apply.
 *
 * Same test as unknown-parameter's `parameter-too-new` (no built-in default in that version).
 * Candidate for core/rules/util.ts (owned elsewhere); kept here until it moves.
 */
import { defaultFor } from '../params';
import type { RuleContext } from './rule';

/** True when Postfix `ctx.settings.postfixVersion` knows the built-in parameter `name`. */
export function targetHasParam(ctx: RuleContext, name: string): boolean {
  const { postfixVersion, opensslVersion } = ctx.settings;
  return defaultFor(name, postfixVersion, { opensslVersion }) !== undefined;
}
