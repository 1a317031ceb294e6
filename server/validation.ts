/**
 * Diagnostics in both models: PULL (`textDocument/diagnostic`) for clients that advertise it,
 * PUSH (`textDocument/publishDiagnostics`) for the others (e.g. Neovim before 0.10).
 * main.cf and master.cf of a folder are analysed together, so a change in one re-validates the
 * other: a `workspace/diagnostic/refresh` in the pull model, a new publish in the push model.
 */
import {
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { NEVER_CANCELLED, type CancellationTokenLike, type Finding } from '../core/types';
import type { ServerContext } from './context';
import { DIAGNOSTICS_BUDGET_MS, withBudget } from './budget';
import {
  cappedMessage,
  incompleteMessage,
  MAX_DIAGNOSTICS,
  SERVER_CODES,
  serverNotice,
  skipDiagnostics,
  toDiagnostic,
} from './diagnostics';
import { logError } from './guard';
import { codeHref, parameterAt, README_CODES_URL } from './links';
import { postconfUrl } from './params';

/** Typing pauses shorter than this coalesce into one push validation. */
const PUSH_DELAY_MS = 150;
/** Several changes in a row cause one refresh request. */
const REFRESH_DELAY_MS = 100;

/** Thrown when a pull request was cancelled or its document changed meanwhile. */
function cancelled(stale: boolean): ResponseError<{ retriggerRequest: boolean }> {
  return stale
    ? new ResponseError(LSPErrorCodes.ServerCancelled, 'The document changed; diagnostics will be computed again.', {
        retriggerRequest: true,
      })
    : new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled.', { retriggerRequest: false });
}

export class Validation {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: ServerContext) {}

  /** Findings as diagnostics of `doc`, each code linked to its parameter's postconf(5) entry when there is one. */
  toDiagnostics(doc: TextDocument, findings: Finding[]): Diagnostic[] {
    if (findings.length === 0) return [];
    const parsed = this.ctx.analysis.parsed(doc);
    return findings.map((f) => toDiagnostic(doc, f, codeHref(f.code, parameterAt(parsed, f.range.start), postconfUrl)));
  }

  /** One finding as a diagnostic (code actions list the diagnostic they fix). */
  toDiagnostic(doc: TextDocument, f: Finding): Diagnostic {
    return this.toDiagnostics(doc, [f])[0];
  }

  /** Diagnostics of an open document of ours (empty for any other document). */
  async diagnose(doc: TextDocument, token: CancellationTokenLike): Promise<Diagnostic[]> {
    const { analysis, settings } = this.ctx;
    if (!analysis.kindOf(doc)) return [];
    const s = await settings.get(doc.uri);
    if (token.isCancellationRequested) return [];
    const reason = analysis.skipped(doc);
    if (reason) return skipDiagnostics(reason, doc.getText().length, s, README_CODES_URL);
    const budget = withBudget(token, DIAGNOSTICS_BUDGET_MS);
    const findings = analysis.findingsFor(doc, s, budget);
    const shown = findings.length > MAX_DIAGNOSTICS ? findings.slice(0, MAX_DIAGNOSTICS) : findings;
    const diagnostics = this.toDiagnostics(doc, shown);
    if (shown.length < findings.length) {
      diagnostics.push(...serverNotice(SERVER_CODES.capped, cappedMessage(shown.length, findings.length), s, README_CODES_URL));
    }
    if (budget.expired) {
      diagnostics.push(...serverNotice(SERVER_CODES.incomplete, incompleteMessage(DIAGNOSTICS_BUDGET_MS), s, README_CODES_URL));
    }
    return diagnostics;
  }

  /** `textDocument/diagnostic`. */
  async pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const uri = params.textDocument.uri;
    const doc = this.ctx.documents.get(uri);
    if (!doc) return { kind: 'full', items: [] };
    const version = doc.version;
    const items = await this.diagnose(doc, token);
    if (token.isCancellationRequested) throw cancelled(false);
    const now = this.ctx.documents.get(uri);
    if (!now) return { kind: 'full', items: [] };
    // The settings round trip let edits arrive: this answer would describe an older text.
    if (now.version !== version) throw cancelled(true);
    return { kind: 'full', items };
  }

  /** A document was opened or edited. */
  changed(doc: TextDocument): void {
    if (!this.ctx.analysis.kindOf(doc)) return;
    const sibling = this.ctx.analysis.openSibling(doc);
    if (this.ctx.support.pullDiagnostics) {
      // The client pulls `doc` itself; the other file of the pair needs a nudge.
      if (sibling) this.scheduleRefresh();
      return;
    }
    this.schedulePush(doc.uri);
    if (sibling) this.schedulePush(sibling.uri);
  }

  /** A document was closed: clear what was published; its partner now reads the file on disk. */
  closed(doc: TextDocument): void {
    const timer = this.timers.get(doc.uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(doc.uri);
    const sibling = this.ctx.analysis.openSibling(doc);
    if (this.ctx.support.pullDiagnostics) {
      if (sibling) this.scheduleRefresh();
      return;
    }
    if (this.ctx.analysis.kindOf(doc)) {
      this.ctx.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] }).catch((e) => logError(this.ctx.connection, 'diagnostics', e));
    }
    if (sibling) this.schedulePush(sibling.uri);
  }

  /** Settings, trust or files on disk changed: every open document is validated again. */
  revalidateAll(): void {
    if (this.ctx.support.pullDiagnostics) {
      this.scheduleRefresh();
      return;
    }
    for (const doc of this.ctx.documents.all()) this.schedulePush(doc.uri);
  }

  private scheduleRefresh(): void {
    if (!this.ctx.support.diagnosticRefresh || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      try {
        const sent = this.ctx.connection.languages.diagnostics.refresh() as unknown;
        if (sent instanceof Promise) sent.catch((e) => logError(this.ctx.connection, 'diagnostic refresh', e));
      } catch (error) {
        logError(this.ctx.connection, 'diagnostic refresh', error);
      }
    }, REFRESH_DELAY_MS);
  }

  private schedulePush(uri: string): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.push(uri).catch((e) => logError(this.ctx.connection, 'diagnostics', e));
      }, PUSH_DELAY_MS),
    );
  }

  private async push(uri: string): Promise<void> {
    const doc = this.ctx.documents.get(uri);
    if (!doc || !this.ctx.analysis.kindOf(doc)) return;
    const version = doc.version;
    let diagnostics: Diagnostic[];
    try {
      diagnostics = await this.diagnose(doc, NEVER_CANCELLED);
    } catch (error) {
      logError(this.ctx.connection, 'diagnostics', error);
      diagnostics = [];
    }
    // A newer edit has its own validation scheduled; a closed document must stay cleared.
    const now = this.ctx.documents.get(uri);
    if (!now || now.version !== version) return;
    await this.ctx.connection.sendDiagnostics({ uri, version, diagnostics });
  }

  /** Stops pending timers (shutdown). */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }
}
