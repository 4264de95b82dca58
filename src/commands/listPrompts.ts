import * as vscode from 'vscode';
import { formatCount, formatTokens } from '../../common/format';
import { scanFile } from '../core/prompt/scan';
import { promptText, type Prompt } from '../core/prompt/types';
import { toVsRange } from '../util/ranges';
import { describePrompt } from '../features/counts/labels';
import type { Settings } from '../config';
import type { LlmModels } from '../services/llmModels';
import type { Command } from './command';
import { CommandId } from './ids';
import { shorten } from '../../common/text';

/** Source and prompt-file extensions the extractors understand; user globs are added from settings. */
const PROMPT_SOURCE_GLOB = '**/*.{py,ts,tsx,mts,cts,js,jsx,mjs,cjs,json,jsonl,yaml,yml,prompt,prompty,jinja,j2,mustache,hbs}';
const MAX_FILES = 20_000;

interface PromptItem extends vscode.QuickPickItem {
  uri: vscode.Uri;
  prompt: Prompt;
}

/** Every prompt in the workspace's files in a quick pick, with its tokens; picking one jumps to it. */
export const listPrompts: Command<'listPrompts'> = {
  id: CommandId.listPrompts,
  run: ({ models, settings, log }) => listWorkspacePrompts(models, settings(), log),
};

async function listWorkspacePrompts(models: LlmModels, settings: Settings, log: vscode.LogOutputChannel): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Prompt Lens: open a folder to list the prompts in it.');
    return;
  }
  const model = models.activeModel();
  const found = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Prompt Lens: finding prompts', cancellable: true },
    (progress, token) => scanWorkspace(settings, model, models, log, progress, token),
  );
  if (!found) return;
  const { items, files, skipped } = found;
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`Prompt Lens: no prompts found in ${formatCount(files)} files.`);
    return;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `Prompt Lens: ${formatCount(items.length)} prompts in ${formatCount(files)} files${skipped ? ` (${skipped} skipped, see the Prompt Lens output)` : ''}`,
    placeHolder: 'Type to filter by file, text or kind; Enter jumps to the prompt',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const editor = await vscode.window.showTextDocument(picked.uri);
  const range = toVsRange(picked.prompt.range);
  editor.selection = new vscode.Selection(range.start, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function scanWorkspace(
  settings: Settings,
  model: ReturnType<LlmModels['activeModel']>,
  models: LlmModels,
  log: vscode.LogOutputChannel,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
): Promise<{ items: PromptItem[]; files: number; skipped: number } | undefined> {
  const exclude = settings.listPromptsExclude || undefined;
  const globs = [PROMPT_SOURCE_GLOB, ...(settings.extract.promptFileGlobs ?? [])];
  const uris = new Map<string, vscode.Uri>();
  for (const glob of globs) {
    for (const uri of await vscode.workspace.findFiles(glob, exclude, MAX_FILES, token)) uris.set(uri.toString(), uri);
  }
  const tokenizer = await models.tokenizer(model);
  const items: PromptItem[] = [];
  let skipped = 0;
  let done = 0;
  for (const uri of uris.values()) {
    if (token.isCancellationRequested) return undefined;
    if (done++ % 50 === 0) progress.report({ message: `${done} of ${uris.size} files`, increment: (50 / uris.size) * 100 });
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      log.warn(`Could not read ${uri.fsPath}: ${String(error)}`);
      skipped++;
      continue;
    }
    const { prompts, notices, skipped: wasSkipped } = scanFile(uri.fsPath, bytes, settings.extract);
    for (const notice of notices) log.info(`${vscode.workspace.asRelativePath(uri)}${notice.line !== undefined ? `:${notice.line + 1}` : ''}: ${notice.message}`);
    if (wasSkipped) skipped++;
    for (const prompt of prompts) items.push(promptItem(uri, prompt, tokenizer.count(promptText(prompt)), model.approximate));
  }
  return { items, files: uris.size, skipped };
}

function promptItem(uri: vscode.Uri, prompt: Prompt, tokens: number, approximate: boolean): PromptItem {
  const text = promptText(prompt).replace(/\s+/g, ' ').trim();
  return {
    label: `$(symbol-string) ${vscode.workspace.asRelativePath(uri)}:${prompt.range.start.line + 1}`,
    description: `${formatTokens(tokens, approximate)} · ${describePrompt(prompt)} · ${prompt.reason}`,
    detail: shorten(text, 120, 117),
    uri,
    prompt,
  };
}
