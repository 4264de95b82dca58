// End-to-end: the editor's prompt-cache features in a real VS Code (code-server) through Chromium: the cache line
// of the code lens, the cache warnings and their quick fix. Expected numbers come from the core itself
// (test/e2e/cache-expected.ts, run under tsx), with the extension's default settings (gpt-4o, provider auto).
// Screenshots land in test-results/e2e/prompt-lens-cache-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { clearClipboard, clipboardText, codeLensTexts, goTo, hoverAt, openFile, runCommand, startVSCode } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// A copy of examples/: the quick fix changes a file, and VS Code saves refactored files (files.refactoring.autoSave).
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-cache-'));
fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });

/** The core's lenses and warnings for workspace files, see cache-expected.ts. */
function corePredictions(files) {
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'test/e2e/cache-expected.ts'), ...files], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output);
}

const count = (n) => n.toLocaleString('en-US');
const range = ({ min, max }) => (min === max ? count(max) : `${count(min)}–${count(max)}`);

/** The cache line as the issue spells it; when nothing is cached a short reason in brackets may follow. */
function lensPattern(lens) {
  const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const head = escape(`cacheable prefix ${count(lens.cacheablePrefixTokens)} tok → ${range(lens.cached)} cached on OpenAI`);
  const reason = lens.cached.max === 0 ? '( \\([^)]+\\))?' : '';
  const dynamic = lens.firstDynamic ? escape(` · first dynamic part at token ${count(lens.firstDynamic.tokenIndex)}: `) + '.+' : '';
  return new RegExp(`^${head}${reason}${dynamic}$`);
}

/** Applies a fix's edits (non-overlapping) to a text, last first so earlier offsets stay valid. */
function applyEdits(text, edits) {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = ({ line, character }) => lineStarts[line] + character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}

let vscode;
/** The example with a warning the quick fix can repair: whatever examples/ holds when the test runs. */
let example;

/** The whole text of the active editor, through the clipboard (exact, unlike the rendered lines). */
async function editorText() {
  await goTo(vscode.page, 1, 1);
  await clearClipboard(vscode.page);
  await vscode.page.keyboard.press('Control+A');
  await vscode.page.keyboard.press('Control+C');
  return clipboardText(vscode.page);
}

before(async () => {
  const sources = fs.readdirSync(workspace).filter((name) => /\.(py|ts)$/.test(name));
  example = corePredictions(sources.map((name) => path.join(workspace, name))).find((file) => file.warnings.some((warning) => warning.fix));
  assert.ok(example, `no example in examples/ (${sources.join(', ')}) has a cache warning with a fix`);
  vscode = await startVSCode({ name: 'prompt-lens-cache', extensionDevelopmentPath: root, workspace, waitForActivation: false });
  await openFile(vscode.page, path.basename(example.file));
  await vscode.waitForActivation();
});

after(async () => {
  await vscode?.close();
  fs.rmSync(workspace, { recursive: true, force: true });
});

test('the cache line of the code lens shows the cacheable prefix, what OpenAI caches and the first dynamic part, as the core predicts', async () => {
  assert.ok(example.lenses.length > 0, `${path.basename(example.file)} has a prompt long enough to cache`);
  // VS Code resolves lenses only once scrolling rests (a debounce of some 300 ms), and a line's lenses together:
  // show each cached prompt until its line is resolved, then read every line of the file.
  for (const lens of example.lenses) {
    await goTo(vscode.page, lens.line + 1);
    const resolved = vscode.page.locator('.codelens-decoration').filter({ hasText: `cacheable prefix ${count(lens.cacheablePrefixTokens)} tok` });
    await resolved.first().waitFor({ timeout: 30_000 });
  }
  await vscode.screenshot('code-lens');
  const lines = (await codeLensTexts(vscode.page)).map((line) => line.replace(/\s+/g, ' '));
  // VS Code shows all lenses of a line in one row: the count, then ` | `, then the cache line.
  const cacheLines = lines.filter((line) => line.includes('cacheable prefix')).map((line) => line.slice(line.indexOf('cacheable prefix')));
  assert.equal(cacheLines.length, example.lenses.length, cacheLines.join('\n'));
  example.lenses.forEach((lens, i) => assert.match(cacheLines[i], lensPattern(lens)));
  for (const line of lines.filter((text) => text.includes('cacheable prefix'))) assert.match(line, /^[\d,]+ tokens · gpt-4o · .+ \| cacheable prefix/);
});

