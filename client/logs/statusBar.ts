/**
 * Status bar item for the active mail log: the forward-secrecy share of its TLS connections,
 * e.g. `FS 97% (1,234/1,270)`, computed by LogModel's chunked background scan. Clicking it
 * runs "Report on Logs…".
 */
import vscode = require('vscode');
import { readLogSettings, affectsLogSettings } from '../util/settings';
import { trailingThrottle } from '../util/throttle';
import { isLogDocument, type FsCounts, type LogModel } from './model';

// Created on first use: the first Intl object in a process costs ~25 ms, too much for activation.
let numberFormat: Intl.NumberFormat | undefined;
const fmt = { format: (n: number): string => (numberFormat ??= new Intl.NumberFormat('en-US')).format(n) };

/** Percentage without rounding up to 100 (99.9 % is not "all"). */
export function fsPercent(fs: number, told: number): number {
  if (told <= 0) return 0;
  return fs === told ? 100 : Math.floor((fs * 100) / told);
}

/**
 * Status text for counts. The share is over connections where FS can be told (yes or no);
 * connections with too little logged to tell are listed in the tooltip only.
 */
export function statusText(counts: FsCounts, complete: boolean): string {
  const told = counts.fs + counts.noFs;
  const busy = complete ? '' : '$(sync~spin) ';
  if (told === 0) return `${busy}FS –`;
  return `${busy}FS ${fsPercent(counts.fs, told)}% (${fmt.format(counts.fs)}/${fmt.format(told)})`;
}

function sideLine(label: string, side: { fs: number; noFs: number; unknown: number }): string {
  const told = side.fs + side.noFs;
  const share = told ? `${fsPercent(side.fs, told)}% forward secret (${fmt.format(side.fs)} of ${fmt.format(told)})` : 'no connections where forward secrecy can be told';
  const unknown = side.unknown ? `, ${fmt.format(side.unknown)} undetermined` : '';
  return `${label}: ${share}${unknown}`;
}

export function statusTooltip(counts: FsCounts, complete: boolean, name: string): string {
  const lines = [
    `Forward secrecy in ${name}${complete ? '' : ' (still counting…)'}`,
    sideLine('Inbound (smtpd, Received: headers)', counts.inbound),
    sideLine('Outbound (smtp, lmtp)', counts.outbound),
    `TLS failures: ${fmt.format(counts.failures)}`,
    '',
    'Click for a report on the logs.',
  ];
  return lines.join('\n');
}

/** The status bar item and whether it is shown (StatusBarItem has no visibility getter). */
export interface FsStatusBar {
  readonly item: vscode.StatusBarItem;
  readonly visible: boolean;
}

export function registerStatusBar(context: vscode.ExtensionContext, model: LogModel): FsStatusBar {
  const item = vscode.window.createStatusBarItem('postfixTls.fsShare', vscode.StatusBarAlignment.Right, 100);
  let visible = false;
  item.name = 'Postfix TLS: Forward Secrecy';
  item.command = 'postfixTls.reportOnLogs';
  context.subscriptions.push(item);

  const update = (): void => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !isLogDocument(doc) || !readLogSettings(doc.uri).statusBar) {
      item.hide();
      visible = false;
      return;
    }
    model.ensureScan(doc);
    const result = model.scanResult(doc);
    const name = doc.uri.path.split('/').pop() || doc.uri.toString(true);
    if (!result) {
      item.text = '$(sync~spin) FS …';
      item.tooltip = `Counting forward secrecy in ${name}…`;
    } else {
      item.text = statusText(result.counts, result.complete);
      item.tooltip = statusTooltip(result.counts, result.complete, name);
    }
    item.command = { command: 'postfixTls.reportOnLogs', title: 'Report on Logs…', arguments: [doc.uri] };
    item.show();
    visible = true;
  };
  const throttled = trailingThrottle(update, 100);
  context.subscriptions.push(
    { dispose: () => throttled.cancel() },
    vscode.window.onDidChangeActiveTextEditor(() => throttled()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document && e.contentChanges.length) throttled();
    }),
    vscode.workspace.onDidOpenTextDocument(() => throttled()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsLogSettings(e)) throttled();
    }),
    model.onDidScan((doc) => {
      if (doc === vscode.window.activeTextEditor?.document) throttled();
    }),
  );
  throttled();
  return {
    item,
    get visible() {
      return visible;
    },
  };
}
