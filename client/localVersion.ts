/**
 * "Use Installed Postfix Version": reads `mail_version` from the local postconf (over
 * Remote-SSH that is the mail server's) and sets postfixTls.postfixVersion to it. Offered
 * once per workspace when a main.cf opens, and only in trusted workspaces: it runs a program.
 */
import { execFile } from 'node:child_process';
import vscode = require('vscode');

export const USE_LOCAL_VERSION_COMMAND = 'postfixTls.useLocalPostfixVersion';
const ASKED_KEY = 'postfixTls.localVersionOffered';

/** `3.7.11` → `3.7.11`; anything that is not a Postfix version → undefined. */
export function parseMailVersion(stdout: string): string | undefined {
  const m = /^\s*(\d+\.\d+(?:\.\d+)?)(?:[-\s]|$)/.exec(stdout);
  return m?.[1];
}

/** Runs `postconf -h mail_version` (argument list, no shell, 5 s limit). */
export function readLocalPostfixVersion(postconf: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(postconf, ['-h', 'mail_version'], { timeout: 5000, windowsHide: true }, (err, stdout) =>
      resolve(err ? undefined : parseMailVersion(String(stdout))),
    );
  });
}

const majorMinor = (v: string) => v.split('.').slice(0, 2).join('.');

/** Options for automation and tests: skip the question, choose where the setting goes. */
interface UseLocalArgs {
  apply?: boolean;
  target?: 'global' | 'workspace';
}

async function useLocalVersion(log: vscode.LogOutputChannel, args?: UseLocalArgs, offered = false): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    if (!offered) void vscode.window.showWarningMessage('Postfix TLS: reading the installed Postfix version runs postconf, which is not done in a restricted workspace.');
    return undefined;
  }
  const cfg = vscode.workspace.getConfiguration('postfixTls');
  const postconf = cfg.get<string>('postconfPath') || 'postconf';
  const version = await readLocalPostfixVersion(postconf);
  if (!version) {
    log.info(`No local Postfix version: '${postconf} -h mail_version' did not run or printed no version.`);
    if (!offered) void vscode.window.showWarningMessage(`Postfix TLS: could not read the Postfix version with '${postconf} -h mail_version'. Is Postfix installed here? (setting postfixTls.postconfPath)`);
    return undefined;
  }
  const current = cfg.get<string>('postfixVersion') ?? '';
  if (majorMinor(current) === majorMinor(version)) return version;
  let apply = args?.apply === true;
  if (!apply) {
    const choice = await vscode.window.showInformationMessage(
      `Postfix ${version} is installed here, but the configuration is checked against ${current || 'the default version'}. Check against ${version}?`,
      'Use ' + version,
      'Not Now',
    );
    apply = choice === 'Use ' + version;
  }
  if (!apply) return undefined;
  const target = args?.target === 'global' || !vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Global
    : vscode.ConfigurationTarget.Workspace;
  await cfg.update('postfixVersion', version, target);
  log.info(`postfixTls.postfixVersion set to ${version} (from ${postconf}).`);
  return version;
}

/** Registers the command and the one-time offer when a main.cf opens in a trusted workspace. */
export function registerLocalVersion(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(vscode.commands.registerCommand(USE_LOCAL_VERSION_COMMAND, (args?: UseLocalArgs) => useLocalVersion(log, args)));
  const maybeOffer = (doc: vscode.TextDocument) => {
    if (doc.languageId !== 'postfix-main' || !vscode.workspace.isTrusted) return;
    if (context.workspaceState.get<boolean>(ASKED_KEY)) return;
    // The user already chose a version: respect it.
    const inspect = vscode.workspace.getConfiguration('postfixTls', doc.uri).inspect<string>('postfixVersion');
    if (inspect?.globalValue !== undefined || inspect?.workspaceValue !== undefined || inspect?.workspaceFolderValue !== undefined) return;
    void context.workspaceState.update(ASKED_KEY, true);
    void useLocalVersion(log, undefined, true);
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(maybeOffer));
  vscode.workspace.textDocuments.forEach(maybeOffer);
}
