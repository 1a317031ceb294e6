/**
 * Where a diagnostic's code links to (LSP `codeDescription.href`).
 */
import type { MainCf, MasterCf } from '../core/config/model';
import { MESSAGES, type MessageSpec } from '../core/rules/messages';
import { entryAt, overrideAt, serviceAt } from '../core/config/query';
import type { Position } from '../core/types';

/** The README section listing every diagnostic code (kept in sync with the README heading). */
export const README_CODES_URL = 'https://example.invalid/postfix-tls#diagnostic-codes';

/** The name of the assignment (main.cf line or master.cf `-o`) that contains `pos`. */
export function parameterAt(parsed: MainCf | MasterCf | undefined, pos: Position): string | undefined {
  if (!parsed) return undefined;
  if ('entries' in parsed) return entryAt(parsed, pos)?.name;
  const service = serviceAt(parsed, pos);
  return service ? overrideAt(service, pos)?.name : undefined;
}

/**
 * The link for a finding: the parameter's postconf(5) entry when the finding sits on a Postfix
 * parameter that has one (`urlOf`; user-defined names have none), else the document the code's
 * message table names, else the README's list of codes.
 */
export function codeHref(code: string, parameter: string | undefined, urlOf: (name: string) => string | undefined): string {
  const url = parameter ? urlOf(parameter) : undefined;
  if (url) return url;
  if (Object.prototype.hasOwnProperty.call(MESSAGES, code)) {
    const help = (MESSAGES as Record<string, MessageSpec>)[code].helpUri;
    if (help) return help;
  }
  return README_CODES_URL;
}
