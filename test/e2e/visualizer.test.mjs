// End-to-end: the Prompt Lens token visualizer in a real VS Code (code-server) driven through Chromium.
// The expected count comes from the CLI (`dist/cli.js scan --json`), so the view and the CLI must agree.
// Screenshots land in test-results/e2e/visualizer-*.png (one per theme).
//
// Webviews are iframes inside iframes: VS Code's `iframe.webview` hosts `iframe#active-frame`, which holds
// the app (dist/webview/main.js). Selectors of the app this test relies on: `.title` (prompt title),
// `.column-head .stats dd` (first value: the token count), `.token-view .column[data-column="0"] .tok`
// (token pieces, `data-token` = token index; a token wrapped over two rows has two pieces), `.tok.cursor`
// (tokens at the editor cursor), `.tok.active` (the clicked token). Below 520 px (the side bar) one column is
// shown at a time, behind `.tabs [role="tab"]`; column 0 is the first tab.
//
// Token columns travel as Uint32Arrays (protocol 2): the webview drops a message whose arrays did not arrive
// as typed arrays, so every count and token checked here also checks that they cross postMessage intact.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { goTo, runCommand, useVSCode } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const examples = path.join(root, 'examples');
const SELECTION_ITEM = '.statusbar-item[id="status.editor.selection"]';
// The first tokenization with the Hugging Face tokenizers (the comparison columns) loads them: tens of seconds on a slow CI machine.
const FIRST_RENDER_MS = 90_000;

function cliCount(text, model = 'gpt-4o') {
  const output = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'count', '--json', '--model', model], { input: text, encoding: 'utf8' });
  return JSON.parse(output).tokens;
}

function cliScan(file, model = 'gpt-4o') {
  const output = execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'scan', file, '--json', '--model', model], { cwd: root, encoding: 'utf8' });
  return JSON.parse(output).prompts;
}

let vscode;

/** The app inside the visible webview (the side-bar view or the editor panel, whichever is open). */
function app() {
  return vscode.page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('iframe#active-frame');
}

const firstColumnTokens = () => app().locator('.token-view .column[data-column="0"] .tok');

/** Token texts of the first column by token index, from the rendered pieces (only rows near the viewport are rendered). */
async function renderedTokens() {
  return firstColumnTokens().evaluateAll((pieces) => {
    const texts = new Map();
    for (const piece of pieces) {
      const index = Number(piece.dataset.token);
      const label = piece.querySelector('.tid')?.textContent ?? '';
      const text = piece.textContent.slice(0, piece.textContent.length - label.length);
      texts.set(index, (texts.get(index) ?? '') + text);
    }
    return [...texts.entries()].sort((a, b) => a[0] - b[0]);
  });
}

/** The rendered text: a line break is drawn as a space that ends the row, everything else as the prompt's text. */
const joined = (tokens) => tokens.map(([, text]) => text).join('');
const drawn = (text) => text.replace(/\n/g, ' ');

async function firstColumnCount() {
  const count = app().locator('.column-head').first().locator('.stats dd').first();
  await count.filter({ hasText: /\d/ }).waitFor({ timeout: FIRST_RENDER_MS });
  return count.innerText();
}

useVSCode({ name: 'visualizer', extensionDevelopmentPath: root, workspace: examples }, 'support_bot.py', (session) => (vscode = session));

/**
 * Clicks the token "Ada" of the system prompt (its first line) in the first column; the editor then selects
 * exactly its source, which the status bar shows.
 */
