import * as vscode from 'vscode';
import { CacheAnalysis } from './services/cacheAnalysis';
import { CacheCodeLenses } from './features/cache/codeLens';
import { CacheDiagnostics } from './features/cache/diagnostics';
import { CacheQuickFixProvider } from './features/cache/quickFix';
import { PromptCodeLensProvider } from './features/counts/codeLens';
import { copyTokenIds } from './commands/copyTokenIds';
import { countSelection } from './commands/countSelection';
import { inspectPrompt } from './commands/inspectPrompt';
import { listPrompts } from './commands/listPrompts';
import { selectModel } from './commands/selectModel';
import { readSettings, SECTION } from './config';
import { PromptHoverProvider } from './features/counts/hover';
import { LlmModels } from './services/llmModels';
import { LocalModelHost } from './services/localModelHost';
import { PromptIndex } from './services/promptIndex';
import { TokenStatusBar } from './features/counts/statusBar';
import { Visualizer, type PromptTarget } from './visualizer/registration';
import { VisualizerStore } from './visualizer/store';
import { errorMessage } from '../common/text';

/** Documents Prompt Lens looks at: files on disk and untitled editors, never output or git views. */
const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }];

/** Activation stays small: no parser or tokenizer loads here; they load on first use. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Prompt Lens', { log: true });
  let settings = readSettings();
  const models = new LlmModels(settings, log);
  const index = new PromptIndex(settings.extract);
  const cache = new CacheAnalysis(models, settings.cache);
  const codeLenses = new PromptCodeLensProvider(index, models, new CacheCodeLenses(cache));
  const cacheDiagnostics = new CacheDiagnostics(index, cache, models);
  const statusBar = new TokenStatusBar(index, models);
  statusBar.setEnabled(settings.statusBarEnabled);

  // Providers are (un)registered as their settings change, so a disabled feature costs nothing.
  let hoverRegistration: vscode.Disposable | undefined;
  let codeLensRegistration: vscode.Disposable | undefined;
  let quickFixRegistration: vscode.Disposable | undefined;
  const registerProviders = () => {
    hoverRegistration?.dispose();
    codeLensRegistration?.dispose();
    quickFixRegistration?.dispose();
    hoverRegistration = settings.hoverEnabled
      ? vscode.languages.registerHoverProvider(SELECTOR, new PromptHoverProvider(index, models))
      : undefined;
    // One provider draws both lines: counts (promptLens.codeLens.enabled) and cache (promptLens.cache.enabled).
    codeLenses.showCounts = settings.codeLensEnabled;
    codeLensRegistration =
      settings.codeLensEnabled || settings.cache.enabled ? vscode.languages.registerCodeLensProvider(SELECTOR, codeLenses) : undefined;
    quickFixRegistration =
      settings.cache.enabled && settings.cache.warnings !== 'off'
        ? vscode.languages.registerCodeActionsProvider(SELECTOR, new CacheQuickFixProvider(cacheDiagnostics), CacheQuickFixProvider.metadata)
        : undefined;
  };
  registerProviders();
  // The local model of the visualizer's model tabs: nothing is read or loaded until one of them is shown.
  const modelHost = new LocalModelHost(() => context.globalStorageUri, log);
  const visualizer = new Visualizer(context.extensionUri, { index, models, store: new VisualizerStore(), log, model: modelHost });

  context.subscriptions.push(
    log,
    index,
    codeLenses,
    cacheDiagnostics,
    statusBar,
    { dispose: () => hoverRegistration?.dispose() },
    { dispose: () => codeLensRegistration?.dispose() },
    { dispose: () => quickFixRegistration?.dispose() },
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      settings = readSettings();
      models.update(settings);
      index.update(settings.extract);
      cache.update(settings.cache);
      statusBar.setEnabled(settings.statusBarEnabled);
      registerProviders();
      codeLenses.refresh();
      cacheDiagnostics.refresh();
      visualizer.settingsChanged();
    }),
    visualizer,
    modelHost,
  );
  const command = (id: string, run: (...args: any[]) => Promise<void>) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await run(...args);
        } catch (error) {
          // A command never ends in a silent failure or an unhandled rejection: the user sees why.
          log.error(`${id} failed`, error);
          void vscode.window.showErrorMessage(`Prompt Lens: ${errorMessage(error)}`);
        }
      }),
    );
  command('promptLens.selectModel', () => selectModel(models));
  command('promptLens.countSelection', () => countSelection(models));
  command('promptLens.inspectPrompt', () => inspectPrompt(index, models));
  command('promptLens.listPrompts', () => listPrompts(models, settings, log));
  command('promptLens.copyTokenIds', () => copyTokenIds(index, models));
  // A code lens click shows the prompt's tokens; the quick-pick details stay one command away (Inspect Prompt at Cursor).
  command('promptLens.showPromptDetails', (uri: unknown, promptId: unknown) => visualizer.show(promptTarget(uri, promptId)));
  command('promptLens.openVisualizer', async (uri: unknown, promptId: unknown) => visualizer.openView(promptTarget(uri, promptId)));
  command('promptLens.openVisualizerInEditor', async (uri: unknown, promptId: unknown) => visualizer.openInEditor(promptTarget(uri, promptId)));
  void vscode.commands.executeCommand('setContext', 'promptLens.languages', [
    'python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'json', 'jsonl', 'yaml', 'prompt', 'jinja', 'handlebars',
  ]);
}

/** Commands run from a menu get the menu's context (a document URI, a view) as arguments: only a URI and a prompt id name a prompt. */
function promptTarget(uri: unknown, promptId: unknown): PromptTarget | undefined {
  return uri instanceof vscode.Uri && typeof promptId === 'string' ? { uri, promptId } : undefined;
}

export function deactivate(): void {}
