/**
 * Forward-secrecy badges after TLS lines in mail logs (postfix-log) and mail messages (email:
 * Received: headers), plus overview-ruler marks for lines without FS and for failures.
 *
 * Only the visible ranges (plus a margin) are classified and decorated, through the shared
 * LogModel cache; the ruler marks come from LogModel's chunked whole-document scan. Updates are
 * throttled (100 ms trailing) so scrolling and typing stay smooth.
 */
import vscode = require('vscode');
import { readLogSettings, affectsLogSettings, type LogViewSettings } from '../util/settings';
import { trailingThrottle } from '../util/throttle';
import { OUTCOMES, badge, type Outcome } from './classifier';
import { isLogDocument, type LogModel, type ScanResult } from './model';

/** Lines classified above and below the visible ranges, so short scrolls need no new work. */
const VISIBLE_MARGIN = 50;
/** Throttle for re-decorating after scroll / edit / editor changes. */
const UPDATE_DELAY_MS = 100;
/** The ruler is a few hundred pixels tall: more marks than this are merged into buckets. */
const MAX_RULER_MARKS = 4000;

/** One applied badge, as returned by the test command `postfixTls.test.decorations`. */
export interface AppliedBadge {
  line: number;
  outcome: Outcome;
  text: string;
}

const BADGE_COLORS: Record<Outcome, string> = {
  fs: 'postfixTls.forwardSecretForeground',
  'no-fs': 'postfixTls.notForwardSecretForeground',
  failure: 'postfixTls.failureForeground',
  unknown: 'postfixTls.unknownForeground',
};

export class LogDecorations implements vscode.Disposable {
  /** One decoration type per outcome, created once; the text is set per range. */
  private readonly badgeTypes: Record<Outcome, vscode.TextEditorDecorationType>;
  private readonly rulerNoFs: vscode.TextEditorDecorationType;
  private readonly rulerFailure: vscode.TextEditorDecorationType;
  private readonly applied = new WeakMap<vscode.TextEditor, AppliedBadge[]>();
  /** The scan result whose marks an editor shows: the ruler is only re-set when it changes. */
  private readonly rulerShown = new WeakMap<vscode.TextEditor, ScanResult | undefined>();
  /** Editors we decorated at least once (to clear them when they stop being logs). */
  private readonly decorated = new WeakSet<vscode.TextEditor>();
  private readonly pending = new Set<vscode.TextEditor>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly flush = trailingThrottle(() => this.renderPending(), UPDATE_DELAY_MS);

