/**
 * Reads the postfixTls.logs.* settings for one resource (folder-level settings may differ).
 */
import vscode = require('vscode');

/** The log-view settings (package.json `postfixTls.logs.*`). */
export interface LogViewSettings {
  decorations: boolean;
  showKeyExchange: boolean;
  showStatus: boolean;
  showProtocol: boolean;
  overviewRuler: boolean;
  hover: boolean;
  statusBar: boolean;
}

export function readLogSettings(resource: vscode.Uri | undefined): LogViewSettings {
  const c = vscode.workspace.getConfiguration('postfixTls.logs', resource);
  const flag = (key: string, dflt: boolean): boolean => {
    const v = c.get<unknown>(key);
    return typeof v === 'boolean' ? v : dflt;
  };
  return {
    decorations: flag('decorations', true),
    showKeyExchange: flag('badge.showKeyExchange', true),
    showStatus: flag('badge.showStatus', true),
    showProtocol: flag('badge.showProtocol', false),
    overviewRuler: flag('overviewRuler', true),
    hover: flag('hover', true),
    statusBar: flag('statusBar', true),
  };
}

/** True when a configuration change touches the log-view settings. */
export function affectsLogSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('postfixTls.logs');
}
