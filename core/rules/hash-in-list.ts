/**
 * The inline-comment trap: main.cf only has whole-line comments, so `x = a, b # note` makes
 * `# note` part of the value. In lists Postfix 3.8+ drops the rest and warns; elsewhere it is
 * plain text of the value. `#` inside `{ }` (inline tables, regexps) and values of raw
 * parameters are left alone.
 */
import { getParam } from '../params';
import { RAW_PARAMETERS } from '../config/raw-params';
import { defaultLevels } from './messages';
import type { Rule, RuleReport, SiteRule } from './rule';
import { postfixAtLeast, perSiteRule, valueRange } from './util';

/** Names whose values are lists even where the parameter table does not say so (match lists, tables, restrictions). */
const LIST_NAME = /^(mynetworks|mydestination|relay_domains|permit_mx_backup_networks|inet_interfaces|proxy_interfaces)$|(_maps|_restrictions|_networks|_domains|_list|_checks|_classes|_interfaces|_addresses|_recipients|_clients)$/;

/** Offset of a `#` that starts a word after other text, outside `{ }`, or -1. */
export function inlineCommentOffset(value: string): number {
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === '#' && depth === 0 && i > 0 && /[\s,]/.test(value[i - 1]) && value.slice(0, i).trim() !== '') return i;
  }
  return -1;
}

const hashSites: SiteRule<undefined> = {
  prepare: (ctx) => ({ key: ctx.settings.postfixVersion, state: undefined }),
  check(site, ctx) {
    const out: RuleReport[] = [];
    const { a } = site;
    if (RAW_PARAMETERS.has(a.name) || !a.value.includes('#')) return undefined;
    const at = inlineCommentOffset(a.value);
    if (at < 0) return undefined;
    const list = getParam(a.name)?.list || LIST_NAME.test(a.name);
    const comment = a.value.slice(at);
    let effect: string;
    if (list && postfixAtLeast(ctx, '3.8')) effect = `Postfix ${ctx.settings.postfixVersion} drops the rest of the list from '#' on and logs a warning.`;
    else if (list) effect = `Postfix ${ctx.settings.postfixVersion} reads its words as list items.`;
    else effect = 'Postfix uses it as part of the value.';
    let end = a.value.length;
    while (end > at && /\s/.test(a.value[end - 1])) end--;
    // Keep the text before the comment; the fix drops the comment and the space before it.
    let keep = at;
    while (keep > 0 && /[\s,]/.test(a.value[keep - 1])) keep--;
    out.push({
      file: site.file,
      range: valueRange(a, at, end),
      code: 'value.inline-comment',
      args: { name: a.name, comment: comment.length > 60 ? comment.slice(0, 60) + '…' : comment, effect },
      fixes: [
        site.service
          ? { title: 'Remove the comment text from the value', edits: [{ file: site.file, range: valueRange(a, keep, a.value.length), newText: '' }], isPreferred: false }
          : {
              title: 'Move the comment to its own line',
              edits: [
                { file: site.file, range: { start: { line: a.range.start.line, character: 0 }, end: { line: a.range.start.line, character: 0 } }, newText: `${comment.trim()}\n` },
                { file: site.file, range: valueRange(a, keep, a.value.length), newText: '' },
              ],
              isPreferred: true,
            },
      ],
    });
    return out;
  },
};

export const hashInListRule: Rule = perSiteRule('hash-in-list', defaultLevels('value.inline-comment'), hashSites);
