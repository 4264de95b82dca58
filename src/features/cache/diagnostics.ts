import * as vscode from 'vscode';
import type { CacheFix, CacheWarning } from '../../core/cache';
import type { CacheAnalysis } from '../../services/cacheAnalysis';
import type { CacheWarningLevel } from '../../config';
import { toVsRange } from '../../util/ranges';
import { type LlmModels } from '../../services/llmModels';
import type { PromptIndex } from '../../services/promptIndex';
import { errorMessage } from '../../../common/text';

/** Typing pauses shorter than this do not re-run the analysis (it tokenizes every prompt of the document). */
const DEBOUNCE_MS = 500;
export const DIAGNOSTIC_SOURCE = 'Prompt Lens';

/** What the quick fix asks of the published warnings: the fix of one of them, for the document version it was computed on. */
export interface PublishedFixes extends vscode.Disposable {
  fixFor(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): CacheFix | undefined;
}

interface Published {
  version: number;
  entries: Array<{ diagnostic: vscode.Diagnostic; warning: CacheWarning }>;
}

/**
 * Warnings about cache-busting patterns (a timestamp before a long static part, unordered tool lists, …) for the
 * documents in visible editors. They live in their own collection, apart from the index's notices about skipped
 * files, so refreshing one never clears the other. Each diagnostic's code is the warning kind; the quick fix
 * looks up the CacheFix of a diagnostic here, for the document version it was computed on. The documents already
 * open are first checked when prompts are first asked for (a code lens, a hover), not on activation.
 */
export function registerCacheDiagnostics(
  index: PromptIndex,
  analysis: CacheAnalysis,
  models: LlmModels,
  level: Exclude<CacheWarningLevel, 'off'>,
): PublishedFixes {
  return new CacheDiagnostics(index, analysis, models, level);
}

class CacheDiagnostics implements PublishedFixes {
  private readonly collection = vscode.languages.createDiagnosticCollection('promptLens.cache');
  private readonly published = new Map<string, Published>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The document version each running analysis works on, so switching editors does not start it twice. */
  private readonly running = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Set by dispose: an analysis still running for old settings must not publish into the disposed collection. */
  private disposed = false;

  constructor(
    private readonly index: PromptIndex,
    private readonly analysis: CacheAnalysis,
    private readonly models: LlmModels,
    private readonly level: Exclude<CacheWarningLevel, 'off'>,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshVisible(false)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        // Ranges of the old diagnostics no longer match the text: drop them now, recompute once typing pauses.
        this.forget(event.document.uri);
        if (isVisible(event.document)) this.schedule(event.document);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      index.whenStarted(() => this.refreshVisible(true)),
    );
  }

  fixFor(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): CacheFix | undefined {
    const published = this.published.get(document.uri.toString());
    if (!published || published.version !== document.version) return undefined;
    return published.entries.find(({ diagnostic: own }) => sameDiagnostic(own, diagnostic))?.warning.fix;
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private refreshVisible(force: boolean): void {
    const documents = new Map(vscode.window.visibleTextEditors.map((editor) => [editor.document.uri.toString(), editor.document]));
    for (const [key, document] of documents) {
      const current = this.published.get(key);
      const upToDate = current?.version === document.version || this.running.get(key) === document.version;
      if (force || !upToDate) void this.update(document);
    }
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(document);
      }, DEBOUNCE_MS),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.published.delete(key);
    this.collection.delete(uri);
  }

  private async update(document: vscode.TextDocument): Promise<void> {
    const version = document.version;
    if (!this.index.handles(document)) {
      this.forget(document.uri);
      return;
    }
    const key = document.uri.toString();
    this.running.set(key, version);
    try {
      const prompts = await this.index.prompts(document);
      const warnings = await this.analysis.warnings(document.getText(), prompts);
      // The document changed or closed, or the settings changed (this was disposed), while this ran: a newer update owns the result.
      if (this.disposed || document.isClosed || document.version !== version) return;
      const entries = warnings.map((warning) => ({ diagnostic: toDiagnostic(warning, this.level), warning }));
      this.published.set(key, { version, entries });
      this.collection.set(document.uri, entries.map(({ diagnostic }) => diagnostic));
    } catch (error) {
      this.models.warnOnce(`Prompt Lens could not check prompt caching: ${errorMessage(error)}`);
    } finally {
      if (this.running.get(key) === version) this.running.delete(key);
    }
  }
}

function toDiagnostic(warning: CacheWarning, level: Exclude<CacheWarningLevel, 'off'>): vscode.Diagnostic {
  const severity =
    level === 'warning' && warning.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(toVsRange(warning.range), warning.message, severity);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = warning.kind;
  return diagnostic;
}

/** Code actions receive copies of the diagnostics, not the objects published: they match by what they say and where. */
function sameDiagnostic(a: vscode.Diagnostic, b: vscode.Diagnostic): boolean {
  return a.code === b.code && a.message === b.message && a.range.isEqual(b.range) && a.source === b.source;
}

function isVisible(document: vscode.TextDocument): boolean {
  return vscode.window.visibleTextEditors.some((editor) => editor.document === document);
}
