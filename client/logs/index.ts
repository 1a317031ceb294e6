/**
 * Mail-log editor features: badges and ruler marks, hover, status bar, "Treat File as Postfix
 * Log", and the notice for files too large for extensions. None of them needs the language
 * server: they run the core classifier in the extension host, on visible lines first.
 */
import vscode = require('vscode');
import { registerDecorations, type LogDecorations } from './decorations';
import { registerLogHover } from './hover';
import { registerLargeFileNotice } from './largeFile';
import { LogModel } from './model';
import { registerStatusBar, type FsStatusBar } from './statusBar';
import { registerTreatAsLog } from './treatAsLog';

export interface LogFeatures {
  model: LogModel;
  decorations: LogDecorations;
  statusBar: FsStatusBar;
  /** URIs of files the too-large notice was shown for. */
  largeFilesAnnounced: ReadonlySet<string>;
}

export function registerLogFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LogFeatures {
  const model = new LogModel();
  context.subscriptions.push(model);
  registerTreatAsLog(context, log);
  registerLogHover(context, model);
  const decorations = registerDecorations(context, model, log);
  const statusBar = registerStatusBar(context, model);
  const largeFilesAnnounced = registerLargeFileNotice(context, log);
  return { model, decorations, statusBar, largeFilesAnnounced };
}
