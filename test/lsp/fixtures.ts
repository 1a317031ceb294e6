/** Configuration texts with known problems, shared by the protocol and Neovim tests. */

/** A main.cf with known problems (checked against the default settings, Postfix 3.10). */
export const FIXTURE_MAIN = [
  '# Test configuration for the language server tests.',
  'mydomain = example.org',
  'myorigin = $mydomain',
  'smtpd_use_tls = yes',
  'smtpd_tls_securty_level = may',
  'smtpd_banner $myhostname ESMTP',
  'mua_client_restrictions = permit_sasl_authenticated, reject',
  '',
].join('\n');

/**
 * Codes FIXTURE_MAIN produces without a master.cf, one entry per diagnostic:
 * the old TLS switch, the misspelt parameter, the line without '=', and the user-defined
 * parameter nothing uses (master.cf would use it).
 */
export const FIXTURE_MAIN_CODES = [
  'postconf.unused-parameter',
  'postconf.unused-parameter',
  'syntax.missing-equals',
  'tls.legacy-tls-switch',
].sort();

/** Hover target in FIXTURE_MAIN: a parameter name. */
export const FIXTURE_HOVER_AT = 'smtpd_use_tls';

/**
 * A master.cf whose submission service uses `$mua_client_restrictions` from main.cf and
 * overrides the ECDHE grade (deprecated from Postfix 3.9, `none` disables ECDHE before 3.6).
 */
export const FIXTURE_MASTER = [
  '# service type  private unpriv  chroot  wakeup  maxproc command',
  'smtp      inet  n       -       y       -       -       smtpd',
  'submission inet n       -       y       -       -       smtpd',
  '  -o smtpd_client_restrictions=$mua_client_restrictions',
  '  -o smtpd_tls_eecdh_grade=none',
  '',
].join('\n');
