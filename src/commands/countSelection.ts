import * as vscode from 'vscode';
import { formatCount, formatTokens, formatUsd } from '../../common/format';
import type { LlmModels } from '../services/llmModels';
import type { Command } from './command';
import { CommandId } from './ids';

/** Counts the selections (or the whole document when nothing is selected) for every displayed model. */
export const countSelection: Command<'countSelection'> = { id: CommandId.countSelection, run: ({ models }) => countSelected(models) };

async function countSelected(models: LlmModels): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Prompt Lens: open a file and select text to count its tokens.');
    return;
  }
  const selections = editor.selections.filter((selection) => !selection.isEmpty);
  const whole = selections.length === 0;
  const text = whole ? editor.document.getText() : selections.map((selection) => editor.document.getText(selection)).join('');
  const counts = await Promise.all(models.displayedModels().map((model) => models.countText(text, model)));
  const [active, ...others] = counts;
  const compared = others.map((count) => `${count.model.id} ${formatTokens(count.tokens, count.approximate)}`).join(', ');
  void vscode.window.showInformationMessage(
    `${whole ? 'Document' : 'Selection'}: ${formatTokens(active.tokens, active.approximate)} for ${active.model.id} ` +
      `(${formatCount(text.length)} characters, ${formatUsd(active.cost)} as input)` +
      (compared ? ` · ${compared}` : ''),
  );
}
