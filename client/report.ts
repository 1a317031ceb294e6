/**
 * "Postfix TLS: Report on Logs…": forward-secrecy statistics over whole log files, shown in a
 * webview. Files are read from disk by path (rotated .gz included, and files over 50 MB that
 * VS Code never hands to extensions), with a cancellable progress notification. The webview
 * runs no scripts and has a strict CSP; log text in it is escaped by the renderer.
 *
 * Arguments accepted by the command:
 * - none: the active log (with its rotated siblings, on request) or files picked in a dialog;
 * - a Uri (editor/explorer context; with a multi-selection, the selected Uris);
 * - `{ files: string[], show?: boolean, saveTo?: string }` (tests/automation): with
 *   `show: false` no panel is opened; `saveTo` also writes the HTML/Markdown report there.
 * The command resolves to the TlsReport (undefined when cancelled).
 */
import { Readable } from 'node:stream';
import * as path from 'node:path';
import { existsSync, promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import vscode = require('vscode');
import type { TlsReport } from '../core/report/aggregate';
import { reportFiles } from '../core/report/files';
import { renderHtml, renderMarkdown, pct } from '../core/report/render';
import { writeFileAtomic } from '../core/report/output';
import { LineReadError } from '../core/log/lines';
import { SAVE_REPORT_COMMAND } from './commands/ids';
import type { ReportCommandArgs, ReportCommands } from './reportCommand';

interface Source {
  /** Path on disk, or '-' for an unsaved document's text. */
  path: string;
  /** Name shown in the report. */
  name: string;
  /** Text of an untitled document (read instead of a file). */
  text?: string;
}

interface ShownReport {
  report: TlsReport;
  title: string;
  /** Folder to propose in the save dialog. */
  dir?: vscode.Uri;
}

/** Rotated siblings of a log: mail.log.1, mail.log.2.gz, mail.log-20240101(.gz), maillog.3.xz is not read. */
const ROTATED = (base: string): RegExp => new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[.-]\\d+(?:\\.gz)?|\\.gz)$`);

/**
 * The two commands' handlers (registered by client/reportCommand.ts, which loads this module
 * from dist/commands.js on first use). The reports shown in panels are kept for Save.
 */
export function createReportCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ReportCommands {
  const workerPath = context.asAbsolutePath(path.join('dist', 'report-worker.js'));
  const shown = new Map<string, ShownReport>();
  let lastShown: string | undefined;
  let seq = 0;

  const runReport = async (sources: Source[], show: boolean): Promise<TlsReport | undefined> => {
    const title = sources.length === 1 ? sources[0].name.split(/[\\/]/).pop() ?? sources[0].name : `${sources.length} logs`;
    const started = Date.now();
    // Files of which nothing can be read (binary, missing, a folder, a device) are left out and
    // named afterwards; the others are reported. If none is left, the first reason is the error.
    const skipped: LineReadError[] = [];
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Postfix TLS report on ${title}`, cancellable: true },
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        let lastPct = 0;
        try {
          const stdinSource = sources.find((s) => s.path === '-');
          return await reportFiles(
            sources.map((s) => s.path),
            {
              signal: ac.signal,
              // Files over 4 MB are read by a worker thread: the extension host stays responsive.
              jobs: 1,
              workerScript: existsSync(workerPath) ? workerPath : undefined,
              parallelMinBytes: 4 * 1024 * 1024,
              displayNames: sources.map((s) => s.name),
              onUnreadable: (_name, err) => {
                skipped.push(err);
                log.warn(`Report on ${title}: left out ${err.message}`);
              },
              stdin: stdinSource?.text !== undefined ? Readable.from([Buffer.from(stdinSource.text, 'utf8')]) : undefined,
              onProgress: (done, total) => {
                if (total <= 0) return;
                const p = Math.min(100, Math.floor((done / total) * 100));
                if (p > lastPct) {
                  progress.report({ increment: p - lastPct, message: `${p}% of ${formatBytes(total)}` });
                  lastPct = p;
                }
              },
            },
          );
        } catch (err) {
          if (ac.signal.aborted) return undefined;
          throw err;
        } finally {
          sub.dispose();
        }
      },
    );
    if (!report) {
      log.info(`Report on ${title} cancelled.`);
      return undefined;
    }
    if (skipped.length === sources.length) throw skipped[0];
    if (skipped.length > 0) {
      const what = skipped.length === 1 ? skipped[0].message : `${skipped.length} files (${skipped.map((e) => e.message).join('; ')})`;
      void vscode.window.showWarningMessage(`Postfix TLS report: left out ${what}.`);
    }
    log.info(`Report on ${title}: ${report.linesRead} lines, ${report.total.connections} TLS connections, ${report.failures.total} failures, in ${Date.now() - started} ms.`);
    if (show) {
      const id = `r${++seq}`;
      const dir = sources[0].path !== '-' ? vscode.Uri.file(path.dirname(sources[0].path)) : undefined;
      shown.set(id, { report, title, dir });
      lastShown = id;
      openPanel(id, title, report);
      void vscode.window
        .showInformationMessage(`TLS report on ${title}: forward secrecy ${pct(report.total.fsShare)} of ${report.total.connections} TLS connections, ${report.failures.total} failures.`, 'Save…')
        .then((c) => (c === 'Save…' ? vscode.commands.executeCommand(SAVE_REPORT_COMMAND, id) : undefined));
    }
    return report;
  };

  const openPanel = (id: string, title: string, report: TlsReport): void => {
    const panel = vscode.window.createWebviewPanel('postfixTls.report', `TLS Report: ${title}`, vscode.ViewColumn.Active, {
      enableScripts: false,
      enableForms: false,
      // Only the Save link may run a command, and only this one.
      enableCommandUris: [SAVE_REPORT_COMMAND],
      localResourceRoots: [],
    });
    const nonce = makeNonce();
    const saveLink = `<a href="command:${SAVE_REPORT_COMMAND}?${encodeURIComponent(JSON.stringify([id]))}" title="Save this report as HTML or Markdown">Save…</a>`;
    panel.webview.html = renderHtml(report, { cspSource: panel.webview.cspSource, nonce, title: `TLS report: ${title}`, toolbarHtml: saveLink });
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) lastShown = id;
    });
    panel.onDidDispose(() => {
      shown.delete(id);
      if (lastShown === id) lastShown = undefined;
    });
  };

  const save = async (idArg?: unknown): Promise<vscode.Uri | undefined> => {
    const id = typeof idArg === 'string' && shown.has(idArg) ? idArg : lastShown;
    const entry = id ? shown.get(id) : undefined;
    if (!entry) {
      void vscode.window.showWarningMessage('No TLS report to save: run "Postfix TLS: Report on Logs…" first.');
      return undefined;
    }
    const base = entry.title.replace(/[^\w.-]+/g, '_');
    const defaultUri = vscode.Uri.joinPath(entry.dir ?? vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), `tls-report-${base}.html`);
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { HTML: ['html', 'htm'], Markdown: ['md', 'markdown'] }, saveLabel: 'Save Report' });
    if (!target) return undefined; // cancelled: nothing written
    try {
      await writeReport(target, entry.report);
      log.info(`Report saved to ${target.toString(true)}.`);
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not save the report: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    return target;
  };

  const command = async (arg?: unknown, selection?: unknown): Promise<TlsReport | undefined> => {
    try {
      let sources: Source[] | undefined;
      let show = true;
      let saveTo: string | undefined;
      if (isArgs(arg)) {
        sources = arg.files.map((f) => ({ path: f, name: f }));
        show = arg.show !== false;
        saveTo = arg.saveTo;
      } else if (Array.isArray(selection) && selection.length > 0 && selection.every((u) => u instanceof vscode.Uri)) {
        sources = await fromUris(selection as vscode.Uri[]);
      } else if (arg instanceof vscode.Uri) {
        sources = await fromUris([arg]);
      } else {
        sources = await pickSources();
      }
      if (!sources || sources.length === 0) return undefined;
      const report = await runReport(sources, show);
      if (report && saveTo) await writeReport(vscode.Uri.file(saveTo), report);
      return report;
    } catch (err) {
      const msg = err instanceof LineReadError ? err.message : err instanceof Error ? err.message : String(err);
      log.error(`Report on Logs failed: ${err instanceof Error && !(err instanceof LineReadError) ? err.stack ?? msg : msg}`);
      void vscode.window.showErrorMessage(`Postfix TLS report: ${msg}`);
      if (isArgs(arg)) throw err; // automation wants the failure
      return undefined;
    }
  };

  return { run: command, save };

  /** Uris (editor/explorer) to sources; unsaved documents are read from their text. */
  async function fromUris(uris: vscode.Uri[]): Promise<Source[] | undefined> {
    const out: Source[] = [];
    for (const uri of uris) {
      if (uri.scheme === 'file') {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc?.isDirty) log.info(`${uri.fsPath} has unsaved changes: the report reads the file on disk.`);
        out.push({ path: uri.fsPath, name: uri.fsPath });
      } else {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc && !out.some((s) => s.path === '-')) out.push({ path: '-', name: doc.uri.scheme === 'untitled' ? doc.uri.path : doc.uri.toString(true), text: doc.getText() });
        else {
          void vscode.window.showWarningMessage(`Postfix TLS report: ${uri.toString(true)} is not a file on disk.`);
          return undefined;
        }
      }
    }
    return out;
  }

  /** The active log (its tab even when VS Code did not load it for being over 50 MB). */
  function activeLogUri(): vscode.Uri | undefined {
    const ed = vscode.window.activeTextEditor;
    if (ed && (ed.document.languageId === 'postfix-log' || ed.document.languageId === 'email')) return ed.document.uri;
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputText && input.uri.scheme === 'file') return input.uri;
    return ed?.document.uri;
  }

  async function pickSources(): Promise<Source[] | undefined> {
    const active = activeLogUri();
    type Item = vscode.QuickPickItem & { run: () => Promise<Source[] | undefined> };
    const items: Item[] = [];
    if (active) {
      const name = path.basename(active.path);
      items.push({ label: `$(file) ${name}`, description: 'the active log', run: () => fromUris([active]) });
      if (active.scheme === 'file') {
        const siblings = await rotatedSiblings(active.fsPath);
        if (siblings.length > 0) {
          items.push({
            label: `$(files) ${name} and ${siblings.length} rotated file${siblings.length === 1 ? '' : 's'}`,
            description: siblings.map((s) => path.basename(s)).slice(0, 4).join(', ') + (siblings.length > 4 ? ', …' : ''),
            run: async () => [active.fsPath, ...siblings].map((p) => ({ path: p, name: p })),
          });
        }
      }
    }
    const dialog = async (): Promise<Source[] | undefined> => {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        canSelectFolders: false,
        openLabel: 'Report',
        title: 'Mail logs to report on (plain or .gz)',
        defaultUri: active?.scheme === 'file' ? vscode.Uri.file(path.dirname(active.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri,
        filters: { 'Mail logs': ['log', 'gz', '1', '2', '3', '4', '5', '6', '7', '8', '9'], 'All files': ['*'] },
      });
      return picked && picked.length > 0 ? fromUris(picked) : undefined;
    };
    if (items.length === 0) return dialog();
    items.push({ label: '$(folder-opened) Choose log files…', description: 'plain or .gz', run: dialog });
    const choice = await vscode.window.showQuickPick(items, { title: 'Postfix TLS: Report on Logs', placeHolder: 'Which logs?' });
    return choice ? choice.run() : undefined;
  }
}

