import * as vscode from 'vscode';
import { formatCount } from '../../../common/format';
import type { Prompt } from '../../core/prompt/types';
import { toVsRange } from '../../util/ranges';
import { approximationNotes, countTable, describePrompt, dynamicSegments, escapeTable, inlineCode } from './labels';
import type { LlmModels } from '../../services/llmModels';
import type { PromptIndex } from '../../services/promptIndex';

/** Hover over a prompt: its counts for the active and comparison models; over a selection: the selection's. */
export function registerCountHover(selector: vscode.DocumentSelector, index: PromptIndex, models: LlmModels): vscode.Disposable {
  return vscode.languages.registerHoverProvider(selector, new PromptHoverProvider(index, models));
}

class PromptHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly index: PromptIndex,
    private readonly models: LlmModels,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const selection = vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.selection : undefined;
    if (selection && !selection.isEmpty && selection.contains(position)) {
      const markdown = await this.selectionHover(document.getText(selection));
      return token.isCancellationRequested ? undefined : new vscode.Hover(markdown, selection);
    }
    const prompt = await this.index.promptAt(document, position);
    if (!prompt || token.isCancellationRequested) return undefined;
    const markdown = await this.promptHover(prompt);
    return token.isCancellationRequested ? undefined : new vscode.Hover(markdown, toVsRange(prompt.range));
  }

  private async selectionHover(text: string): Promise<vscode.MarkdownString> {
    const counts = await Promise.all(this.models.displayedModels().map((model) => this.models.countText(text, model)));
    return markdown([
      `**Prompt Lens** · selection · ${formatCount(text.length)} characters`,
      countTable(counts),
      ...approximationNotes(counts),
    ]);
  }

  private async promptHover(prompt: Prompt): Promise<vscode.MarkdownString> {
    const counts = await Promise.all(this.models.displayedModels().map((model) => this.models.countPrompt(prompt, model)));
    const active = counts[0];
    const dynamic = dynamicSegments(prompt);
    const lines = [`**Prompt Lens** · ${describePrompt(prompt)} · ${formatCount(active.characters)} characters`, countTable(counts)];
    if (dynamic.length > 0) {
      lines.push(
        `Static prefix: **${formatCount(active.staticPrefixTokens)} tokens** before ${inlineCode(dynamic[0].text)} ` +
          `(line ${dynamic[0].range.start.line + 1}) — the part that is the same on every call.`,
        `Dynamic parts (${dynamic.length}), counted as written: ` +
          dynamic.slice(0, 8).map((segment) => inlineCode(segment.text)).join(' · ') +
          (dynamic.length > 8 ? ` · and ${dynamic.length - 8} more` : ''),
      );
    }
    lines.push(...approximationNotes(counts), `_Found by ${escapeTable(prompt.reason)}_`);
    return markdown(lines);
  }
}

function markdown(paragraphs: string[]): vscode.MarkdownString {
  const result = new vscode.MarkdownString(paragraphs.join('\n\n'));
  result.supportHtml = false;
  result.isTrusted = false;
  return result;
}