  constructor(
    private readonly model: LogModel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.badgeTypes = Object.fromEntries(
      OUTCOMES.map((o) => [
        o,
        vscode.window.createTextEditorDecorationType({
          after: { color: new vscode.ThemeColor(BADGE_COLORS[o]), margin: '0 0 0 2em', fontStyle: 'normal' },
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      ]),
    ) as Record<Outcome, vscode.TextEditorDecorationType>;
    this.rulerNoFs = vscode.window.createTextEditorDecorationType({
      overviewRulerColor: new vscode.ThemeColor('postfixTls.notForwardSecretRuler'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });
    this.rulerFailure = vscode.window.createTextEditorDecorationType({
      overviewRulerColor: new vscode.ThemeColor('postfixTls.failureRuler'),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
    });

    this.subscriptions.push(
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.schedule(e))),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === e.document) this.schedule(ed);
      }),
      // A language switch (Treat File as Postfix Log) reopens the document.
      vscode.workspace.onDidOpenTextDocument((doc) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === doc) this.schedule(ed);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsLogSettings(e)) this.scheduleAll();
      }),
      model.onDidScan((doc) => {
        for (const ed of vscode.window.visibleTextEditors) if (ed.document === doc) this.renderRuler(ed, readLogSettings(doc.uri));
      }),
    );
    this.scheduleAll();
  }

  private schedule(editor: vscode.TextEditor): void {
    this.pending.add(editor);
    this.flush();
  }

  private scheduleAll(): void {
    vscode.window.visibleTextEditors.forEach((e) => this.schedule(e));
  }

  private renderPending(): void {
    const editors = [...this.pending];
    this.pending.clear();
    const visible = new Set(vscode.window.visibleTextEditors);
    for (const ed of editors) if (visible.has(ed)) this.render(ed);
  }

  /** Decorates one editor now. Never throws: a failure is logged and the editor left bare. */
  render(editor: vscode.TextEditor): AppliedBadge[] {
    const doc = editor.document;
    try {
      if (!isLogDocument(doc) || doc.isClosed) {
        if (this.decorated.has(editor)) this.clear(editor);
        return [];
      }
      const settings = readLogSettings(doc.uri);
      this.decorated.add(editor);
      const badges = settings.decorations ? this.renderBadges(editor, settings) : this.clearBadges(editor);
      this.renderRuler(editor, settings);
      return badges;
    } catch (error) {
      this.log.error(`Decorating ${doc.uri.toString(true)} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return [];
    }
  }

  private renderBadges(editor: vscode.TextEditor, settings: LogViewSettings): AppliedBadge[] {
    const doc = editor.document;
    const byOutcome: Record<Outcome, vscode.DecorationOptions[]> = { fs: [], 'no-fs': [], failure: [], unknown: [] };
    const applied: AppliedBadge[] = [];
    const seen = new Set<number>();
    const opts = { showKeyExchange: settings.showKeyExchange, showStatus: settings.showStatus, showProtocol: settings.showProtocol };
    for (const [from, to] of withMargin(editor.visibleRanges, doc.lineCount)) {
      for (const { line, record } of this.model.records(doc, from, to)) {
        if (seen.has(line)) continue;
        seen.add(line);
        const b = badge(record, opts);
        if (!b || !b.text) continue;
        const { outcome, text } = b;
        const end = doc.lineAt(line).range.end;
        byOutcome[outcome].push({
          range: new vscode.Range(end, end),
          renderOptions: { after: { contentText: text } },
        });
        applied.push({ line, outcome, text });
      }
    }
    for (const o of OUTCOMES) editor.setDecorations(this.badgeTypes[o], byOutcome[o]);
    applied.sort((a, b) => a.line - b.line);
    this.applied.set(editor, applied);
    return applied;
  }

  private clearBadges(editor: vscode.TextEditor): AppliedBadge[] {
    for (const o of OUTCOMES) editor.setDecorations(this.badgeTypes[o], []);
    this.applied.set(editor, []);
    return [];
  }

  private renderRuler(editor: vscode.TextEditor, settings: LogViewSettings): void {
    if (!settings.overviewRuler || !isLogDocument(editor.document)) {
      if (this.rulerShown.has(editor)) {
        editor.setDecorations(this.rulerNoFs, []);
        editor.setDecorations(this.rulerFailure, []);
        this.rulerShown.delete(editor);
      }
      return;
    }
    const doc = editor.document;
    this.model.ensureScan(doc);
    const result = this.model.scanResult(doc);
    if (!result || this.rulerShown.get(editor) === result) return;
    this.rulerShown.set(editor, result);
    editor.setDecorations(this.rulerNoFs, rulerRanges(result.noFsLines, doc.lineCount));
    editor.setDecorations(this.rulerFailure, rulerRanges(result.failureLines, doc.lineCount));
  }

  private clear(editor: vscode.TextEditor): void {
    this.clearBadges(editor);
    editor.setDecorations(this.rulerNoFs, []);
    editor.setDecorations(this.rulerFailure, []);
    this.rulerShown.delete(editor);
    this.decorated.delete(editor);
  }

  /** Overview-ruler marks an editor shows (record lines, before bucketing), for tests. */
  rulerMarks(editor: vscode.TextEditor): { noFs: number[]; failure: number[]; complete: boolean } | undefined {
    const r = this.rulerShown.get(editor);
    return r && { noFs: [...r.noFsLines], failure: [...r.failureLines], complete: r.complete };
  }

  /** For the test command: re-decorate now and return what was applied. */
  appliedNow(editor: vscode.TextEditor): AppliedBadge[] {
    this.pending.delete(editor);
    this.render(editor);
    return this.applied.get(editor) ?? [];
  }

  dispose(): void {
    this.flush.cancel();
    for (const s of this.subscriptions) s.dispose();
    for (const t of Object.values(this.badgeTypes)) t.dispose();
    this.rulerNoFs.dispose();
    this.rulerFailure.dispose();
  }
}

/** Visible ranges widened by VISIBLE_MARGIN lines, merged, as [from, to) line pairs. */
function withMargin(ranges: readonly vscode.Range[], lineCount: number): [number, number][] {
  const spans = ranges
    .map((r): [number, number] => [Math.max(0, r.start.line - VISIBLE_MARGIN), Math.min(lineCount, r.end.line + 1 + VISIBLE_MARGIN)])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else out.push(s);
  }
  return out;
}

/** Whole-line ranges for ruler marks; many marks are merged into evenly sized buckets. */
function rulerRanges(lines: readonly number[], lineCount: number): vscode.Range[] {
  if (lines.length <= MAX_RULER_MARKS) return lines.map((l) => new vscode.Range(l, 0, l, 0));
  const perBucket = Math.ceil(lineCount / MAX_RULER_MARKS);
  const out: vscode.Range[] = [];
  let lastBucket = -1;
  for (const l of lines) {
    const b = Math.floor(l / perBucket);
    if (b === lastBucket) continue;
    lastBucket = b;
    out.push(new vscode.Range(l, 0, l, 0));
  }
  return out;
}

/**
 * Registers decorations and the test-only command `postfixTls.test.decorations`
 * (argument: a Uri or URI string of a visible editor; default the active editor).
 */
export function registerDecorations(
  context: vscode.ExtensionContext,
  model: LogModel,
  log: vscode.LogOutputChannel,
): LogDecorations {
  const decorations = new LogDecorations(model, log);
  context.subscriptions.push(
    decorations,
    vscode.commands.registerCommand('postfixTls.test.decorations', (arg?: vscode.Uri | string): AppliedBadge[] => {
      const wanted = arg === undefined ? undefined : typeof arg === 'string' ? arg : arg.toString();
      const editor = wanted
        ? vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === wanted)
        : vscode.window.activeTextEditor;
      return editor ? decorations.appliedNow(editor) : [];
    }),
  );
  return decorations;
}
