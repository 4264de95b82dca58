import * as vscode from 'vscode';
import type { Prompt } from '../../core/prompt/types';
import { CacheCodeLens, type CacheCodeLenses } from '../cache/codeLens';
import { toVsRange } from '../../util/ranges';
import { countSummary } from './labels';
import type { LlmModels } from '../../services/llmModels';
import type { PromptIndex } from '../../services/promptIndex';

class PromptCodeLens extends vscode.CodeLens {
  constructor(
    readonly document: vscode.TextDocument,
    readonly prompt: Prompt,
  ) {
    super(toVsRange(prompt.range));
  }
}

/**
 * `1,284 tokens · gpt-4o · $0.0032 · static prefix 1,030` above each prompt, then its cache line where it has one;
 * counted only when visible. One provider for both keeps their order on the line stable.
 */
export class PromptCodeLensProvider implements vscode.CodeLensProvider<PromptCodeLens | CacheCodeLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** Count lenses follow promptLens.codeLens.enabled; cache lenses follow promptLens.cache.enabled. */
  showCounts = true;

  constructor(
    private readonly index: PromptIndex,
    private readonly models: LlmModels,
    private readonly cache: CacheCodeLenses,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<Array<PromptCodeLens | CacheCodeLens>> {
    const prompts = await this.index.prompts(document);
    return prompts.flatMap((prompt) => {
      const cacheLens = this.cache.lensFor(document, prompt);
      const countLens = this.showCounts ? new PromptCodeLens(document, prompt) : undefined;
      return [countLens, cacheLens].filter((lens) => lens !== undefined);
    });
  }

  async resolveCodeLens(lens: PromptCodeLens | CacheCodeLens): Promise<PromptCodeLens | CacheCodeLens> {
    if (lens instanceof CacheCodeLens) return this.cache.resolve(lens);
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
