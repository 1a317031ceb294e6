/**
 * Reports what the parsers found in the text (syntax.*, master.*), in our wording. The parser
 * states facts (`reason` words); this rule turns them into message arguments.
 */
import type { ParseProblem } from '../config/model';
import { defaultLevels, messageSpec } from './messages';
import type { Rule, RuleReport } from './rule';
import { parsePostconfPLine } from './postconf-p';

/** Parser codes another rule reports (with a quick fix). */
const HANDLED_ELSEWHERE = new Set(['master.spaced-override']);

const REFERENCE_REASONS: Record<string, string> = {
  truncated: 'the closing bracket is missing',
  'empty-name': "'$' is not followed by a parameter name (write '$$' for a literal '$')",
  unbalanced: "a '{' has no matching '}'",
  'name-syntax': 'a parameter name may only contain letters, digits and _',
  unexpected: "unexpected text where '}' or ':' should follow",
  operator: 'the comparison operator is missing or unknown (use ==, !=, <, <=, >, >= or a ...level variant)',
  'expected-braces': 'a value here must be written in { }',
  nesting: 'the expressions are nested more than 100 levels deep',
};

const FIELD_EXPECTED: Record<string, string> = {
  type: 'Use inet, unix, unix-dgram, fifo or pass.',
  private: 'Use y, n or -.',
  unpriv: 'Use y, n or -.',
  chroot: 'Use y, n or -.',
  wakeup: "Use -, or a number of seconds optionally followed by '?'.",
  maxproc: 'Use - or a number.',
};

const OVERRIDE_REASONS: Record<string, string> = {
  'missing-value': "has no 'name=value' after it",
  'missing-equals': "has no '=' between name and value",
  'missing-name': "has no parameter name before '='",
};

function argsFor(p: ParseProblem): Record<string, string | number> {
  const args = { ...p.args };
  const reason = String(p.args.reason ?? '');
  switch (p.code) {
    case 'syntax.bad-reference':
      args.detail = REFERENCE_REASONS[reason] ?? 'the expression syntax is wrong';
      break;
    case 'master.bad-field':
      args.expected = FIELD_EXPECTED[String(p.args.field)] ?? '';
      break;
    case 'master.unbalanced-brace':
      if (reason === 'text-after-close') {
        args.detail = "has text right after its closing '}'";
        args.fix = "Put white space after the '}'.";
      } else {
        args.detail = "opens '{' but never closes it";
        args.fix = "Add the missing '}'.";
      }
      break;
    case 'master.bad-override':
      args.detail = OVERRIDE_REASONS[reason] ?? 'is not of the form name=value';
      break;
    default:
      break;
  }
  return args;
}

export const syntaxRule: Rule = {
  id: 'syntax',
  codes: defaultLevels(
    'syntax.missing-equals',
    'syntax.missing-name',
    'syntax.leading-whitespace',
    'syntax.bom',
    'syntax.nul-byte',
    'syntax.bad-reference',
    'syntax.problem',
    'master.field-count',
    'master.bad-field',
    'master.unbalanced-brace',
    'master.bad-override',
    'master.postconf-p-line',
  ),
  check(ctx) {
    const out: RuleReport[] = [];
    for (const doc of [ctx.main, ctx.master]) {
      if (!doc) continue;
      for (const p of doc.problems) {
        if (HANDLED_ELSEWHERE.has(p.code)) continue;
        if (p.code === 'master.field-count' && typeof p.args.text === 'string') {
          const pl = parsePostconfPLine(p.args.text);
          if (pl) {
            out.push({ file: doc.uri, range: p.range, code: 'master.postconf-p-line', args: { ...pl, text: p.args.text } });
            continue;
          }
        }
        // An unknown parser code still reaches the user, through the generic entry.
        const known = messageSpec(p.code) !== messageSpec('syntax.problem') || p.code === 'syntax.problem';
        out.push({ file: doc.uri, range: p.range, code: known ? p.code : 'syntax.problem', args: known ? argsFor(p) : { text: `${p.code}: ${Object.values(p.args).join(' ')}` } });
      }
    }
    return out;
  },
};
