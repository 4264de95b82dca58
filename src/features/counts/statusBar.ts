import * as vscode from 'vscode';
import { formatTokens } from '../../../common/format';
import { CommandId } from '../../commands/ids';
import { countSummary, describePrompt } from './labels';
import type { LlmModels } from '../../services/llmModels';
import type { PromptIndex } from '../../services/promptIndex';

const DEBOUNCE_MS = 120;

/**
 * Tokens of the selection, or of the prompt under the cursor, and the active model; click to pick a model. It
 * first counts when the editor changes or prompts are first asked for (a code lens, a hover), not on activation.
 */
export function registerTokenStatusBar(index: PromptIndex, models: LlmModels): vscode.Disposable {
  return new TokenStatusBar(index, models);
}

class TokenStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('promptLens.tokens', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;

  constructor(
    private readonly index: PromptIndex,
    private readonly models: LlmModels,
  ) {
    this.item.name = 'Prompt Lens Tokens';
    this.item.command = CommandId.selectModel;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document) this.schedule();
      }),
      index.whenStarted(() => this.schedule()),
    );
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), DEBOUNCE_MS);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.index.handles(editor.document)) {
      this.item.hide();
      return;
    }
    const model = this.models.activeModel();
    try {
      const { text, tooltip } = await this.describe(editor);
      if (generation !== this.generation) return; // a newer selection is already being counted
      this.item.text = text;
      this.item.tooltip = `${tooltip}\nClick to choose the model.`;
    } catch {
      if (generation !== this.generation) return;
      this.item.text = `$(symbol-string) ${model.id}`;
      this.item.tooltip = 'Prompt Lens could not count tokens here (see the Prompt Lens output). Click to choose the model.';
    }
    this.item.show();
  }

  private async describe(editor: vscode.TextEditor): Promise<{ text: string; tooltip: string }> {
    const model = this.models.activeModel();
    const selections = editor.selections.filter((selection) => !selection.isEmpty);
    if (selections.length > 0) {
      const text = selections.map((selection) => editor.document.getText(selection)).join('');
      const count = await this.models.countText(text, model);
      return {
        text: `$(selection) ${formatTokens(count.tokens, count.approximate)} · ${model.id}`,
        tooltip: `Selection: ${countSummary(count)}`,
      };
    }
    const prompt = await this.index.promptAt(editor.document, editor.selection.active);
    if (!prompt) return { text: `$(symbol-string) ${model.id}`, tooltip: `Prompt Lens model: ${model.label}` };
    const count = await this.models.countPrompt(prompt, model);
    return {
      text: `$(symbol-string) ${formatTokens(count.tokens, count.approximate)} · ${model.id}`,
      tooltip: `${describePrompt(prompt)}: ${countSummary(count, prompt)}`,
    };
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.generation++; // a count still running must not show the disposed item
    for (const disposable of this.disposables) disposable.dispose();
  }
}
