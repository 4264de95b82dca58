// End-to-end: the visualizer's model tabs (Attention, Embedding, Prefix) in a real VS Code (code-server) driven
// through Chromium, on the model bundled in media/model, loaded offline. Screenshots land in
// test-results/e2e/visualizer-model-*.png.
//
// Selectors of the app this test relies on (see /work/notes/model-ui.md): the tabs `[role="tab"]` named
// "Attention", "Embedding", "Prefix"; each panel's root `.model-view` (`.attention-view`, `.embedding-view`,
// `.prefix-view`) with `data-state` = idle|loading|ready|error|disabled|empty; its status line `.model-status`;
// `canvas.attention-heatmap` (`data-layer`, `data-head` = head index | mean | max, `data-n` = tokens drawn);
// `canvas.embedding-plot` (`data-layer`, `data-points`); `canvas.prefix-plot` (`data-common`); `.model-tooltip`.
//
// Attention weights, points and prefix series travel as Float32Arrays: the webview drops a message whose arrays
// did not arrive as typed arrays, so every drawn view also checks that they crossed postMessage intact.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { goTo, notificationTexts, runCommand, useVSCode } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = path.join(root, 'examples');
// Loading ONNX Runtime and the model on a busy 2-core CI machine, plus the first pass.
const MODEL_READY_MS = 90_000;

/** The VS Code under test: one per describe block below. */
let vscode;
/** Tokens the model analysed for the prompt (from the heatmap), compared with the other views. */
let analysedTokens;

