import * as vscode from 'vscode';
import type { Prompt } from './core/types';
import { toVsRange } from './convert';
import { countSummary } from './describe';
import type { ModelService } from './modelService';
import type { PromptIndex } from './promptIndex';

class PromptCodeLens extends vscode.CodeLens {
  constructor(
    readonly document: vscode.TextDocument,
    readonly prompt: Prompt,
  ) {
    super(toVsRange(prompt.range));
  }
}

/** `1,284 tokens · gpt-4o · $0.0032 · static prefix 1,030` above each prompt; counted only when visible. */
export class PromptCodeLensProvider implements vscode.CodeLensProvider<PromptCodeLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly index: PromptIndex,
    private readonly models: ModelService,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<PromptCodeLens[]> {
    const prompts = await this.index.prompts(document);
    return prompts.map((prompt) => new PromptCodeLens(document, prompt));
  }

  async resolveCodeLens(lens: PromptCodeLens): Promise<PromptCodeLens> {
    const count = await this.models.countPrompt(lens.prompt, this.models.activeModel());
    lens.command = {
      title: countSummary(count, lens.prompt),
      tooltip: 'Prompt Lens: show this prompt’s details',
      command: 'promptLens.showPromptDetails',
      arguments: [lens.document.uri, lens.prompt.id],
    };
    return lens;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
