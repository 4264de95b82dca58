// End-to-end: the visualizer's Cache tab in a real VS Code (code-server) driven through Chromium. The expected
// numbers come from the CLI (`dist/cli.js cache <log> --provider P --json`), so the view and the CLI must agree.
// Screenshots land in test-results/e2e/visualizer-cache-*.png.
//
// Selectors of the app this test relies on: the tab `[role="tab"]` named "Cache"; `.cache-row` (one timeline
// row per turn, `data-turn`, focusable, the figure `.row-figure` = "cached / input"); `.cache-tooltip` (shown on
// hover or focus); `.cost-body .cost-row` (cost table rows, `.cost-cell` cells); `.cost-total`; `.cache-title`;
// `vscode-dropdown` of the provider (options carry the provider name as value); the buttons named
// "Paste conversation…", "Predict", "Follow editor"; the textarea named "Conversation to analyse".
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openFile, runCommand, useVSCode } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = path.join(root, 'examples');
// The first prediction loads the tokenizers of the log's models (o200k and the Claude tokenizer).
const FIRST_RENDER_MS = 90_000;

let vscode;

function cliCache(file, provider) {
  const output = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'cache', file, '--provider', provider, '--json'], { cwd: root, encoding: 'utf8' });
  return JSON.parse(output);
}

