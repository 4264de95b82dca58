import * as vscode from 'vscode';
import { extractPrompts, initExtractors, isSupportedFile } from '../core/extract';
import type { ExtractOptions } from '../core/extract';
import type { ExtractResult, Notice, Prompt } from '../core/prompt/types';
import { contains, toVsRange } from '../util/ranges';

/** File name suffixes for editors without a file name (untitled), so extraction picks the right grammar. */
const UNTITLED_SUFFIX: Record<string, string> = {
  python: '.py',
  typescript: '.ts',
  typescriptreact: '.tsx',
  javascript: '.js',
  javascriptreact: '.jsx',
  json: '.json',
  jsonl: '.jsonl',
  yaml: '.yaml',
  prompt: '.prompt',
  jinja: '.jinja',
  handlebars: '.hbs',
};

/** The languages Prompt Lens reads prompts in: the editor's context menu offers its commands there. */
export const PROMPT_LANGUAGES = Object.keys(UNTITLED_SUFFIX);

/**
 * The prompts of each open document, extracted once per document version and shared by hover, code lens,
 * status bar and commands. Notices about a file (skipped as binary or too large, a malformed JSONL line,
 * a grammar that failed to load) become Information diagnostics, so the user sees why counts are missing.
 * The parsers load when prompts are first asked for, not when the index is built; work for the open editors
 * that no one asked for yet (the status bar, the cache warnings) waits for that moment through `whenStarted`.
 */
export class PromptIndex implements vscode.Disposable {
  private readonly cache = new Map<string, { version: number; result: ExtractResult }>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('promptLens');
  private extractors: Promise<void> | undefined;
  private readonly started = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.diagnostics, this.started];

  constructor(private options: ExtractOptions) {
    this.disposables.push(
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.cache.delete(document.uri.toString());
        this.diagnostics.delete(document.uri);
      }),
    );
  }

  update(options: ExtractOptions): void {
    this.options = options;
    this.cache.clear();
  }

  fileNameOf(document: vscode.TextDocument): string {
    if (document.uri.scheme !== 'untitled') return document.fileName;
    return `untitled${UNTITLED_SUFFIX[document.languageId] ?? '.txt'}`;
  }

  handles(document: vscode.TextDocument): boolean {
    return isSupportedFile(this.fileNameOf(document), this.options);
  }

  /** Runs `start` once prompts are first asked for, at once if they were already. */
  whenStarted(start: () => void): vscode.Disposable {
    if (!this.extractors) return this.started.event(start);
    start();
    return new vscode.Disposable(() => {});
  }

  async prompts(document: vscode.TextDocument): Promise<Prompt[]> {
    if (!this.handles(document)) return [];
    if (!this.extractors) {
      this.extractors = initExtractors();
      this.started.fire();
    }
    await this.extractors;
    const key = document.uri.toString();
    const cached = this.cache.get(key);
    if (cached && cached.version === document.version) return cached.result.prompts;
    // extractPrompts skips binary, oversized and minified text itself, with a notice saying so.
    const result = extractPrompts(this.fileNameOf(document), document.getText(), this.options);
    this.cache.set(key, { version: document.version, result });
    this.diagnostics.set(document.uri, result.notices.map((notice) => toDiagnostic(notice, document)));
    return result.prompts;
  }

  async promptAt(document: vscode.TextDocument, position: vscode.Position): Promise<Prompt | undefined> {
    const prompts = await this.prompts(document);
    // Innermost first: a message prompt inside a larger prompt file wins.
    return prompts
      .filter((prompt) => contains(prompt.range, position))
      .sort((a, b) => document.offsetAt(toVsRange(b.range).start) - document.offsetAt(toVsRange(a.range).start))[0];
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function toDiagnostic(notice: Notice, document: vscode.TextDocument): vscode.Diagnostic {
  const line = Math.min(notice.line ?? 0, Math.max(document.lineCount - 1, 0));
  const diagnostic = new vscode.Diagnostic(
    document.lineAt(line).range,
    notice.message,
    notice.severity === 'error' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
  );
  diagnostic.source = 'Prompt Lens';
  return diagnostic;
}
