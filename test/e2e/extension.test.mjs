// End-to-end: Prompt Lens in a real VS Code (code-server) driven through Chromium, on the examples folder.
// Expected numbers come from the CLI (`dist/cli.js scan --json`), so this also proves that the editor and
// the CLI print the same counts. Screenshots land in test-results/e2e/prompt-lens-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  clearClipboard,
  clipboardText,
  codeLensTexts,
  goTo,
  hoverAt,
  openFile,
  quickPickItems,
  runCommand,
  startVSCode,
  statusBarText,
} from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = path.join(root, 'examples');
const STATUS_ITEM = 'prompt-lens.prompt-lens.promptLens.tokens';
const integrationResults = path.join(os.tmpdir(), `prompt-lens-integration-${process.pid}.json`);

/** What the CLI reports, keyed by `file:line` (1-based line). */
function cliScan(file, model = 'gpt-4o') {
  const output = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'scan', file, '--json', '--model', model], { cwd: root, encoding: 'utf8' });
  return JSON.parse(output).prompts;
}

function cliCount(text, model = 'gpt-4o') {
  const output = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'count', '--json', '--model', model], { input: text, encoding: 'utf8' });
  return JSON.parse(output).tokens;
}

const tokens = (n) => `${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}`;

let vscode;

/** Waits for a notification toast containing `text` (older toasts may still be on screen). */
async function notification(text) {
  await vscode.page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: text }).first().waitFor();
}

before(async () => {
  vscode = await startVSCode({
    name: 'prompt-lens',
    extensionDevelopmentPath: root,
    extraExtensions: [path.join(root, 'dist', 'test-driver')],
    workspace: examples,
    waitForActivation: false,
    env: { PROMPT_LENS_INTEGRATION_RESULTS: integrationResults },
  });
  await openFile(vscode.page, 'support_bot.py');
  await vscode.waitForActivation();
});

after(async () => {
  await vscode?.close();
  fs.rmSync(integrationResults, { force: true });
});

test('code lenses above each prompt show tokens, model, cost and static prefix, as the CLI counts them', async () => {
  const expected = cliScan('examples/support_bot.py').map((prompt) => {
    const dynamic = prompt.segments.some((segment) => segment.kind === 'dynamic');
    return `${tokens(prompt.tokens)} · gpt-4o · ${prompt.cost < 0.0001 ? '<$0.0001' : `$${prompt.cost.toFixed(4)}`}${dynamic ? ` · static prefix ${prompt.staticPrefixTokens}` : ''}`;
  });
  // VS Code resolves a line's lenses only once scrolling rests there: show each prompt until its count is drawn.
  for (const [i, prompt] of cliScan('examples/support_bot.py').entries()) {
    await goTo(vscode.page, prompt.range.start.line + 1);
    await vscode.page.locator('.codelens-decoration').filter({ hasText: expected[i] }).first().waitFor({ timeout: 30_000 });
  }
  const lenses = await codeLensTexts(vscode.page, { expectAtLeast: 0 });
  await vscode.screenshot('code-lens');
  // A prompt long enough to cache adds ` | cacheable prefix …` on the same row (test/e2e/cache.test.mjs checks it).
  assert.deepEqual(lenses.map((text) => text.replace(/\s+/g, ' ').split(' | ')[0]), expected);
});

test('hovering the system prompt shows counts for gpt-4o and the comparison models, approximate ones marked', async () => {
  const [systemPrompt] = cliScan('examples/support_bot.py');
  const text = await hoverAt(vscode.page, 11, 10);
  await vscode.screenshot('hover-system-prompt');
  assert.match(text, /Prompt Lens/);
  assert.match(text, new RegExp(`GPT-4o\\s+${systemPrompt.tokens}\\s+\\$0\\.0002`));
  const claude = cliScan('examples/support_bot.py', 'claude-sonnet-4-5')[0].tokens;
  assert.match(text, new RegExp(`Claude Sonnet 4\\.5\\s+≈${claude}\\s`));
  assert.match(text, /approximate|≈ Claude/);
});

test('hovering an f-string names its static prefix and its dynamic parts', async () => {
  const userMessage = cliScan('examples/support_bot.py').find((prompt) => prompt.role === 'user');
  const text = await hoverAt(vscode.page, userMessage.range.start.line + 1, userMessage.range.start.character + 5);
  await vscode.screenshot('hover-f-string');
  assert.match(text, new RegExp(`Static prefix: ${userMessage.staticPrefixTokens} tokens before\\s+\\{datetime\\.now\\(\\):%Y-%m-%d\\}`));
  assert.match(text, /Dynamic parts \(3\)/);
});

