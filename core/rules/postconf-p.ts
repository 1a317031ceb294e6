/**
 * `service/type/name=value` lines: the `postconf -P` syntax for master.cf overrides. Some
 * projects keep such lines in a file next to main.cf (docker-mailserver's postfix-master.cf)
 * and apply them with `postconf -P`. They are not master.cf syntax, but the names they
 * reference are used.
 */

/** One `service/type/name=value` line. */
export interface PostconfPLine {
  service: string;
  type: string;
  name: string;
  value: string;
}

const LINE_RE = /^([^\s/#=]+)\/([^\s/=]+)\/([A-Za-z0-9_]+)=(.*)$/;

/** Parses one line (logical-line text); undefined when it is not of that form. */
export function parsePostconfPLine(text: string): PostconfPLine | undefined {
  const m = LINE_RE.exec(text.trim());
  return m ? { service: m[1], type: m[2], name: m[3], value: m[4] } : undefined;
}

/** Every `postconf -P` line of a text. */
export function postconfPLines(text: string | undefined): PostconfPLine[] {
  if (!text || text.indexOf('/') < 0) return [];
  const out: PostconfPLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.length === 0 || /^\s/.test(line) || line[0] === '#') continue;
    const p = parsePostconfPLine(line);
    if (p) out.push(p);
  }
  return out;
}

/** The `$name`, `${name...}` and `$(name...)` names a value refers to. */
export function referencedNames(value: string): string[] {
  const out: string[] = [];
  const re = /\$(?:\{\s*|\(\s*)?([A-Za-z0-9_]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value)) !== null) {
    if (m.index > 0 && value[m.index - 1] === '$') continue; // `$$name` is a literal dollar
    out.push(m[1]);
  }
  return out;
}
