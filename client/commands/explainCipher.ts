/**
 * "Postfix TLS: Explain Cipher…": asks for a cipher name or a log line (prefilled with the
 * selection, or the cipher of the current line as the one log classifier reads it, or the
 * cipher-like word under the cursor) and shows core/cipher.ts's explanation as a Markdown
 * preview (input text escaped).
 *
 * Arguments (automation): explainCipher('ECDHE-RSA-AES256-GCM-SHA384') or
 * explainCipher({ input: string, show?: boolean }) — `show: false` only returns the result.
 * Resolves to the CipherExplanation (plus `uri` of the view when one was made).
 */
import vscode = require('vscode');
import { explainCipher as explain, type CipherExplanation } from '../../core/cipher';
import { classifyLine } from '../../core/log/classify';
import { showView, viewUri, type ViewProvider } from './views';

export { EXPLAIN_COMMAND } from './ids';

/** Longest selection used to prefill the input box. */
const MAX_PREFILL = 4096;

/** What to put in the input box: the selection, the current line's cipher, or the word at the cursor. */
export function prefillFor(editor: vscode.TextEditor | undefined): string {
  if (!editor) return '';
  const doc = editor.document;
  const sel = editor.selection;
  if (!sel.isEmpty) return doc.getText(sel).slice(0, MAX_PREFILL).replace(/\s+/g, ' ').trim();
  const line = doc.lineAt(sel.active.line).text;
  if (line.length <= 16 * 1024) {
    try {
      const rec = classifyLine(line);
      if (rec.cipher) return rec.cipher;
    } catch {
      // Not a log line: fall through to the word under the cursor.
    }
  }
  const word = doc.getWordRangeAtPosition(sel.active, /[A-Za-z0-9_-]+/);
  const w = word ? doc.getText(word) : '';
  // Only prefill something that looks like a suite name (has a dash or TLS_ / SSL_ prefix).
  return /^(?:TLS_|SSL_)[A-Z0-9_]+$|^[A-Z0-9]+(?:-[A-Z0-9]+)+$/i.test(w) ? w : '';
}

export async function explainCipherCommand(views: ViewProvider, a?: unknown): Promise<(CipherExplanation & { uri?: vscode.Uri }) | undefined> {
  let input: string | undefined;
  let show = true;
  if (typeof a === 'string') input = a;
  else if (a && typeof a === 'object' && typeof (a as { input?: unknown }).input === 'string') {
    input = (a as { input: string }).input;
    show = (a as { show?: boolean }).show !== false;
  }
  if (input === undefined) {
    input = await vscode.window.showInputBox({
      title: 'Explain Cipher',
      prompt: 'A cipher name (ECDHE-RSA-AES256-GCM-SHA384, TLS_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_...) or a whole TLS log line',
      value: prefillFor(vscode.window.activeTextEditor),
      ignoreFocusOut: true,
    });
    if (input === undefined) return undefined;
  }
  const e = explain(input);
  if (!show) return e;
  const uri = viewUri('cipher', e.cipher ?? 'explanation', e.input);
  views.set(uri, e.markdown);
  await showView(uri, true);
  return { ...e, uri };
}
