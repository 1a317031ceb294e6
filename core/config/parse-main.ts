/**
 * main.cf parser with Postfix's exact rules (readlline.c + split_nameval.c): logical lines,
 * `name = value` with trimming, no inline comments, empty values allowed, last duplicate wins.
 * Never throws; linear in the input size; honours cancellation by returning what it has.
 */
import type { CancellationTokenLike, TextDocumentLike } from '../types';
import type { Assignment, MainCf, ParseProblem } from './model';
import { buildAssignment } from './assignment';
import { clip, isSpace, readLogicalLines, type LogicalLine } from './logical-lines';

export function parseMainCf(doc: TextDocumentLike, token?: CancellationTokenLike): MainCf {
  const problems: ParseProblem[] = [];
  const entries: Assignment[] = [];
  const byName = new Map<string, Assignment[]>();
  let text: string;
  try {
    text = doc.getText();
  } catch {
    text = '';
  }
  const ll = readLogicalLines(text, problems, token);
  let i = 0;
  for (const line of ll.lines) {
    if ((++i & 511) === 0 && token?.isCancellationRequested) break;
    const a = parseAssignmentLine(line, problems);
    if (!a) continue;
    if (ll.bom && line.firstLine === 0 && line.pieces[0].character === 1) {
      // Postfix reads the BOM as part of the first name, so that setting silently does not apply.
      problems.push({
        code: 'syntax.bom',
        range: { start: { line: 0, character: 0 }, end: a.nameRange.end },
        args: { name: a.name },
      });
    }
    entries.push(a);
    const list = byName.get(a.name);
    if (list) list.push(a);
    else byName.set(a.name, [a]);
  }
  return { uri: doc.uri, entries, byName, problems, lineCount: ll.lineCount };
}

/** split_nameval() on one logical line; reports syntax.missing-name / syntax.missing-equals. */
export function parseAssignmentLine(line: LogicalLine, problems: ParseProblem[]): Assignment | undefined {
  const t = line.text;
  const n = t.length;
  let np = 0;
  while (np < n && isSpace(t.charCodeAt(np))) np++;
  if (np >= n || t.charCodeAt(np) === 61 /* = */) {
    problems.push({
      code: 'syntax.missing-name',
      range: line.range,
      args: { text: clip(t), line: line.firstLine + 1 },
    });
    return undefined;
  }
  let ep = np;
  while (ep < n && !isSpace(t.charCodeAt(ep)) && t.charCodeAt(ep) !== 61) ep++;
  let cp = ep;
  while (cp < n && isSpace(t.charCodeAt(cp))) cp++;
  if (cp >= n || t.charCodeAt(cp) !== 61) {
    problems.push({
      code: 'syntax.missing-equals',
      range: line.range,
      args: { text: clip(t), name: clip(t.slice(np, ep)), line: line.firstLine + 1 },
    });
    return undefined;
  }
  let vp = cp + 1;
  while (vp < n && isSpace(t.charCodeAt(vp))) vp++;
  let ve = n;
  while (ve > vp && isSpace(t.charCodeAt(ve - 1))) ve--;
  return buildAssignment(
    line,
    { nameStart: np, nameEnd: ep, eq: cp, valueStart: vp, valueEnd: ve, start: 0, end: n },
    problems,
  );
}

