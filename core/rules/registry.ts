/**
 * Every rule, in the order they run, and every diagnostic code with its default level.
 * Adding a rule: create core/rules/<id>.ts exporting a Rule, add its messages to messages.ts,
 * list it here.
 */
import type { Severity } from '../types';
import type { Rule } from './rule';
import { syntaxRule } from './syntax';
import { masterSpacedOverrideRule } from './master-spaced-override';
import { duplicateRule } from './duplicate';
import { readOnlyRule } from './read-only';
import { dhParamFileRule } from './dh-param-file';
import { eecdhGradeRule } from './eecdh-grade';
import { eecdhCurveRule } from './eecdh-curve';
import { curvesRule } from './curves';
import { preemptCipherlistRule } from './preempt-cipherlist';
import { cipherGradeRule } from './cipher-grade';
import { cipherlistRedefinedRule } from './cipherlist-redefined';
import { excludeCiphersRule } from './exclude-ciphers';
import { protocolsRule } from './protocols';
import { legacyTlsRule } from './legacy-tls';
import { profileRule } from './profile';
import { unknownParameterRule } from './unknown-parameter';
import { deprecatedRule } from './deprecated';
import { undefinedReferenceRule } from './undefined-reference';
import { referenceLoopRule } from './reference-loop';
import { valueTypeRule } from './value-type';
import { hashInListRule } from './hash-in-list';
import { MESSAGES } from './messages';

export const RULES: readonly Rule[] = [
  syntaxRule,
  masterSpacedOverrideRule,
  duplicateRule,
  readOnlyRule,
  unknownParameterRule,
  deprecatedRule,
  undefinedReferenceRule,
  referenceLoopRule,
  valueTypeRule,
  hashInListRule,
  dhParamFileRule,
  eecdhGradeRule,
  eecdhCurveRule,
  curvesRule,
  preemptCipherlistRule,
  cipherGradeRule,
  cipherlistRedefinedRule,
  excludeCiphersRule,
  protocolsRule,
  legacyTlsRule,
  profileRule,
];

/** Codes lint() itself may report (not owned by a rule). */
const LINT_CODES: Record<string, Severity> = { 'internal.rule-failed': MESSAGES['internal.rule-failed'].defaultLevel as Severity };

/** Every diagnostic code and its default level (the README table is built from this). */
export const ALL_CODES: Readonly<Record<string, Severity>> = Object.freeze(
  Object.assign({}, LINT_CODES, ...RULES.map((r) => r.codes)) as Record<string, Severity>,
);
