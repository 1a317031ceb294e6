/**
 * Parameters whose lifecycle (deprecated, ignored, obsolete) a specific forward-secrecy or TLS
 * rule reports with more precise advice; the generic deprecation rule leaves them alone so
 * nothing is reported twice.
 */
import { DH1024_PARAMS, DH512_PARAMS } from './dh-param-file';
import { EECDH_CURVE_DEFAULTS } from './eecdh-curve';
import { EECDH_GRADE_PARAMS } from './eecdh-grade';
import { LEGACY_TLS_SWITCHES } from './legacy-tls';

export const OWNED_BY_SPECIFIC_RULES: ReadonlySet<string> = new Set([
  ...DH1024_PARAMS,
  ...DH512_PARAMS,
  ...EECDH_GRADE_PARAMS,
  ...Object.keys(EECDH_CURVE_DEFAULTS),
  ...LEGACY_TLS_SWITCHES.keys(),
]);