function app() {
  return vscode.page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

/** The first column's token count in the Tokens tab, once drawn. */
const tokenCount = () => app().locator('.column-head').first().locator('.stats dd').first().filter({ hasText: /\d/ });

async function openTab(name) {
  const tab = app().getByRole('tab', { name, exact: true });
  await tab.waitFor({ timeout: MODEL_READY_MS });
  await tab.click();
  assert.equal(await tab.getAttribute('aria-selected'), 'true');
}

/** Waits for a model panel to be drawn; on an error state, fails with the status line's text. */
async function waitReady(panelClass) {
  const panel = app().locator(`.model-view.${panelClass}`);
  await panel.locator('xpath=self::*[@data-state="ready" or @data-state="error" or @data-state="disabled" or @data-state="empty"]').waitFor({ timeout: MODEL_READY_MS });
  const state = await panel.getAttribute('data-state');
  const status = await panel.locator('.model-status').innerText();
  assert.equal(state, 'ready', `${panelClass} is ${state}: ${status}`);
  return { panel, status };
}

describe('the bundled model', () => {
  // The default, written out: the model must come from the extension's own folder, with no download.
  useVSCode(
    { name: 'visualizer-model', extensionDevelopmentPath: root, workspace: examples, settings: { 'promptLens.localModel.allowNetwork': false } },
    'support_bot.py',
    (session) => (vscode = session),
  );

  test('the Attention tab loads the bundled model offline and draws a heatmap of the prompt under the cursor', async () => {
    // Line 25: the user message `f"Today is {datetime.now():%Y-%m-%d}. My name is {user_name}.\n\nQuestion: {question}"`.
    await goTo(vscode.page, 25, 40);
    await runCommand(vscode.page, 'Prompt Lens: Open Visualizer in Editor');
    // The token view first (its tokenizers load on the same thread), so the time below is the model tab's own.
    await tokenCount().waitFor({ timeout: MODEL_READY_MS });
    const started = Date.now();
    await openTab('Attention');
    const { panel, status } = await waitReady('attention-view');
    const firstHeatmapMs = Date.now() - started;
    // The status line names the model and where it came from; nothing was downloaded.
    assert.match(status, /^bundled model · 4 layers × 4 heads: Loaded offline from the bundled folder in [\d,]+ ms\.$/);
    const loadMs = Number(/in ([\d,]+) ms/.exec(status)[1].replace(/,/g, ''));

    const heatmap = panel.locator('canvas.attention-heatmap');
    const layer = await heatmap.getAttribute('data-layer');
    const head = await heatmap.getAttribute('data-head');
    analysedTokens = Number(await heatmap.getAttribute('data-n'));
    assert.match(layer, /^[0-3]$/);
    assert.match(head, /^([0-3]|mean|max)$/);
    // The f-string as the model's tokenizer splits it: tens of tokens, far below the 512-token window.
    assert.ok(analysedTokens > 20 && analysedTokens < 512, `n = ${analysedTokens}`);
    const box = await heatmap.boundingBox();
    assert.ok(box && box.width >= 200 && box.height >= 200, `heatmap of ${box?.width}×${box?.height}`);
    console.log(`# model views: extension-host load ${loadMs} ms; tab click to first heatmap ${firstHeatmapMs} ms (${analysedTokens} tokens)`);
    await vscode.screenshot('attention');

    // Hovering a cell below the diagonal names the query token, the key token and the weight.
    const tooltip = app().locator('.attention-view .model-tooltip');
    let text = '';
    for (const [x, y] of [[0.3, 0.8], [0.2, 0.6], [0.4, 0.9], [0.15, 0.4]]) {
      await vscode.page.mouse.move(box.x + box.width * x, box.y + box.height * y);
      if (await tooltip.isVisible()) {
        text = await tooltip.innerText();
        if (/query/i.test(text)) break;
      }
    }
    assert.match(text, /query/i, `tooltip: ${text}`);
    assert.match(text, /key/i, `tooltip: ${text}`);
    assert.match(text, /\d\.\d/, `a weight in the tooltip: ${text}`);
    await vscode.screenshot('attention-tooltip');
    await vscode.page.mouse.move(5, 5);
  });

  test('the Embedding tab plots one point per analysed token', async () => {
    await openTab('Embedding');
    const { panel } = await waitReady('embedding-view');
    const plot = panel.locator('canvas.embedding-plot');
    await plot.locator('xpath=self::*[@data-points]').waitFor();
    assert.equal(Number(await plot.getAttribute('data-points')), analysedTokens);
    assert.match(await plot.getAttribute('data-layer'), /^[0-4]$/);
    const box = await plot.boundingBox();
    assert.ok(box && box.width >= 200 && box.height >= 150, `plot of ${box?.width}×${box?.height}`);
    await vscode.screenshot('embedding');
  });

  test('the Prefix tab compares two values of a dynamic part and shows the prefill measured with and without the shared prefix', async () => {
    await openTab('Prefix');
    const { panel } = await waitReady('prefix-view');
    const plot = panel.locator('canvas.prefix-plot');
    await plot.locator('xpath=self::*[@data-common]').waitFor({ timeout: MODEL_READY_MS });
    // "Today is " is static: the two fillings of the first dynamic part share at least its tokens.
    const common = Number(await plot.getAttribute('data-common'));
    assert.ok(common >= 1 && common < analysedTokens, `common prefix ${common}`);
    const timings = [...(await panel.innerText()).matchAll(/(\d+(?:\.\d+)?)\s?ms\b/g)].map((match) => Number(match[1]));
    assert.ok(timings.length >= 2, `two prefill times on the tab: ${await panel.innerText()}`);
    assert.ok(timings.every((ms) => ms > 0), `timings ${timings}`);
    await vscode.screenshot('prefix');
  });

  test('back on the Tokens tab the token columns are drawn again (the model tabs sent the prompt without them)', async () => {
    await openTab('Tokens');
    await tokenCount().waitFor({ timeout: MODEL_READY_MS });
    assert.match(await tokenCount().innerText(), /^\d+ tokens$/);
    assert.equal(await app().locator('.model-view.attention-view').isVisible(), false);
  });

  test('nothing was downloaded: no download notification, and the log names the bundled folder', async () => {
    const toasts = await notificationTexts(vscode.page, { expectAtLeast: 0 });
    assert.ok(!toasts.some((text) => /download/i.test(text)), `notifications: ${toasts.join(' | ')}`);
    await runCommand(vscode.page, 'Output: Show Output Channels...');
    const row = vscode.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: /^Prompt Lens$/ }).first();
    await row.click();
    const output = vscode.page.locator('.part.panel .output .view-lines, .part.panel [id="workbench.panel.output"] .view-lines').first();
    await output.filter({ hasText: 'model: ready' }).waitFor({ timeout: MODEL_READY_MS });
    const log = (await output.innerText()).replace(/\u00a0/g, ' ');
    assert.match(log, /model: loading the bundled model from \S+media\/model/);
    assert.doesNotMatch(log, /downloading/i);
    await vscode.screenshot('output');
  });
});

describe('a Hugging Face id in the settings', () => {
  useVSCode(
    { name: 'visualizer-model-hub', extensionDevelopmentPath: root, workspace: examples, settings: { 'promptLens.localModel.id': 'someone/gpt2-lens', 'promptLens.localModel.allowNetwork': false } },
    'support_bot.py',
    (session) => (vscode = session),
  );

  test('asks before any download, and a declined download leaves the model tabs off with the reason', async () => {
    await goTo(vscode.page, 25, 40);
    await runCommand(vscode.page, 'Prompt Lens: Open Visualizer in Editor');
    await openTab('Attention');
    const dialog = vscode.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: MODEL_READY_MS });
    assert.match(await dialog.innerText(), /download the model someone\/gpt2-lens from huggingface\.co\?/);
    await vscode.screenshot('consent');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    const panel = app().locator('.model-view.attention-view[data-state="disabled"]');
    await panel.waitFor({ timeout: MODEL_READY_MS });
    assert.match(await panel.locator('.model-status').innerText(), /^someone\/gpt2-lens: The model is not on this machine, and downloading it was not allowed\./);
    await vscode.screenshot('declined');
  });
});