async function clickAdaAndCheckSelection(systemPrompt, screenshot) {
  const tokens = await renderedTokens();
  const [adaIndex, adaText] = tokens.find(([, text]) => text.trim() === 'Ada');
  const textStart = joined(tokens.slice(0, adaIndex)).length;
  assert.ok(systemPrompt.text.startsWith(adaText, textStart));
  await app().locator(`.token-view .column[data-column="0"] .tok[data-token="${adaIndex}"]`).first().click();
  // The selection moved the editor's cursor: the host sends it back, and the clicked token is the one marked.
  await app().locator(`.token-view .column[data-column="0"] .tok.cursor[data-token="${adaIndex}"]`).first().waitFor();
  await vscode.screenshot(screenshot);

  // The focus stayed in the view; back in the editor, the status bar shows the selection.
  await runCommand(vscode.page, 'View: Focus First Editor Group');
  // The prompt's first line starts at line 10, column 20 (after `SYSTEM_PROMPT = """`); the selection ends at the cursor.
  const expected = `Ln 10, Col ${20 + textStart + adaText.length} (${adaText.length} selected)`;
  await vscode.page.locator(SELECTION_ITEM).filter({ hasText: expected }).waitFor();
}

test('Open Visualizer shows the prompt under the cursor in the side bar, with the CLI’s token count', async () => {
  const [systemPrompt] = cliScan('examples/support_bot.py');
  await goTo(vscode.page, 11, 5);
  await runCommand(vscode.page, 'Prompt Lens: Open Visualizer');
  await app().locator('.title').filter({ hasText: 'prompt · support_bot.py:10' }).waitFor({ timeout: FIRST_RENDER_MS });
  assert.equal(await firstColumnCount(), `${systemPrompt.tokens} tokens`);
  // The side bar is narrow: one tokenizer at a time, picked with tabs; GPT-4o's is the one shown.
  const selectedTab = app().locator('.tabs [role="tab"][aria-selected="true"]');
  assert.match(await selectedTab.innerText(), new RegExp(`^GPT-4o · ${systemPrompt.tokens}$`));
  assert.ok((await app().locator('.tabs [role="tab"]').count()) >= 2, 'the comparison models have tabs too');
  // Tokens are on screen at first sight, without scrolling the view.
  const first = await firstColumnTokens().first().boundingBox();
  const viewport = vscode.page.viewportSize();
  assert.ok(first && viewport && first.y + first.height < viewport.height * 0.6, `first token at y=${first?.y} of ${viewport?.height}`);
  // The view is virtualised: the rendered tokens are the first ones, in order, with the prompt's text.
  const tokens = await renderedTokens();
  assert.ok(tokens.length > 0);
  assert.deepEqual(tokens.map(([index]) => index), [...Array(tokens.length).keys()]);
  assert.ok(drawn(systemPrompt.text).startsWith(joined(tokens)), joined(tokens));
  await vscode.screenshot('side-bar');
});

test('in the side bar, clicking a token selects its source in the editor', async () => {
  const [systemPrompt] = cliScan('examples/support_bot.py');
  await clickAdaAndCheckSelection(systemPrompt, 'side-bar-token-clicked');
});

test('in the side bar, another tab shows another tokenizer’s tokens of the same text', async () => {
  const [systemPrompt] = cliScan('examples/support_bot.py');
  const tabs = app().locator('.tabs [role="tab"]');
  await tabs.nth(1).click();
  assert.equal(await tabs.nth(1).getAttribute('aria-selected'), 'true');
  const column = app().locator('.token-view .column[data-column="1"]');
  await column.locator('.tok').first().waitFor();
  assert.equal(await app().locator('.token-view .column[data-column="0"]').isVisible(), false);
  const pieces = await column.locator('.tok').evaluateAll((spans) => spans.map((span) => span.textContent).join(''));
  assert.ok(drawn(systemPrompt.text).startsWith(pieces), pieces);
  await tabs.nth(0).click();
  await firstColumnTokens().first().waitFor();
});

