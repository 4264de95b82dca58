/**
 * Extension-host integration suite. It runs inside a real VS Code extension host in two ways:
 * - under @vscode/test-electron (`npm run test:electron`, where desktop VS Code can be downloaded), through index.ts;
 * - inside code-server during the offline end-to-end run, through the driver extension in ./driver.
 * It talks to Prompt Lens only through VS Code's public API, as another extension would.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface CaseResult {
  name: string;
  ok: boolean;
  error?: string;
  ms: number;
}

type Case = [name: string, body: () => Promise<void>];

const EXTENSION_ID = 'prompt-lens.prompt-lens';

function examplesFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the integration suite needs the examples folder open as the workspace');
  return folder;
}

async function open(relative: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(path.join(examplesFolder(), relative));
  return vscode.window.showTextDocument(document);
}

function positionOf(document: vscode.TextDocument, needle: string): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `"${needle}" is in ${document.fileName}`);
  return document.positionAt(offset + 1);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))
    .join('\n');
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const cases: Case[] = [
  [
    'the extension activates on a Python file and registers its commands',
    async () => {
      await open('support_bot.py');
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is installed`);
      await until(async () => (extension.isActive ? true : undefined), 'activation');
      const commands = await vscode.commands.getCommands(true);
      for (const id of ['selectModel', 'countSelection', 'inspectPrompt', 'listPrompts', 'copyTokenIds', 'openVisualizer', 'openVisualizerInEditor']) {
        assert.ok(commands.includes(`promptLens.${id}`), `promptLens.${id} is registered`);
      }
    },
  ],
  [
    'hovering the system prompt shows its token count for gpt-4o and the comparison models',
    async () => {
      const editor = await open('support_bot.py');
      const position = positionOf(editor.document, 'You are Ada');
      const text = await until(async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
        const joined = hoverText(hovers);
        return joined.includes('Prompt Lens') ? joined : undefined;
      }, 'the Prompt Lens hover');
      assert.match(text, /GPT-4o \| \d[\d,]* \| \$0\.\d{4} \| /);
      assert.match(text, /≈\d/, 'an approximate comparison count is marked');
    },
  ],
  [
    'hovering an f-string shows its static prefix and dynamic parts',
    async () => {
      const editor = await open('support_bot.py');
      const position = positionOf(editor.document, 'Today is');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
      const text = hoverText(hovers);
      assert.match(text, /Static prefix: \*\*\d+ tokens\*\* before `\{datetime\.now\(\):%Y-%m-%d\}`/);
      assert.match(text, /Dynamic parts \(3\)/);
    },
  ],
  [
    'every prompt in the TypeScript example gets a code lens with tokens, model and cost',
    async () => {
      const editor = await open('release_notes.ts');
      const lenses = await until(async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
        const titles = found.map((lens) => lens.command?.title ?? '').filter((title) => title.includes('tokens'));
        return titles.length >= 4 ? titles : undefined;
      }, 'four code lenses');
      for (const title of lenses) assert.match(title, /^\d[\d,]* tokens · gpt-4o · (<?\$\d|no price)/);
      assert.ok(lenses.some((title) => /static prefix \d/.test(title)), 'a template literal shows its static prefix');
    },
  ],
  [
    'the messages of a JSONL request log get code lenses',
    async () => {
      const editor = await open('logs/requests.jsonl');
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
      assert.ok(lenses.length > 0, 'the log’s messages are prompts');
    },
  ],
];

export async function runSuite(log: (line: string) => void = console.log): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const [name, body] of cases) {
    const started = Date.now();
    try {
      await body();
      results.push({ name, ok: true, ms: Date.now() - started });
      log(`ok - ${name}`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.push({ name, ok: false, error: message, ms: Date.now() - started });
      log(`not ok - ${name}\n${message}`);
    }
  }
  return results;
}
