// Proves the end-to-end harness on its own, with a throwaway extension written here, so that a failure in the
// Prompt Lens e2e tests points at the extension and not at code-server, Chromium or the harness.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  clearClipboard,
  clipboardText,
  codeLensTexts,
  hoverAt,
  notificationTexts,
  openFile,
  quickPickItems,
  runCommand,
  startVSCode,
  statusBarText,
  visibleEditorText,
} from './harness.mjs';

const extensionSource = `
const vscode = require('vscode');
exports.activate = (context) => {
  context.subscriptions.push(
    vscode.languages.registerHoverProvider('plaintext', {
      provideHover: (document, position) =>
        new vscode.Hover('SMOKE HOVER at ' + (position.line + 1) + ':' + (position.character + 1)),
    }),
    vscode.languages.registerCodeLensProvider('plaintext', {
      provideCodeLenses: (document) =>
        [0, document.lineCount - 1].map((line, index) =>
          new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: 'smoke lens ' + (index + 1), command: '' })),
    }),
    vscode.commands.registerCommand('smoke.greet', () => vscode.window.showInformationMessage('Hello from the smoke test')),
    vscode.commands.registerCommand('smoke.copy', () => vscode.env.clipboard.writeText('copied by smoke')),
    vscode.commands.registerCommand('smoke.pick', () => vscode.window.showQuickPick(['first pick', 'second pick'])),
  );
  const item = vscode.window.createStatusBarItem('smoke.status', vscode.StatusBarAlignment.Right, 1000);
  item.text = 'SMOKE STATUS';
  item.show();
  context.subscriptions.push(item);
};
`;

const extensionManifest = {
  name: 'smoke',
  publisher: 'prompt-lens-test',
  version: '0.0.1',
  engines: { vscode: '^1.90.0' },
  main: './dist/extension.js',
  activationEvents: ['onStartupFinished'],
  contributes: {
    commands: [
      { command: 'smoke.greet', title: 'Smoke: Greet' },
      { command: 'smoke.copy', title: 'Smoke: Copy' },
      { command: 'smoke.pick', title: 'Smoke: Pick' },
    ],
  },
};

let tempDir;
let vscode;

before(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'prompt-lens-smoke-'));
  const extensionDir = path.join(tempDir, 'extension');
  const workspace = path.join(tempDir, 'workspace');
  await fs.mkdir(path.join(extensionDir, 'dist'), { recursive: true });
  await fs.writeFile(path.join(extensionDir, 'package.json'), JSON.stringify(extensionManifest));
  await fs.writeFile(path.join(extensionDir, 'dist', 'extension.js'), extensionSource);
  await fs.mkdir(path.join(workspace, 'notes'), { recursive: true });
  const longText = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join('\n');
  await fs.writeFile(path.join(workspace, 'notes', 'hello.txt'), `hello world\n${longText}\n`);

  const startedAt = Date.now();
  vscode = await startVSCode({ extensionDevelopmentPath: extensionDir, workspace, name: 'smoke' });
  console.log(`# VS Code workbench ready in ${Date.now() - startedAt} ms`);
});

after(async () => {
  await vscode?.close();
  if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
});

test('the extension hover shows on a plaintext file', async () => {
  const { page, screenshot } = vscode;
  await openFile(page, 'notes/hello.txt');
  assert.match(await visibleEditorText(page), /^hello world\nline 1\n/);
  const hover = await hoverAt(page, 1, 7);
  await screenshot('hover');
  assert.match(hover, /SMOKE HOVER at 1:7/);
});

test('the extension status bar item shows its text', async () => {
  assert.equal(await statusBarText(vscode.page, `${vscode.extensionId}.smoke.status`), 'SMOKE STATUS');
  assert.equal(await statusBarText(vscode.page, 'SMOKE STATUS'), 'SMOKE STATUS');
});

test('a command run from the palette shows its message', async () => {
  const { page, screenshot } = vscode;
  await runCommand(page, 'Smoke: Greet');
  assert.ok((await notificationTexts(page)).includes('Hello from the smoke test'));
  await screenshot('notification');
});

test('code lenses are collected from the whole file, including lines scrolled out of view', async () => {
  const { page, screenshot } = vscode;
  await openFile(page, 'notes/hello.txt');
  assert.deepEqual(await codeLensTexts(page, { expectAtLeast: 1 }), ['smoke lens 1', 'smoke lens 2']);
  await screenshot('codelens');
});

test('a quick pick lists its items', async () => {
  const { page, screenshot } = vscode;
  await runCommand(page, 'Smoke: Pick');
  assert.deepEqual(await quickPickItems(page), ['first pick', 'second pick']);
  await screenshot('quickpick');
  await page.keyboard.press('Escape');
});

test('what a command copies can be read from the clipboard', async () => {
  await clearClipboard(vscode.page);
  await runCommand(vscode.page, 'Smoke: Copy');
  assert.equal(await clipboardText(vscode.page), 'copied by smoke');
});
