// End-to-end harness: a real VS Code (code-server, installed by scripts/install-code-server.sh) served on
// 127.0.0.1 and driven through Debian's Chromium by playwright-core. Nothing is downloaded at test time.
//
// Every process started here (code-server and its children, Chromium) is killed by close(), and also when the
// test process exits, so a failing test never leaves anything running. Every wait is bounded.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
const codeServerDir = process.env.PROMPT_LENS_CODE_SERVER_DIR ?? path.join(repoRoot, '.cache', 'code-server');
const codeServerEntry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = process.env.PROMPT_LENS_CHROMIUM ?? '/usr/bin/chromium';
const codeServerLog = path.join(resultsDir, 'code-server.log');

// Generous for a 2-core CI machine, yet a hang still ends the test well inside CI's limit.
const SERVER_READY_MS = 60_000;
const WORKBENCH_READY_MS = 90_000;
const UI_MS = 15_000;

// Settings that keep dialogs, tours and background noise out of the way of the tests.
const quietSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.hover.delay': 100,
  'editor.minimap.enabled': false,
  'files.simpleDialog.enable': true,
};

/**
 * The flags of every Chromium the tests and benchmarks start (bench/webview.ts too): no sandbox, since CI
 * runs as root, where Chromium's sandbox cannot start; no GPU; and nothing that reaches the network.
 */
const chromiumArgs = createRequire(import.meta.url)('../support/chromium-args.json');

const liveSessions = new Set();
const killAllNow = () => {
  for (const session of liveSessions) session.killNow();
};
process.once('exit', killAllNow);
// An interrupted or timed-out test run must not leave code-server behind either.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAllNow();
    process.exit(128 + os.constants.signals[signal]);
  });
}

/**
 * Starts code-server with the extension at `extensionDevelopmentPath` installed (an unpacked folder with a
 * package.json and its built files), opens `workspace` in Chromium and waits until the workbench is ready and
 * the extension is activated. An extension that activates only later (say onLanguage:python, once a file is
 * open) passes `waitForActivation: false` and calls the returned `waitForActivation()` when it should be active.
 * @param {{ extensionDevelopmentPath: string, workspace: string, settings?: Record<string, unknown>,
 *           name?: string, waitForActivation?: boolean, extraExtensions?: string[], env?: Record<string, string> }} options
 *   `name` prefixes screenshots and copied logs (default: "vscode"). `extraExtensions` are more unpacked
 *   extension folders to install (e.g. a test driver); `env` is added to code-server's environment, which its
 *   extension host inherits.
 * @returns {Promise<{ page: import('playwright-core').Page, url: string, extensionId: string,
 *           close(): Promise<void>, screenshot(name: string): Promise<string>,
 *           waitForActivation(): Promise<void>, extensionHostLog(): Promise<string> }>}
 */
