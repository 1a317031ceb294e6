/**
 * "Postfix TLS: Insert Recommended TLS Settings": compares the open main.cf with a profile for
 * the target Postfix version (core/profiles.ts), shows every change with its reason in a
 * multi-select list (all selected; untick what you do not want), and applies the chosen ones
 * as one undoable edit: values of existing parameters are replaced at their last definition,
 * new parameters are appended under one comment line. Nothing is ever deleted.
 *
 * Arguments (automation; modal questions cannot be answered in tests):
 *   insertRecommendedSettings()          the active main.cf, profile from a quick pick
 *   insertRecommendedSettings(uri)       that main.cf
 *   insertRecommendedSettings({ uri?, profile?, postfixVersion?, apply?: true | string[] })
 *     profile         skip the profile question
 *     postfixVersion  instead of the setting postfixTls.postfixVersion
 *     apply           true: apply every change without asking; string[]: only these names
 * Resolves to { profile, postfixVersion, edits (proposed), applied (names) }.
 */
import vscode = require('vscode');
import { recommendationTextEdits, recommendedEdits, type RecommendedEdit } from '../../core/profiles';
import { PROFILE_NAMES, type ProfileName } from '../../core/types';
import { errorText, isProfileName, loadMainCf, postfixVersionFor, profileFor, resolveMainCf, toRange, toUri } from './util';

export { RECOMMENDED_COMMAND } from './ids';

export interface RecommendedArgs {
  uri?: vscode.Uri | string;
  profile?: ProfileName;
  postfixVersion?: string;
  apply?: true | string[];
}

export interface RecommendedResult {
  profile: ProfileName;
  postfixVersion: string;
  edits: RecommendedEdit[];
  applied: string[];
}

const PROFILE_TEXT: Record<ProfileName, string> = {
  'postfix-defaults': "Postfix's own defaults: opportunistic TLS on both sides, TLS logging",
  'mozilla-intermediate': 'TLS 1.2 or newer; only forward-secret key exchange where TLS is mandatory',
  'mozilla-modern': 'TLS 1.3 only where TLS is mandatory; TLS 1.2+ for opportunistic STARTTLS',
  ncsc: 'NCSC-NL guidelines: like intermediate, with a 3072-bit DH group where Postfix reads one',
};

async function pickProfile(configured: ProfileName): Promise<ProfileName | undefined> {
  const order = [configured, ...PROFILE_NAMES.filter((p) => p !== configured)];
  const pick = await vscode.window.showQuickPick(
    order.map((p) => ({ label: p, description: p === configured ? '(setting postfixTls.profile)' : '', detail: PROFILE_TEXT[p], profile: p })),
    { title: 'Insert Recommended TLS Settings', placeHolder: 'Profile' },
  );
  return pick?.profile;
}

function normalise(a: unknown): RecommendedArgs {
  if (a && typeof a === 'object' && !(a instanceof vscode.Uri) && !('scheme' in (a as object))) return a as RecommendedArgs;
  return a === undefined || a === null ? {} : { uri: toUri(a) };
}

export async function insertRecommendedSettings(log: vscode.LogOutputChannel, a?: unknown): Promise<RecommendedResult | undefined> {
  const args = normalise(a);
  const uri = await resolveMainCf(args.uri);
  if (!uri) {
    void vscode.window.showWarningMessage('Insert Recommended TLS Settings: open a main.cf first.');
    return undefined;
  }
  let profile: ProfileName | undefined = isProfileName(args.profile) ? args.profile : undefined;
  if (args.profile !== undefined && !profile) {
    void vscode.window.showErrorMessage(`Insert Recommended TLS Settings: unknown profile '${String(args.profile)}' (${PROFILE_NAMES.join(', ')}).`);
    return undefined;
  }
  if (!profile) profile = await pickProfile(profileFor(uri));
  if (!profile) return undefined;
  const postfixVersion = typeof args.postfixVersion === 'string' && /^\d+\.\d+(\.\d+)?$/.test(args.postfixVersion) ? args.postfixVersion : postfixVersionFor(uri);

  let text: string;
  let edits: RecommendedEdit[];
  let main;
  try {
    ({ text, main } = await loadMainCf(uri));
    edits = recommendedEdits(main, profile, postfixVersion);
  } catch (err) {
    log.error(`Insert Recommended TLS Settings: ${errorText(err)}`);
    void vscode.window.showErrorMessage(`Insert Recommended TLS Settings: ${errorText(err)}`);
    return undefined;
  }
  const result: RecommendedResult = { profile, postfixVersion, edits, applied: [] };
  if (edits.length === 0) {
    void vscode.window.showInformationMessage(`main.cf already follows the ${profile} profile for Postfix ${postfixVersion}.`);
    return result;
  }

  let chosen: RecommendedEdit[];
  if (args.apply === true) chosen = edits;
  else if (Array.isArray(args.apply)) chosen = edits.filter((e) => (args.apply as string[]).includes(e.name));
  else {
    const items = edits.map((e) => ({
      label: `${e.name} = ${e.to}`,
      description: e.from === undefined ? 'new' : `was: ${e.from === '' ? '(empty)' : e.from.length > 80 ? e.from.slice(0, 80) + '…' : e.from}`,
      detail: e.reason,
      picked: true,
      edit: e,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Recommended TLS settings: ${profile}, Postfix ${postfixVersion}`,
      placeHolder: 'These changes will be made to main.cf (untick to skip; Enter applies, Escape cancels)',
      canPickMany: true,
      matchOnDetail: true,
    });
    if (!picked) return result;
    chosen = picked.map((p) => p.edit);
  }
  if (chosen.length === 0) return result;

  const header = `Recommended TLS settings (${profile}, Postfix ${postfixVersion}), inserted by Postfix TLS`;
  const edit = new vscode.WorkspaceEdit();
  for (const te of recommendationTextEdits(text, main, chosen, header)) edit.replace(uri, toRange(te.range), te.newText);
  const ok = await vscode.workspace.applyEdit(edit);
  if (!ok) {
    void vscode.window.showErrorMessage(`Insert Recommended TLS Settings: could not edit ${uri.fsPath || uri.toString()}.`);
    return result;
  }
  result.applied = chosen.map((e) => e.name);
  log.info(`Insert Recommended TLS Settings: ${profile}, Postfix ${postfixVersion}: ${result.applied.join(', ')}`);
  if (!vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString())) await vscode.window.showTextDocument(uri, { preview: false });
  return result;
}
