/**
 * "Postfix TLS: Generate DH Parameters…": writes a DH parameter file next to main.cf (or into a
 * chosen folder) and offers to point smtpd_tls_dh1024_param_file at it.
 *
 * Choices: a fresh 2048 (default), 3072 or 4096-bit prime from `openssl dhparam` (seconds to
 * minutes, cancellable), or an RFC 7919 group (ffdhe2048/3072/4096), written at once. The file
 * goes through a temporary name and is renamed when complete (core/dhgen.ts), mode 0644.
 * Only in trusted workspaces: it runs the program named by postfixTls.opensslPath.
 *
 * Arguments (for quick fixes and automation; every question can be pre-answered):
 *   generateDhParams()                         ask everything
 *   generateDhParams(uri)                      main.cf (or its folder, or a file in it) to work on
 *   generateDhParams(uri, bits)                ... and the size (2048) or group ('ffdhe3072')
 *   generateDhParams({ mainCf?, folder?, bits?, overwrite?, updateMainCf?, token?, quiet? })
 *     mainCf       main.cf to update (Uri or path); default: the active main.cf
 *     folder       where to write; default: main.cf's folder
 *     bits         2048 | 3072 | 4096 | 'ffdhe2048' | 'ffdhe3072' | 'ffdhe4096'
 *     overwrite    true: replace an existing file; false: keep it (no question)
 *     updateMainCf true/false: answer "point smtpd_tls_dh1024_param_file at it?"
 *     token        a CancellationToken that cancels like the notification's Cancel button
 *     quiet        no information messages (errors are still shown)
 * Resolves to a DhCommandResult.
 */
import * as path from 'node:path';
import vscode = require('vscode');
import { DH_BITS, FFDHE_GROUPS, dhFileName, generateDhFile, parseDhChoice, type DhChoice } from '../../core/dhgen';
import { atLeast } from '../../core/version';
import { anyToken, errorText, exists, folderOf, isToken, loadMainCf, postfixVersionFor, resolveMainCf, setParameterEdit, toUri } from './util';

export { GENERATE_DH_COMMAND } from './ids';
const DH_PARAM = 'smtpd_tls_dh1024_param_file';

export interface DhCommandArgs {
  mainCf?: vscode.Uri | string;
  folder?: vscode.Uri | string;
  bits?: number | string;
  overwrite?: boolean;
  updateMainCf?: boolean;
  token?: vscode.CancellationToken;
  quiet?: boolean;
}

export type DhCommandResult =
  | { kind: 'written'; path: string; bits: number; generated: boolean; mainCfUpdated: boolean; value?: string }
  | { kind: 'cancelled' }
  | { kind: 'kept-existing'; path: string }
  | { kind: 'error'; message: string };

function normaliseArgs(a: unknown, b: unknown): DhCommandArgs {
  if (a && typeof a === 'object' && !(a instanceof vscode.Uri) && !('scheme' in (a as object))) return a as DhCommandArgs;
  const out: DhCommandArgs = {};
  if (a !== undefined && a !== null) out.mainCf = toUri(a);
  if (b !== undefined && b !== null) out.bits = b as number | string;
  return out;
}

async function pickChoice(): Promise<DhChoice | undefined> {
  type Item = vscode.QuickPickItem & { choice: DhChoice };
  const items: Item[] = [
    ...DH_BITS.map((bits) => ({
      label: `${bits} bits`,
      description: bits === 2048 ? 'generate a fresh prime (default)' : 'generate a fresh prime',
      detail: bits === 2048 ? 'openssl dhparam: usually under a minute' : 'openssl dhparam: can take several minutes',
      choice: { kind: 'generate', bits } as DhChoice,
    })),
    ...FFDHE_GROUPS.map((group) => ({
      label: group,
      description: 'RFC 7919 group, written at once',
      detail: 'A well-known public group: no waiting, and clients can recognise it',
      choice: { kind: 'ffdhe', group } as DhChoice,
    })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Generate DH Parameters', placeHolder: 'Prime size or RFC 7919 group' });
  return pick?.choice;
}

async function pickFolder(mainCf: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const choose = async () => {
    const r = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Write DH parameters here', defaultUri: mainCf ? folderOf(mainCf) : undefined });
    return r?.[0];
  };
  if (!mainCf || mainCf.scheme !== 'file') return choose();
  const here = folderOf(mainCf);
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Next to main.cf', description: here.fsPath, folder: here as vscode.Uri | undefined },
      { label: 'Choose a folder…', description: '', folder: undefined },
    ],
    { title: 'Generate DH Parameters', placeHolder: 'Where to write the file' },
  );
  if (!pick) return undefined;
  return pick.folder ?? choose();
}

/** The value to put in main.cf: `${config_directory}/name` next to main.cf, else the full path. */
function paramValue(file: string, mainCf: vscode.Uri): string {
  const dir = folderOf(mainCf).fsPath;
  if (path.dirname(file) === dir) return '${config_directory}/' + path.basename(file);
  return file;
}

