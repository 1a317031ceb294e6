/**
 * Parameters whose values Postfix never expands as `$name` references of main.cf (postconf's
 * "raw" parameters: their `$` expressions are filled in later by the program with its own
 * attributes, e.g. `$client_address` in smtpd_reject_footer). postconf does not scan them for
 * references, so neither do we (no refs, no syntax.bad-reference).
 * Source: dynamic-params.md §2 (PCF_RAW_PARAMETER, 9 names at Postfix 3.12).
 */
export const RAW_PARAMETERS: ReadonlySet<string> = new Set([
  'command_execution_directory',
  'default_rbl_reply',
  'forward_path',
  'luser_relay',
  'mailbox_command',
  'postscreen_expansion_filter',
  'postscreen_reject_footer',
  'smtpd_expansion_filter',
  'smtpd_reject_footer',
]);