export async function startVSCode({
  extensionDevelopmentPath,
  workspace,
  settings = {},
  name = 'vscode',
  waitForActivation = true,
  extraExtensions = [],
  env = {},
}) {
  if (!fs.existsSync(codeServerEntry)) {
    throw new Error(`code-server is not installed at ${codeServerDir}: run scripts/install-code-server.sh`);
  }
  const startedAt = Date.now();
  await fsp.mkdir(resultsDir, { recursive: true });
  const tempRoot = await fsp.mkdtemp(path.join(os.tmpdir(), 'prompt-lens-e2e-'));
  const userDataDir = path.join(tempRoot, 'user-data');
  const extensionsDir = path.join(tempRoot, 'extensions');
  await fsp.mkdir(path.join(userDataDir, 'User'), { recursive: true });
  await fsp.writeFile(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...settings }, null, 2),
  );
  const extensionId = await installUnpackedExtension(extensionDevelopmentPath, extensionsDir);
  for (const extra of extraExtensions) await installUnpackedExtension(extra, extensionsDir);
  // An empty config file keeps code-server from writing ~/.config/code-server/config.yaml.
  const configFile = path.join(tempRoot, 'config.yaml');
  await fsp.writeFile(configFile, '');

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logStream = fs.createWriteStream(codeServerLog, { flags: 'a' });
  logStream.write(`\n===== ${new Date().toISOString()} ${name}: code-server on ${url}, workspace ${workspace}\n`);
  const server = spawn(
    process.execPath,
    [
      codeServerEntry,
      '--config', configFile,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      workspace,
    ],
    // Its own process group, so close() can end code-server together with the extension host, pty host and
    // file watcher it forks.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, NODE_OPTIONS: '' } },
  );
  server.stdout.pipe(logStream, { end: false });
  server.stderr.pipe(logStream, { end: false });

  let browser;
  const session = {
    killNow() {
      killGroup(server, 'SIGKILL');
    },
  };
  liveSessions.add(session);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await withTimeout(browser?.close() ?? Promise.resolve(), 10_000, 'closing Chromium').catch(() => {});
    await stopServer(server);
    liveSessions.delete(session);
    await copyExtensionHostLog(userDataDir, path.join(resultsDir, `${name}-exthost.log`)).catch(() => {});
    logStream.end();
    await fsp.rm(tempRoot, { recursive: true, force: true }).catch(() => {});
  };

  try {
    await waitForServer(url, server);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
      timeout: 30_000,
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Lets tests read what a command copied (navigator.clipboard works on http://127.0.0.1, a secure origin).
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_MS);
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { timeout: WORKBENCH_READY_MS });
    await page.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_READY_MS });
    await page.locator('.statusbar').waitFor({ timeout: WORKBENCH_READY_MS });
    await waitForExtensionHost(userDataDir, waitForActivation ? extensionId : undefined);
    // Give keyboard focus to the workbench, so shortcuts reach VS Code rather than the page body.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } }).catch(() => {});
    const screenshot = async (shotName) => {
      const file = path.join(resultsDir, `${name}-${shotName}.png`);
      await page.screenshot({ path: file });
      return file;
    };
    logStream.write(`===== ${name}: workbench ready after ${Date.now() - startedAt} ms\n`);
    return {
      page,
      url,
      extensionId,
      close,
      screenshot,
      waitForActivation: () => waitForExtensionHost(userDataDir, extensionId),
      extensionHostLog: () => readExtensionHostLog(userDataDir),
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * One VS Code for the tests of a file or describe block: started before them with `file` open (the
 * extension activates for it), closed after them. `onStart` receives it, for the tests to keep.
 */
export function useVSCode(options, file, onStart) {
  let session;
  before(async () => {
    session = await startVSCode({ ...options, waitForActivation: false });
    onStart(session);
    await openFile(session.page, file);
    await session.waitForActivation();
  });
  after(async () => {
    await session?.close();
  });
}

/** Runs a command from the command palette by its exact title (as shown there, e.g. "View: Toggle Zen Mode"). */
export async function runCommand(page, title) {
  await openQuickInput(page, 'F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.fill(`>${title}`);
  const row = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(title) }) })
    .first();
  await row.waitFor();
  await row.click();
  // The palette closes, or gives way to a quick pick the command opens: either way our query leaves the input.
  const paletteClosed = () =>
    page.evaluate((query) => {
      const widget = document.querySelector('.quick-input-widget');
      const input = widget?.querySelector('.quick-input-box input');
      return !widget || widget.style.display === 'none' || !input || input.value !== query;
    }, `>${title}`);
  await waitUntil(paletteClosed, `the command palette to run "${title}"`);
}