test('Open Visualizer in Editor renders one span per token, as many as the CLI counts', async () => {
  const [systemPrompt] = cliScan('examples/support_bot.py');
  await runCommand(vscode.page, 'View: Close Primary Side Bar');
  await goTo(vscode.page, 11, 5);
  await runCommand(vscode.page, 'Prompt Lens: Open Visualizer in Editor');
  await vscode.page.locator('.tabs-container .tab', { hasText: 'Tokens: prompt · support_bot.py:10' }).waitFor({ timeout: FIRST_RENDER_MS });
  await app().locator('.title').filter({ hasText: 'prompt · support_bot.py:10' }).waitFor({ timeout: FIRST_RENDER_MS });
  assert.equal(await firstColumnCount(), `${systemPrompt.tokens} tokens`);
  await firstColumnTokens().first().waitFor();
  const tokens = await renderedTokens();
  assert.equal(tokens.length, systemPrompt.tokens, 'a short prompt fits on screen, so every token is rendered');
  assert.deepEqual(tokens.map(([index]) => index), [...Array(systemPrompt.tokens).keys()]);
  assert.equal(joined(tokens), drawn(systemPrompt.text));
  await vscode.screenshot('editor-panel');
});

test('the token at the editor cursor is marked, and clicking a token selects its source in the editor', async () => {
  const [systemPrompt] = cliScan('examples/support_bot.py');
  // The cursor (line 11, column 5) is in "Answer" on the prompt's second line.
  const cursorToken = app().locator('.token-view .column[data-column="0"] .tok.cursor').first();
  await cursorToken.waitFor();
  assert.match(await cursorToken.innerText(), /Answer/);
  await clickAdaAndCheckSelection(systemPrompt, 'token-clicked');
});

test('clicking a code lens shows that prompt, and a value typed for a placeholder is counted in', async () => {
  const userMessage = cliScan('examples/support_bot.py').find((prompt) => prompt.role === 'user');
  const line = userMessage.range.start.line + 1;
  await goTo(vscode.page, line, 1);
  const lens = vscode.page.locator('.monaco-editor .codelens-decoration a', { hasText: `${userMessage.tokens} tokens` }).first();
  await lens.click();
  await app().locator('.title').filter({ hasText: `user message · support_bot.py:${line}` }).waitFor({ timeout: FIRST_RENDER_MS });
  assert.equal(await firstColumnCount(), `${userMessage.tokens} tokens`);

  const value = 'Augusta Ada King, Countess of Lovelace';
  // The input is named after its placeholder for assistive technology (not the toolkit's "Text field").
  await app().getByRole('textbox', { name: 'Value for {user_name}', exact: true }).fill(value);
  const filled = userMessage.segments.map((segment) => (segment.text === '{user_name}' ? value : segment.text)).join('');
  const expected = cliCount(filled);
  assert.notEqual(expected, userMessage.tokens);
  await app().locator('.column-head').first().locator('.stats dd').first().filter({ hasText: `${expected} tokens` }).waitFor();
  // The typed value is tokenized as part of the text: its tokens are drawn.
  assert.ok(joined(await renderedTokens()).includes(value));
  await vscode.screenshot('dynamic-value');
});

for (const theme of ['Light Modern', 'Dark Modern', 'Dark High Contrast']) {
  test(`the visualizer follows the ${theme} theme`, async () => {
    await runCommand(vscode.page, 'Preferences: Color Theme');
    const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(theme);
    const row = vscode.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: new RegExp(`^${theme}`) }).first();
    await row.waitFor();
    await vscode.page.keyboard.press('Enter');
    await vscode.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    const kind = theme.startsWith('Light') ? 'vscode-light' : theme.includes('High Contrast') ? 'vscode-high-contrast' : 'vscode-dark';
    await app().locator(`body.${kind}`).waitFor();
    await firstColumnTokens().first().waitFor();
    // Token colours come from the theme: the first token's background differs from the page background.
    const colors = await firstColumnTokens()
      .first()
      .evaluate((token) => ({ token: getComputedStyle(token).backgroundColor, page: getComputedStyle(document.body).backgroundColor }));
    assert.notEqual(colors.token, colors.page);
    await vscode.page.waitForTimeout(300); // lets the theme transition finish before the screenshot
    await vscode.screenshot(`theme-${theme.toLowerCase().replace(/ /g, '-')}`);
  });
}