test('the status bar shows the tokens of the prompt under the cursor and the active model', async () => {
  const [systemPrompt] = cliScan('examples/support_bot.py');
  await goTo(vscode.page, 12, 5);
  const expected = `${tokens(systemPrompt.tokens)} · gpt-4o`;
  await vscode.page.locator(`.statusbar-item[id="${STATUS_ITEM}"]`).filter({ hasText: expected }).waitFor();
  await vscode.screenshot('status-bar');
  assert.match(await statusBarText(vscode.page, STATUS_ITEM), new RegExp(expected));
});

test('Copy Token IDs copies the active model’s ids of the prompt under the cursor', async () => {
  const [systemPrompt] = cliScan('examples/support_bot.py');
  await goTo(vscode.page, 12, 5);
  await clearClipboard(vscode.page);
  await runCommand(vscode.page, 'Prompt Lens: Copy Token IDs');
  const ids = JSON.parse(await clipboardText(vscode.page));
  assert.equal(ids.length, systemPrompt.tokens);
  assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0));
  await notification(`copied ${systemPrompt.tokens} token IDs of the prompt`);
});

test('Count Tokens in Selection counts the whole document when nothing is selected', async () => {
  const expected = cliCount(fs.readFileSync(path.join(examples, 'support_bot.py'), 'utf8'));
  await goTo(vscode.page, 1, 1);
  await runCommand(vscode.page, 'Prompt Lens: Count Tokens in Selection');
  await notification(`Document: ${tokens(expected)} for gpt-4o`);
  await vscode.screenshot('count-document');
});

test('Inspect Prompt at Cursor lists the counts, the static prefix and each dynamic part', async () => {
  const userMessage = cliScan('examples/support_bot.py').find((prompt) => prompt.role === 'user');
  await goTo(vscode.page, userMessage.range.start.line + 1, userMessage.range.start.character + 5);
  await runCommand(vscode.page, 'Prompt Lens: Inspect Prompt at Cursor');
  const items = await quickPickItems(vscode.page);
  await vscode.screenshot('inspect-prompt');
  await vscode.page.keyboard.press('Escape');
  assert.ok(items.some((item) => item.includes(`${tokens(userMessage.tokens)}`)), items.join(' | '));
  assert.ok(items.some((item) => item.includes(`static prefix ${tokens(userMessage.staticPrefixTokens)}`)), items.join(' | '));
  for (const dynamic of ['{datetime.now():%Y-%m-%d}', '{user_name}', '{question}']) {
    assert.ok(items.some((item) => item.includes(dynamic)), `${dynamic} in ${items.join(' | ')}`);
  }
});

test('List Prompts in Workspace finds every prompt the CLI finds and jumps to the one picked', async () => {
  const all = cliScan('examples');
  await runCommand(vscode.page, 'Prompt Lens: List Prompts in Workspace');
  const title = vscode.page.locator('.quick-input-widget .quick-input-title');
  await title.filter({ hasText: `${all.length} prompts in` }).waitFor({ timeout: 30_000 });
  const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill('triage.prompty');
  await vscode.screenshot('list-prompts');
  const items = await quickPickItems(vscode.page);
  assert.ok(items.some((item) => item.startsWith('prompts/triage.prompty:13')), items.join(' | '));
  await vscode.page.keyboard.press('Enter');
  await vscode.page.locator('.tabs-container .tab.active[data-resource-name="triage.prompty"]').waitFor();
});

test('the extension-host integration suite passes inside code-server', async () => {
  await runCommand(vscode.page, 'Prompt Lens Test: Run Prompt Lens Integration Suite');
  const deadline = Date.now() + 120_000;
  while (!fs.existsSync(integrationResults) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  const results = JSON.parse(fs.readFileSync(integrationResults, 'utf8'));
  const failures = results.filter((result) => !result.ok);
  assert.equal(failures.length, 0, failures.map((failure) => `${failure.name}: ${failure.error}`).join('\n\n'));
  assert.ok(results.length >= 5);
});

test('Select Model switches the active model, and the status bar follows', async () => {
  await runCommand(vscode.page, 'Prompt Lens: Select Model');
  const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
  await input.fill('gpt-4o-mini');
  const items = await quickPickItems(vscode.page);
  await vscode.screenshot('select-model');
  assert.ok(items.some((item) => item.includes('GPT-4o mini')), items.join(' | '));
  await vscode.page.keyboard.press('Enter');
  await vscode.page.locator(`.statusbar-item[id="${STATUS_ITEM}"]`).filter({ hasText: 'gpt-4o-mini' }).waitFor();
  await vscode.screenshot('status-bar-gpt-4o-mini');
});
