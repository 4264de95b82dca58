import * as vscode from 'vscode';
import type { Prompt } from '../../core/prompt/types';
import type { CacheAnalysis } from '../../services/cacheAnalysis';
import { cacheLensTitle, cacheLensTooltip } from './labels';
import { toVsRange } from '../../util/ranges';
import { errorMessage } from '../../../common/text';

/**
 * The cache line of a prompt's code lens: `cacheable prefix 3,104 tok → 3,072 cached on OpenAI · first dynamic
 * part at token 37: ${user.name}`. VS Code shows every lens of a line in one row, so it follows the count lens
 * after a `|`. Prompts too short to ever reach the provider's minimum get none (decided without tokenizing).
 */
export class CacheCodeLens extends vscode.CodeLens {
  constructor(
    readonly document: vscode.TextDocument,
    readonly prompt: Prompt,
  ) {
    super(toVsRange(prompt.range));
  }
}

export class CacheCodeLenses {
  constructor(private readonly analysis: CacheAnalysis) {}

  /** A lens to resolve later, or undefined when the cache features are off or the prompt is too short to cache. */
  lensFor(document: vscode.TextDocument, prompt: Prompt): CacheCodeLens | undefined {
    return this.analysis.enabled && this.analysis.mayCache(prompt) ? new CacheCodeLens(document, prompt) : undefined;
  }

  async resolve(lens: CacheCodeLens): Promise<CacheCodeLens> {
    const command = { command: 'promptLens.showPromptDetails', arguments: [lens.document.uri, lens.prompt.id] };
    try {
      const report = await this.analysis.report(lens.prompt);
      lens.command = { ...command, title: cacheLensTitle(report), tooltip: cacheLensTooltip(report) };
    } catch (error) {
      // A lens always resolves to a title: an unresolved one would leave VS Code's "no commands" placeholder.
      lens.command = { ...command, title: 'cache prediction failed', tooltip: errorMessage(error) };
    }
    return lens;
  }
}
