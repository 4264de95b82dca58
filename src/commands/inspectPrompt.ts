import * as vscode from 'vscode';
import { formatCount, formatPercent, formatTokens, formatUsd } from '../../common/format';
import { promptText, type Prompt } from '../core/prompt/types';
import { toVsRange } from '../util/ranges';
import { approximationNotes, describePrompt, dynamicSegments } from '../features/counts/labels';
import type { LlmModels } from '../services/llmModels';
import type { PromptIndex } from '../services/promptIndex';
import type { Command } from './command';
import { CommandId } from './ids';

interface DetailItem extends vscode.QuickPickItem {
  run?: () => Thenable<unknown> | void;
}

/** Details of the prompt under the cursor in a quick pick: counts, static prefix, dynamic parts, actions. */
export const inspectPrompt: Command<'inspectPrompt'> = { id: CommandId.inspectPrompt, run: ({ index, models }) => inspectPromptAtCursor(index, models) };

async function inspectPromptAtCursor(index: PromptIndex, models: LlmModels): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const prompt = editor && (await index.promptAt(editor.document, editor.selection.active));
  if (!editor || !prompt) {
    void vscode.window.showInformationMessage(
      'Prompt Lens: no prompt at the cursor. Put the cursor in a string passed to an LLM call, assigned to a *prompt*/*system*/*template* name, or in a prompt file.',
    );
    return;
  }
  await showPromptDetails(editor.document, prompt, models);
}

async function showPromptDetails(document: vscode.TextDocument, prompt: Prompt, models: LlmModels): Promise<void> {
  const counts = await Promise.all(models.displayedModels().map((model) => models.countPrompt(prompt, model)));
  const active = counts[0];
  const items: DetailItem[] = [{ label: 'Token counts', kind: vscode.QuickPickItemKind.Separator }];
  for (const count of counts) {
    items.push({
      label: `$(symbol-number) ${formatTokens(count.tokens, count.approximate)}`,
      description: `${count.model.label} · ${formatUsd(count.cost)} per call · ${formatPercent(count.contextShare)} of ${formatCount(count.model.contextWindow)}`,
    });
  }
  for (const note of approximationNotes(counts)) items.push({ label: '$(info) approximate', description: note.replace(/^≈ /, '') });

  const dynamic = dynamicSegments(prompt);
  items.push({ label: `Dynamic parts (${dynamic.length})`, kind: vscode.QuickPickItemKind.Separator });
  if (dynamic.length === 0) {
    items.push({ label: '$(lock) fully static', description: 'the same text on every call' });
  } else {
    items.push({
      label: `$(arrow-right) static prefix ${formatTokens(active.staticPrefixTokens, active.approximate)}`,
      description: 'before the first dynamic part; the same on every call',
    });
    for (const segment of dynamic) {
      items.push({
        label: `$(symbol-variable) ${segment.text.replace(/\s+/g, ' ')}`,
        description: `line ${segment.range.start.line + 1} · ${segment.syntax ?? 'dynamic'}`,
        run: () => reveal(document, segment.range),
      });
    }
  }

  items.push({ label: 'Actions', kind: vscode.QuickPickItemKind.Separator });
  items.push(
    {
      label: '$(eye) Show tokens in the visualizer',
      run: () => vscode.commands.executeCommand(CommandId.openVisualizer, document.uri, prompt.id),
    },
    { label: '$(go-to-file) Select the prompt in the editor', run: () => reveal(document, prompt.range) },
    {
      label: '$(copy) Copy prompt text',
      run: async () => {
        await vscode.env.clipboard.writeText(promptText(prompt));
        void vscode.window.showInformationMessage('Prompt Lens: prompt text copied.');
      },
    },
    {
      label: `$(copy) Copy token IDs (${active.model.tokenizer})`,
      run: async () => {
        const ids = (await models.tokenizer(active.model)).encode(promptText(prompt));
        await vscode.env.clipboard.writeText(JSON.stringify(ids));
        void vscode.window.showInformationMessage(`Prompt Lens: copied ${formatCount(ids.length)} token IDs.`);
      },
    },
  );

  const picked = await vscode.window.showQuickPick(items, {
    title: `Prompt Lens: ${describePrompt(prompt)} at line ${prompt.range.start.line + 1} (${prompt.reason})`,
    placeHolder: 'Pick a dynamic part to jump to it, or an action',
    matchOnDescription: true,
  });
  await picked?.run?.();
}

async function reveal(document: vscode.TextDocument, range: Prompt['range']): Promise<void> {
  const editor = await vscode.window.showTextDocument(document);
  const selection = toVsRange(range);
  editor.selection = new vscode.Selection(selection.start, selection.end);
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