test('a cache-busting pattern is a warning with the tokens per call it moves out of cache and their cost at 1,000 calls a day', async () => {
  const warning = example.warnings.find((candidate) => candidate.fix);
  assert.ok(warning.message.includes(`${count(warning.tokensPerCall)} tokens per call`), warning.message);
  assert.ok(warning.costPerDay !== undefined && warning.message.includes('/day at 1,000 calls/day'), warning.message);
  const hover = await hoverAt(vscode.page, warning.range.start.line + 1, warning.range.start.character + 1);
  await vscode.screenshot('warning-hover');
  assert.ok(hover.includes(warning.message), `hover shows "${warning.message}":\n${hover}`);
  assert.match(hover, new RegExp(`Prompt Lens\\(${warning.kind}\\)`));

  await vscode.page.keyboard.press('Escape');
  await runCommand(vscode.page, 'View: Focus Problems (Errors, Warnings, Infos)');
  const rows = vscode.page.locator('.markers-panel .monaco-list-row');
  await rows.filter({ hasText: warning.message.slice(0, 60) }).first().waitFor();
  await vscode.screenshot('problems-panel');
  const shown = await rows.evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ''));
  for (const expected of example.warnings) {
    assert.ok(shown.some((row) => row.includes(expected.message.slice(0, 60))), `Problems lists "${expected.message}"`);
  }
});

test('the quick fix previews the move and changes nothing until the user applies it', async () => {
  const warning = example.warnings.find((candidate) => candidate.fix);
  const original = fs.readFileSync(example.file, 'utf8');
  await goTo(vscode.page, warning.range.start.line + 1, warning.range.start.character + 1);
  await runCommand(vscode.page, 'Quick Fix...');
  const action = vscode.page.locator('.action-widget .monaco-list-row.action').filter({ hasText: warning.fix.title }).first();
  await action.waitFor();
  await vscode.screenshot('quick-fix-menu');
  // The menu lays a pointer block over the page: pick the action with the keyboard, as the menu's "Enter to Apply" says.
  for (let step = 0; step < 10 && !(await action.evaluate((row) => row.classList.contains('focused'))); step++) {
    await vscode.page.keyboard.press('ArrowDown');
  }
  await vscode.page.keyboard.press('Enter');

  const preview = vscode.page.locator('.bulk-edit-panel');
  await preview.waitFor();
  await vscode.screenshot('quick-fix-preview');
  assert.equal(await editorText(), original, 'the editor is unchanged while the preview is open');
  assert.equal(fs.readFileSync(example.file, 'utf8'), original, 'the file is unchanged while the preview is open');

  // needsConfirmation: the change is listed unticked, and only a ticked change is applied.
  const checkboxes = preview.locator('input.edit-checkbox');
  assert.deepEqual(await checkboxes.evaluateAll((boxes) => boxes.map((box) => box.checked)), [false, false], 'the file and its one change, unticked');
  await checkboxes.first().check();
  await vscode.screenshot('quick-fix-ticked');
  await preview.locator('.monaco-button', { hasText: /^Apply$/ }).click();
  const fixed = applyEdits(original, warning.fix.edits);
  assert.notEqual(fixed, original);
  const deadline = Date.now() + 15_000;
  while (fs.readFileSync(example.file, 'utf8') !== fixed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(await editorText(), fixed, 'the editor holds the fixed text');
  assert.equal(fs.readFileSync(example.file, 'utf8'), fixed, 'VS Code saved the refactored file');

  // The lens follows the edit: the static text now leads, and the core's new numbers show.
  const [after] = corePredictions([example.file]);
  const lens = after.lenses.find((candidate) => candidate.line === example.lenses[0].line);
  assert.ok(lens && lens.cacheablePrefixTokens > example.lenses[0].cacheablePrefixTokens, 'a longer cacheable prefix after the fix');
  await goTo(vscode.page, lens.line + 1);
  const line = vscode.page.locator('.codelens-decoration').filter({ hasText: `cacheable prefix ${count(lens.cacheablePrefixTokens)} tok` }).first();
  await line.waitFor({ timeout: 30_000 });
  await vscode.screenshot('quick-fix-applied');
  assert.match((await line.innerText()).replace(/\s+/g, ' '), new RegExp(lensPattern(lens).source.slice(1)));
});