export async function generateDhParams(log: vscode.LogOutputChannel, a?: unknown, b?: unknown): Promise<DhCommandResult> {
  const args = normaliseArgs(a, b);
  const info = (msg: string) => {
    log.info(msg);
    if (!args.quiet) void vscode.window.showInformationMessage(msg);
  };
  const fail = (message: string): DhCommandResult => {
    log.error(`Generate DH parameters: ${message}`);
    void vscode.window.showErrorMessage(`Generate DH Parameters: ${message}`);
    return { kind: 'error', message };
  };
  if (!vscode.workspace.isTrusted) {
    return fail('this runs openssl, which is only done in a trusted workspace. Trust the workspace first (Manage Workspace Trust).');
  }

  const mainCf = args.mainCf !== undefined ? await resolveMainCf(args.mainCf) : await resolveMainCf(undefined);
  let choice: DhChoice | undefined;
  if (args.bits !== undefined) {
    choice = parseDhChoice(args.bits);
    if (!choice) return fail(`unsupported size or group '${String(args.bits)}' (use ${DH_BITS.join(', ')} or ${FFDHE_GROUPS.join(', ')})`);
  } else {
    choice = await pickChoice();
    if (!choice) return { kind: 'cancelled' };
  }
  let folder = toUri(args.folder);
  if (!folder && args.mainCf !== undefined && mainCf?.scheme === 'file') folder = folderOf(mainCf);
  if (!folder) folder = await pickFolder(mainCf);
  if (!folder) return { kind: 'cancelled' };
  if (folder.scheme !== 'file') return fail(`the folder ${folder.toString()} is not on the local file system`);

  const target = vscode.Uri.joinPath(folder, dhFileName(choice));
  let overwrite = args.overwrite;
  if (await exists(target)) {
    if (overwrite === undefined) {
      const replace = 'Replace';
      const answer = await vscode.window.showWarningMessage(`${target.fsPath} already exists. Replace it?`, { modal: true }, replace);
      overwrite = answer === replace;
    }
    if (!overwrite) return { kind: 'kept-existing', path: target.fsPath };
  }

  const opensslPath = vscode.workspace.getConfiguration('postfixTls', mainCf).get<string>('opensslPath') || 'openssl';
  const title = choice.kind === 'generate' ? `Generating ${choice.bits}-bit DH parameters (this can take minutes)` : `Writing ${choice.group}`;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const started = Date.now();
      // Show the elapsed time so a long run visibly makes progress.
      const timer = setInterval(() => progress.report({ message: `${Math.round((Date.now() - started) / 1000)} s` }), 1000);
      try {
        return await generateDhFile({
          dir: folder.fsPath,
          choice: choice as DhChoice,
          opensslPath,
          overwrite: !!overwrite,
          token: anyToken(token, isToken(args.token) ? args.token : undefined),
          onStarted: (tmp) => log.info(`Generate DH parameters: running ${opensslPath} dhparam -out ${tmp} ${choice?.kind === 'generate' ? choice.bits : ''}`),
        });
      } finally {
        clearInterval(timer);
      }
    },
  );

  switch (result.kind) {
    case 'cancelled':
      log.info('Generate DH parameters: cancelled; nothing was written.');
      return { kind: 'cancelled' };
    case 'exists':
      return { kind: 'kept-existing', path: result.path };
    case 'error':
      if (result.reason === 'openssl-missing') {
        return fail(`${result.message}. Install OpenSSL, or set "postfixTls.opensslPath" to the openssl program. (The RFC 7919 groups ffdhe2048/3072/4096 need no openssl.)`);
      }
      return fail(result.message);
    case 'written':
      break;
  }
  log.info(`Generate DH parameters: wrote ${result.path} (${result.bits} bits).`);

  // Offer to point main.cf at the file.
  let mainCfUpdated = false;
  let value: string | undefined;
  if (mainCf) {
    const version = postfixVersionFor(mainCf);
    const deprecated = atLeast(version, '3.9');
    let update = args.updateMainCf;
    if (update === undefined) {
      const yes = deprecated ? 'Set It Anyway' : `Set ${DH_PARAM}`;
      const msg = deprecated
        ? `Wrote ${result.path}. Postfix ${version} deprecates ${DH_PARAM}: leave it at its default (OpenSSL then picks a standard group). Setting it is not suggested.`
        : `Wrote ${result.path}. Point ${DH_PARAM} in main.cf at it?`;
      const answer = await vscode.window.showInformationMessage(msg, yes, deprecated ? 'Leave at Default' : 'Not Now');
      update = answer === yes;
    } else if (deprecated) {
      log.info(`Generate DH parameters: Postfix ${version} deprecates ${DH_PARAM}; leaving it at its default is suggested.`);
    }
    if (update) {
      try {
        const { text, main } = await loadMainCf(mainCf);
        value = paramValue(result.path, mainCf);
        const edit = setParameterEdit(mainCf, text, main, DH_PARAM, value);
        mainCfUpdated = await vscode.workspace.applyEdit(edit);
        if (!mainCfUpdated) return fail(`could not update ${mainCf.fsPath}`);
        if (!openEditorFor(mainCf)) await vscode.window.showTextDocument(mainCf, { preview: false });
      } catch (err) {
        return fail(`could not update main.cf: ${errorText(err)}`);
      }
      info(`Wrote ${result.path}; ${DH_PARAM} = ${value}${deprecated ? ` (deprecated in Postfix ${version})` : ''}. Save main.cf and reload Postfix to use it.`);
    }
  } else {
    info(`Wrote ${result.path}. Set ${DH_PARAM} to this file in main.cf to use it.`);
  }
  return { kind: 'written', path: result.path, bits: result.bits, generated: result.generated, mainCfUpdated, value };
}

function openEditorFor(uri: vscode.Uri): boolean {
  return vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString());
}