/** Opens a workspace file through quick open (Ctrl+P) and waits until its editor tab is active. */
export async function openFile(page, relativePath) {
  const baseName = path.posix.basename(relativePath);
  await openQuickInput(page, 'Control+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill(relativePath);
  const row = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(baseName) }) })
    .first();
  await row.waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[data-resource-name="${baseName}"]`).waitFor();
  await activeEditor(page).locator('.view-lines').waitFor();
}

/**
 * Moves the cursor to line:column (1-based) with Go to Line/Column, shows the hover there and returns its text.
 * Waits for a hover with content other than VS Code's "Loading..." placeholder.
 */
export async function hoverAt(page, line, column) {
  await goTo(page, line, column);
  await runCommand(page, 'Show or Focus Hover');
  const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)').filter({ hasNotText: /^Loading\.\.\.$/ });
  await hover.first().waitFor();
  return (await hover.first().innerText()).trim();
}

/** Moves the cursor of the active editor to line:column (1-based) through "Go to Line/Column" (Ctrl+G). */
export async function goTo(page, line, column = 1) {
  await focusActiveEditor(page);
  await openQuickInput(page, 'Control+G');
  await page.locator('.quick-input-widget .quick-input-box input').fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/**
 * Text of a status bar item, found by the DOM id VS Code gives extension items ("<extensionId>.<itemId>"),
 * or else by a substring of its text. Waits until the item exists.
 */
export async function statusBarText(page, idOrText) {
  const byId = page.locator(`.statusbar-item[id="${cssString(idOrText)}"]`);
  const byText = page.locator('.statusbar-item').filter({ hasText: idOrText });
  const item = byId.or(byText).first();
  await item.waitFor();
  return (await item.innerText()).trim();
}

/**
 * Texts of all code lenses in the active editor, top to bottom. The editor renders code lenses only near the
 * viewport, so this scrolls through the whole file. Waits up to `timeout` for at least `expectAtLeast` lenses
 * to show (pass 0 to assert that there are none).
 */
export async function codeLensTexts(page, { expectAtLeast = 1, timeout = UI_MS } = {}) {
  const editor = activeEditor(page);
  const lenses = editor.locator('.codelens-decoration');
  if (expectAtLeast > 0) await lenses.nth(expectAtLeast - 1).waitFor({ timeout });
  await focusActiveEditor(page);
  await page.keyboard.press('Control+Home');
  const byTop = new Map();
  const scrollable = editor.locator('.monaco-scrollable-element.editor-scrollable');
  for (let step = 0; step < 500; step++) {
    // Lenses of lines just scrolled away linger briefly as empty, hidden widgets: only visible text counts.
    const shown = await lenses.evaluateAll((nodes) =>
      nodes
        .filter((node) => node.checkVisibility({ visibilityProperty: true }))
        .map((node) => ({ top: parseFloat(node.style.top || '0'), text: node.innerText.trim() })),
    );
    for (const { top, text } of shown) if (text) byTop.set(`${top}:${text}`, { top, text });
    const before = await scrollTop(scrollable);
    await page.keyboard.press('PageDown');
    await page.waitForTimeout(400); // VS Code resolves the lenses of newly shown lines after ~300 ms
    if ((await scrollTop(scrollable)) === before) break;
  }
  await page.keyboard.press('Control+Home');
  return [...byTop.values()].sort((a, b) => a.top - b.top).map(({ text }) => text);
}

/** Labels of the rows the open quick pick shows (only the rendered ones: the list is virtualised). */
export async function quickPickItems(page) {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor();
  return rows.evaluateAll((nodes) =>
    nodes.map((node) => (node.querySelector('.label-name')?.textContent ?? node.getAttribute('aria-label') ?? '').trim()),
  );
}

/** Messages of the notification toasts on screen (e.g. from vscode.window.showInformationMessage). */
export async function notificationTexts(page, { expectAtLeast = 1 } = {}) {
  const messages = page.locator('.notifications-toasts .notification-toast .notification-list-item-message');
  if (expectAtLeast > 0) await messages.nth(expectAtLeast - 1).waitFor();
  return messages.evaluateAll((nodes) => nodes.map((node) => node.textContent.trim()));
}

/**
 * What is on the clipboard, read with navigator.clipboard in the page (startVSCode grants clipboard-read and
 * clipboard-write; http://127.0.0.1 counts as a secure origin). Commands write it asynchronously, after the
 * palette has closed, so this waits until the clipboard is not empty: call clearClipboard() before the command.
 */
export async function clipboardText(page, { timeout = UI_MS } = {}) {
  let text = '';
  await waitUntil(async () => (text = await page.evaluate(() => navigator.clipboard.readText())) !== '', 'text on the clipboard', timeout);
  return text;
}

export async function clearClipboard(page) {
  await page.evaluate(() => navigator.clipboard.writeText(''));
}

/** Rendered text of the lines in the active editor's viewport, top to bottom. */
export async function visibleEditorText(page) {
  const lines = activeEditor(page).locator('.view-lines .view-line');
  return lines.evaluateAll((nodes) =>
    nodes
      .map((node) => ({ top: parseFloat(node.style.top || '0'), text: node.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map(({ text }) => text)
      .join('\n'),
  );
}

// Never click into the editor's lines to focus it: Playwright scrolls the clicked element into view by setting
// scrollTop on Monaco's overflow-hidden containers, which desynchronises the editor's rendering from its model.
async function focusActiveEditor(page) {
  const editor = activeEditor(page);
  const hasFocus = () => editor.evaluate((node) => node.contains(document.activeElement));
  if (await hasFocus()) return;
  await runCommand(page, 'View: Focus Active Editor Group');
  await waitUntil(hasFocus, 'the active editor to take focus');
}

async function waitUntil(condition, what, timeout = UI_MS) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await delay(100);
  }
}

function activeEditor(page) {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

async function openQuickInput(page, shortcut) {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  }
  await page.keyboard.press(shortcut);
  await widget.waitFor({ state: 'visible' });
}

async function scrollTop(scrollable) {
  return scrollable.evaluate((node) => node.querySelector('.lines-content')?.style.top ?? '');
}

function exactly(text) {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

function cssString(text) {
  return text.replace(/["\\]/g, '\\$&');
}

// An unpacked extension becomes a user extension by sitting in the extensions folder as
// "<publisher>.<name>-<version>"; VS Code scans that folder when there is no extensions.json manifest yet.
async function installUnpackedExtension(extensionPath, extensionsDir) {
  const manifest = JSON.parse(await fsp.readFile(path.join(extensionPath, 'package.json'), 'utf8'));
  for (const field of ['publisher', 'name', 'version']) {
    if (!manifest[field]) throw new Error(`${extensionPath}/package.json has no "${field}"`);
  }
  const extensionId = `${manifest.publisher}.${manifest.name}`;
  await fsp.mkdir(extensionsDir, { recursive: true });
  await fsp.symlink(path.resolve(extensionPath), path.join(extensionsDir, `${extensionId}-${manifest.version}`), 'dir');
  return extensionId.toLowerCase();
}

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForServer(url, server) {
  const deadline = Date.now() + SERVER_READY_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`code-server exited early (${server.exitCode ?? server.signalCode}); see ${codeServerLog}`);
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  throw new Error(`code-server did not answer on ${url} within ${SERVER_READY_MS} ms; see ${codeServerLog}`);
}

// The remote extension host logs each extension it activates ("ExtensionService#_doActivateExtension <id>")
// and when its startup extensions are done ("Eager extensions activated"). Waiting on that log, rather than on
// the UI, keeps tests from racing the extension's startup; a failed activation ends the wait at once.
async function waitForExtensionHost(userDataDir, extensionId) {
  const deadline = Date.now() + WORKBENCH_READY_MS;
  while (Date.now() < deadline) {
    const log = (await readExtensionHostLog(userDataDir)).toLowerCase();
    if (extensionId === undefined && log.includes('eager extensions activated')) return;
    if (extensionId !== undefined) {
      const failure = log.split('\n').find((line) => line.includes(`activating extension ${extensionId} failed`));
      if (failure) throw new Error(`the extension failed to activate: ${failure}`);
      // Activation is logged before activate() returns; the extension host logs the end only at trace level.
      if (log.includes(`activateextension ${extensionId},`)) return;
    }
    await delay(250);
  }
  const what = extensionId === undefined ? 'the extension host did not start' : `${extensionId} was not activated`;
  throw new Error(`${what} within ${WORKBENCH_READY_MS} ms; see ${codeServerLog} and the extension host log`);
}

async function readExtensionHostLog(userDataDir) {
  const logsDir = path.join(userDataDir, 'logs');
  const files = await fsp.readdir(logsDir, { recursive: true }).catch(() => []);
  const hostLogs = files.filter((file) => file.endsWith('remoteexthost.log') || file.endsWith('exthost.log'));
  const texts = await Promise.all(hostLogs.map((file) => fsp.readFile(path.join(logsDir, file), 'utf8').catch(() => '')));
  return texts.join('\n');
}

async function copyExtensionHostLog(userDataDir, destination) {
  const log = await readExtensionHostLog(userDataDir);
  if (log) await fsp.writeFile(destination, log);
}

// Signals the whole process group even when code-server itself has exited: its children may live on.
function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopServer(server) {
  const exited = once(server, 'exit');
  killGroup(server, 'SIGTERM');
  const alreadyExited = server.exitCode !== null || server.signalCode !== null;
  const stopped = alreadyExited || (await withTimeout(exited, 5_000, 'stopping code-server').then(() => true, () => false));
  // Children (extension host, pty host) may outlive the parent: end the whole group regardless.
  killGroup(server, 'SIGKILL');
  if (!stopped) await withTimeout(exited, 5_000, 'killing code-server').catch(() => {});
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