// The CLI's number conventions, written out here so the test does not share code with the view it checks.
const count = (value) => new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(value);
function tokens(range, certainty = 'exact') {
  if (range.min === range.max) return certainty === 'eligible' && range.max > 0 ? `≤${count(range.max)}` : count(range.max);
  return `${count(range.min)}–${count(range.max)}`;
}
function usd(value) {
  if (value === undefined) return 'no price';
  if (value === 0) return '$0';
  if (value < 0.0001) return '<$0.0001';
  return value < 1 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

function app() {
  return vscode.page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

const rows = () => app().locator('.cache-row');

/** Timeline figures and cost-table cells, by turn, as drawn. */
async function drawnTurns() {
  const figures = await rows().evaluateAll((nodes) => nodes.map((node) => [Number(node.dataset.turn), node.querySelector('.row-figure').textContent]));
  const cells = await app()
    .locator('.cost-body .cost-row')
    .evaluateAll((nodes) => nodes.map((node) => [...node.querySelectorAll('.cost-cell')].map((cell) => cell.textContent)));
  return { figures: figures.sort((a, b) => a[0] - b[0]), cells: cells.sort((a, b) => Number(a[0]) - Number(b[0])) };
}

function expectedTurns(cli) {
  return {
    figures: cli.turns.map((turn) => [turn.turn, `${tokens(turn.cached, turn.certainty)} / ${count(turn.inputTokens)}`]),
    cells: cli.turns.map((turn) => [String(turn.turn), usd(turn.cost.withoutCache), count(turn.inputTokens), tokens(turn.cached, turn.certainty), tokens(turn.written), tokens(turn.uncached)]),
  };
}

/** Compares the drawn turns with the CLI's (cost cells: turn, without cache, input, cached, written, uncached). */
async function assertMatchesCli(cli) {
  await rows().nth(cli.turns.length - 1).waitFor({ timeout: FIRST_RENDER_MS });
  const drawn = await drawnTurns();
  const expected = expectedTurns(cli);
  assert.deepEqual(drawn.figures, expected.figures);
  assert.deepEqual(drawn.cells.map((cells) => [cells[0], cells[2], ...cells.slice(4, 8)]), expected.cells);
  const total = await app().locator('.cost-total .cost-cell').allTextContents();
  assert.equal(total[2], usd(cli.summary.cost.withoutCache));
  assert.equal(total[4], count(cli.summary.inputTokens));
}

async function pickProvider(name) {
  const dropdown = app().locator('.cache-toolbar vscode-dropdown');
  await dropdown.click();
  await dropdown.locator(`vscode-option[value="${name}"]`).click();
}

useVSCode({ name: 'visualizer-cache', extensionDevelopmentPath: root, workspace: examples }, 'logs/requests.jsonl', (session) => (vscode = session));

test('the Cache tab shows one row per logged request, with the CLI’s numbers', async () => {
  await runCommand(vscode.page, 'Prompt Lens: Open Visualizer in Editor');
  const cacheTab = app().getByRole('tab', { name: 'Cache', exact: true });
  await cacheTab.waitFor({ timeout: FIRST_RENDER_MS });
  await cacheTab.click();
  await app().locator('.cache-title').filter({ hasText: 'requests.jsonl' }).waitFor({ timeout: FIRST_RENDER_MS });
  // The log's first model is GPT-4o: OpenAI's rules until another provider is picked.
  assert.equal(await app().locator('.cache-toolbar vscode-dropdown').evaluate((node) => node.value), 'openai');
  await assertMatchesCli(cliCache('examples/logs/requests.jsonl', 'openai'));
  assert.equal(await rows().count(), 3);
  await vscode.screenshot('log');
});

test('hovering a row shows the reused prefix and the first divergence; rows take the keyboard focus', async () => {
  const cli = cliCache('examples/logs/requests.jsonl', 'openai');
  const second = cli.turns[1];
  await rows().nth(1).hover();
  const tooltip = app().locator('.cache-tooltip');
  await tooltip.waitFor({ state: 'visible' });
  const text = await tooltip.innerText();
  assert.match(text, /^Turn 2 · line 2/);
  assert.ok(text.includes(`${count(second.reusedPrefix)} tokens of turn ${second.reusedFrom}`), text);
  if (second.divergence) assert.ok(text.includes(`First divergent token: ${count(second.divergence.tokenIndex)}`), text);
  await vscode.screenshot('tooltip');

  await rows().first().focus();
  await vscode.page.keyboard.press('ArrowDown');
  const focused = app().locator('.cache-row:focus');
  assert.equal(await focused.getAttribute('data-turn'), '2');
  assert.match(await focused.getAttribute('aria-label'), /^Turn 2; \S+ input tokens; /);
  await vscode.page.keyboard.press('Escape');
});

// A log whose requests share a long system prompt: OpenAI caches its prefix without being asked; Anthropic caches
// nothing without a cache_control breakpoint. Pasted into the view, and written to a file for the CLI.
const SYSTEM = 'You are the support assistant for Northwind Cloud. Answer from the runbook below.\n' + 'Runbook step: check the deployment status page, then the billing queue. '.repeat(120);
const LONG_LOG = [
  [{ role: 'user', content: 'How do I rotate my API key?' }],
  [{ role: 'user', content: 'How do I rotate my API key?' }, { role: 'assistant', content: 'Settings, API keys, Rotate.' }, { role: 'user', content: 'Does the old key stop at once?' }],
  [{ role: 'user', content: 'How do I rotate my API key?' }, { role: 'assistant', content: 'Settings, API keys, Rotate.' }, { role: 'user', content: 'Does the old key stop at once?' }, { role: 'assistant', content: 'After 24 hours.' }, { role: 'user', content: 'Thanks!' }],
]
  .map((messages, index) => JSON.stringify({ timestamp: `2026-11-20T09:1${index}:00Z`, request: { model: 'gpt-4o', messages: [{ role: 'system', content: SYSTEM }, ...messages] } }))
  .join('\n');

test('a pasted log is predicted instead of the editor’s; switching the provider changes the numbers to the CLI’s for it', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prompt-lens-cache-e2e-')), 'long.jsonl');
  fs.writeFileSync(file, LONG_LOG);
  await app().getByRole('button', { name: /Analyse a conversation or request log pasted here/ }).click();
  await app().getByRole('textbox', { name: 'Conversation to analyse' }).fill(LONG_LOG);
  await app().getByRole('button', { name: /Predict the prompt cache for the pasted conversation/ }).click();
  await app().locator('.cache-title').filter({ hasText: 'pasted conversation' }).waitFor({ timeout: FIRST_RENDER_MS });
  const openai = cliCache(file, 'openai');
  assert.ok(openai.turns[1].cached.max >= 1024, 'OpenAI caches the shared system prompt');
  await assertMatchesCli(openai);
  const openaiDrawn = await drawnTurns();
  await vscode.screenshot('pasted-openai');

  await pickProvider('anthropic');
  const anthropic = cliCache(file, 'anthropic');
  await app().locator('.cache-detail').filter({ hasText: anthropic.profile.label }).waitFor({ timeout: FIRST_RENDER_MS });
  await assertMatchesCli(anthropic);
  assert.notDeepEqual((await drawnTurns()).figures, openaiDrawn.figures);
  await rows().nth(1).hover();
  const second = anthropic.turns[1];
  assert.ok((await app().locator('.cache-tooltip').innerText()).includes(`cached\n${tokens(second.cached, second.certainty)}`), 'the tooltip shows the new rules’ numbers');
  await vscode.screenshot('pasted-anthropic');
  await pickProvider('openai');
  await app().locator('.cache-detail').filter({ hasText: openai.profile.label }).waitFor();

  await app().getByRole('button', { name: /Show the conversation of the active editor again/ }).click();
  await app().locator('.cache-title').filter({ hasText: 'requests.jsonl' }).waitFor({ timeout: FIRST_RENDER_MS });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

test('a messages file becomes one turn per assistant reply', async () => {
  // Opened in the editor group beside the panel, not over it.
  await runCommand(vscode.page, 'View: Focus First Editor Group');
  await openFile(vscode.page, 'conversation.json');
  await app().locator('.cache-title').filter({ hasText: 'conversation.json' }).waitFor({ timeout: FIRST_RENDER_MS });
  await rows().nth(1).waitFor();
  assert.equal(await rows().count(), 2);
  assert.match(await rows().nth(1).getAttribute('aria-label'), /reuses \S+ tokens of turn 1/);
  await vscode.screenshot('conversation');
});

test('the Tokens tab comes back with its prompt view, and the Cache tab is hidden', async () => {
  await app().getByRole('tab', { name: 'Tokens', exact: true }).click();
  await app().locator('.token-panel .title').waitFor({ state: 'visible' });
  assert.equal(await app().locator('.cache-view').isVisible(), false);
  assert.equal(await app().getByRole('tab', { name: 'Tokens', exact: true }).getAttribute('aria-selected'), 'true');
});
