import * as vscode from 'vscode';
import type { Prompt } from '../core/prompt/types';
import type { PromptIndex } from '../services/promptIndex';
import { toVsRange } from '../util/ranges';

/** One line of a prompt's code lens: which prompts get it (decided without tokenizing), and its title and click once shown. */
export interface CodeLensLine {
  shows(prompt: Prompt): boolean;
  command(document: vscode.TextDocument, prompt: Prompt): Promise<vscode.Command>;
}

class PromptCodeLens extends vscode.CodeLens {
  constructor(
    readonly line: CodeLensLine,
    readonly document: vscode.TextDocument,
    readonly prompt: Prompt,
  ) {
    super(toVsRange(prompt.range));
  }
}

/** Lenses above each prompt, one per line that shows for it, counted only when visible. */
class PromptCodeLensProvider implements vscode.CodeLensProvider<PromptCodeLens> {
  constructor(
    private readonly index: PromptIndex,
    private readonly lines: readonly CodeLensLine[],
  ) {}

  async provideCodeLenses(document: vscode.TextDocument): Promise<PromptCodeLens[]> {
    const prompts = await this.index.prompts(document);
    return prompts.flatMap((prompt) => this.lines.filter((line) => line.shows(prompt)).map((line) => new PromptCodeLens(line, document, prompt)));
  }

  async resolveCodeLens(lens: PromptCodeLens): Promise<PromptCodeLens> {
    lens.command = await lens.line.command(lens.document, lens.prompt);
    return lens;
  }
}

/**
 * One provider for every line (the counts, then the cache line): VS Code shows a line's lenses in one row, and
 * one provider keeps their order stable. Nothing is registered when no line is enabled.
 */
export function registerPromptCodeLens(
  selector: vscode.DocumentSelector,
  index: PromptIndex,
  lines: ReadonlyArray<CodeLensLine | false>,
): vscode.Disposable | undefined {
  const enabled = lines.filter((line) => line !== false);
  return enabled.length > 0 ? vscode.languages.registerCodeLensProvider(selector, new PromptCodeLensProvider(index, enabled)) : undefined;
}
