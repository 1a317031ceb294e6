/**
 * Checks that Markdown/HTML we produce carries no live link, image or HTML taken from a
 * document or log. Markdown is parsed with markdown-it configured like VS Code's Markdown
 * preview at its most permissive (raw HTML on, bare-URL linkify on), which is stricter than the
 * hover renderer (no raw HTML there): whatever survives this is inert everywhere.
 * markdown-it ships with @vscode/vsce (a dev dependency); without it only the string checks run.
 */
import { createRequire } from 'node:module';
import { fail } from './checks';

interface MdToken {
  type: string;
  content: string;
  attrs: [string, string][] | null;
  children: MdToken[] | null;
}
interface MdParser {
  parse(src: string, env: object): MdToken[];
  render(src: string): string;
}

let parser: MdParser | undefined | null;

/** markdown-it (html + linkify), or undefined when it is not installed. */
export function markdownIt(): MdParser | undefined {
  if (parser === undefined) {
    try {
      const req = createRequire(__filename);
      const MarkdownIt = req('markdown-it') as new (opts: object) => MdParser;
      const md = new MarkdownIt({ html: true, linkify: true }) as MdParser & { linkify: { set(o: object): void } };
      // As VS Code's Markdown preview: links need a scheme or `www.` (`main.cf` is no link).
      md.linkify.set({ fuzzyLink: false });
      parser = md;
    } catch {
      parser = null;
    }
  }
  return parser ?? undefined;
}

/** Links that our own texts may contain (postconf(5), Postfix READMEs). */
export function isOwnLink(href: string): boolean {
  return /^https:\/\/www\.postfix\.org\/[A-Za-z0-9_.\-/#]*$/.test(href);
}

export interface MarkdownFindings {
  links: string[];
  images: string[];
  html: string[];
}

/** Links, images and raw HTML markdown-it finds in `md`. */
export function markdownFindings(md: string): MarkdownFindings | undefined {
  const p = markdownIt();
  if (!p) return undefined;
  const out: MarkdownFindings = { links: [], images: [], html: [] };
  const walk = (tokens: MdToken[]): void => {
    for (const t of tokens) {
      if (t.type === 'link_open') out.links.push(t.attrs?.find((a) => a[0] === 'href')?.[1] ?? '');
      else if (t.type === 'image') out.images.push(t.attrs?.find((a) => a[0] === 'src')?.[1] ?? '');
      else if (t.type === 'html_inline' || t.type === 'html_block') out.html.push(t.content);
      if (t.children) walk(t.children);
    }
  };
  walk(p.parse(md, {}));
  return out;
}

/**
 * Fails when `md` renders to a link other than our own, an image or raw HTML.
 * `allowSvg` permits the report's inline SVG chart (only its own tags, no attributes with URLs).
 */
export function assertInertMarkdown(md: string, what: string, opts: { allowSvg?: boolean } = {}): void {
  if (typeof md !== 'string') fail(`${what}: not a string`);
  const f = markdownFindings(md);
  if (!f) {
    // No parser: a coarse check (it cannot tell a code span from prose).
    if (/\]\((?:command|javascript|vbscript|data):/i.test(md)) fail(`${what}: contains a raw link target: ${excerpt(md, /\]\((?:command|javascript|vbscript|data):/i)}`);
    return;
  }
  for (const l of f.links) if (!isOwnLink(l)) fail(`${what}: renders a link to '${l}'`);
  if (f.images.length) fail(`${what}: renders an image '${f.images[0]}'`);
  for (const h of f.html) {
    if (opts.allowSvg) assertOwnHtml(h, what);
    else fail(`${what}: renders raw HTML '${h.slice(0, 120)}'`);
  }
}

const OWN_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'p', 'div', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'svg', 'rect', 'line', 'text', 'g', 'br', 'b', 'code']);

/** Fails when HTML has a tag outside the report's own set, or any URL-carrying attribute/handler. */
export function assertOwnHtml(html: string, what: string): void {
  for (const m of html.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)([^>]*)>?/g)) {
    if (!OWN_TAGS.has(m[1].toLowerCase())) fail(`${what}: HTML tag <${m[1]}> from the input: ${excerpt(html, new RegExp(`<\\/?${m[1]}`))}`);
    // Attribute names only (quoted values blanked): no URL-carrying attribute, no event handler.
    const attrs = m[2].replace(/"[^"]*"|'[^']*'/g, '""');
    const bad = /(?:^|\s)(href|src|srcset|action|formaction|xlink:href|on[a-z]+)\s*=/i.exec(attrs);
    if (bad) fail(`${what}: HTML attribute ${bad[1]}= in <${m[1]}${m[2].slice(0, 80)}>`);
  }
}

function excerpt(s: string, re: RegExp): string {
  const m = re.exec(s);
  const i = m ? m.index : 0;
  return JSON.stringify(s.slice(Math.max(0, i - 40), i + 80));
}
