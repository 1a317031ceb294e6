/**
 * The one Markdown escaper. Text from documents and logs is untrusted: it goes into Markdown
 * either as escaped prose (`mdEscape`) or as an inline code span (`mdCode`), so it can never
 * form a link, a command link, an image, HTML, emphasis or a table cell break. Used by the log
 * texts and hovers, the config hovers, Explain Cipher, the effective-settings view and the
 * Markdown report. Pure: no I/O.
 */

/** Control characters, line separators and bidi overrides: they become spaces. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Every ASCII punctuation character (CommonMark lets each be backslash-escaped). */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/**
 * Text on one line without control characters: control characters, line breaks and bidi
 * overrides become spaces; text longer than `max` is cut with an ellipsis (to `max` characters).
 */
export function plainText(text: string, max = 200): string {
  let t = String(text);
  // Cut first: a 10 MB value costs no more than a short one.
  if (t.length > max) t = t.slice(0, Math.max(0, max - 1)) + '…';
  return t.replace(INVISIBLE, ' ');
}

/** How `mdEscape` writes each ASCII punctuation character. */
function escapePunctuation(c: string): string {
  // `&`, `<`, `>` as entities: no renderer (not even one without backslash escapes) sees HTML.
  return c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`;
}

/**
 * Text as Markdown prose that renders literally: `plainText`, then `&`, `<`, `>` as entities and
 * a backslash before every other ASCII punctuation character, so no link (`[x](command:y)`,
 * `<https://...>`, a bare URL's `://`), HTML, entity, emphasis, heading, list or table cell
 * (`|`) can form. `max` bounds the length before escaping (`Infinity`: never cut).
 */
export function mdEscape(text: string, max = 200): string {
  return plainText(text, max).replace(PUNCTUATION, escapePunctuation);
}

/** `mdEscape` without a length cut: for texts the caller has already bounded (hovers, reports). */
export function escapeMarkdown(text: string): string {
  return mdEscape(text, Infinity);
}

/**
 * Text as an inline code span: inside a code span nothing is a link, HTML or emphasis. The
 * fence is one backtick longer than the longest backtick run inside (CommonMark); a space pads
 * text that starts or ends with a backtick or a space, so the reader sees it unchanged.
 * Empty (or blank) text shows as `*(empty)*`. Not for GFM table cells: a `|` would still end
 * the cell there (use `mdEscape`).
 */
export function mdCode(text: string, max = 120): string {
  const t = plainText(text, max);
  if (t.trim().length === 0) return '*(empty)*';
  let longest = 0;
  let run = 0;
  for (let i = 0; i < t.length; i++) {
    if (t.charCodeAt(i) === 96) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}
