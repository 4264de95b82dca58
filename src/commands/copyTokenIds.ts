import * as vscode from 'vscode';
import { formatCount } from '../../common/format';
import { promptText } from '../core/prompt/types';
import type { LlmModels } from '../services/llmModels';
import type { PromptIndex } from '../services/promptIndex';
import type { Command } from './command';
import { CommandId } from './ids';

/** Copies the active model's token ids of the selection, or of the prompt under the cursor, as a JSON array. */
export const copyTokenIds: Command<'copyTokenIds'> = { id: CommandId.copyTokenIds, run: ({ index, models }) => copyIds(index, models) };

async function copyIds(index: PromptIndex, models: LlmModels): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Prompt Lens: open a file and select text or put the cursor in a prompt.');
    return;
  }
  let text: string;
  let what: string;
  if (!editor.selection.isEmpty) {
    text = editor.document.getText(editor.selection);
    what = 'the selection';
  } else {
    const prompt = await index.promptAt(editor.document, editor.selection.active);
    if (!prompt) {
      void vscode.window.showInformationMessage('Prompt Lens: select text or put the cursor in a prompt to copy its token IDs.');
      return;
    }
    text = promptText(prompt);
    what = 'the prompt';
  }
  const model = models.activeModel();
  const tokenizer = await models.tokenizer(model);
  const ids = tokenizer.encode(text);
  await vscode.env.clipboard.writeText(JSON.stringify(ids));
  void vscode.window.showInformationMessage(
    `Prompt Lens: copied ${formatCount(ids.length)} token IDs of ${what} (${tokenizer.label}${model.approximate ? ', approximate' : ''}).`,
  );
}