/** Rotated siblings of `file` in its folder (mail.log.1, mail.log.2.gz, mail.log-20240101.gz...). */
async function rotatedSiblings(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const re = ROTATED(path.basename(file));
  try {
    const names = await fsp.readdir(dir);
    return names
      .filter((n) => re.test(n))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

/** Writes HTML or Markdown by extension, through a temp file + rename (no partial file on failure). */
async function writeReport(target: vscode.Uri, report: TlsReport): Promise<void> {
  const markdown = /\.(md|markdown)$/i.test(target.path);
  const text = markdown ? renderMarkdown(report) : renderHtml(report);
  if (target.scheme === 'file') {
    await writeFileAtomic(target.fsPath, text);
    return;
  }
  // Other file systems: temp sibling + rename through the workspace API.
  const tmp = target.with({ path: `${target.path}.${Date.now().toString(36)}.tmp` });
  try {
    await vscode.workspace.fs.writeFile(tmp, Buffer.from(text, 'utf8'));
    await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
  } catch (err) {
    await Promise.resolve(vscode.workspace.fs.delete(tmp)).catch(() => undefined);
    throw err;
  }
}

function isArgs(x: unknown): x is ReportCommandArgs {
  return !!x && typeof x === 'object' && Array.isArray((x as ReportCommandArgs).files) && (x as ReportCommandArgs).files.every((f) => typeof f === 'string');
}

function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(0)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}
