import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { readSettings, SECTION, type Settings } from './config';
import { cacheCodeLensLine } from './features/cache/codeLens';
import { registerCacheDiagnostics } from './features/cache/diagnostics';
import { registerCacheQuickFix } from './features/cache/quickFix';
import { countCodeLensLine } from './features/counts/codeLens';
import { registerCountHover } from './features/counts/hover';
import { registerTokenStatusBar } from './features/counts/statusBar';
import { EnabledFeatures, type FeatureRegistration } from './features/enabledFeatures';
import { registerPromptCodeLens } from './features/promptCodeLens';
import { createServices, type Services } from './services';
import { Visualizer } from './visualizer/registration';
import { VisualizerStore } from './visualizer/store';

/** Documents Prompt Lens looks at: files on disk and untitled editors, never output or git views. */
const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }];

/** Activation only registers: the parsers, the catalogue and the tokenizers load when a feature first needs them. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Prompt Lens', { log: true });
  const services = createServices(readSettings(), () => context.globalStorageUri, log);
  const { index, models, localModel } = services;
  const visualizer = new Visualizer(context.extensionUri, { index, models, store: new VisualizerStore(), log, localModel, settings: services.settings });
  const features = new EnabledFeatures((settings) => editorFeatures(services, settings), services.settings());
  context.subscriptions.push(
    log,
    services,
    features,
    visualizer,
    registerCommands({ ...services, visualizer }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) return;
      services.update(readSettings());
      features.rebuild(services.settings());
      visualizer.settingsChanged();
    }),
  );
}

/** The editor features, each where its settings enable it. */
function editorFeatures({ index, models, cache }: Services, settings: Settings): FeatureRegistration[] {
  const { enabled: cacheEnabled, warnings } = settings.cache;
  const diagnostics = cacheEnabled && warnings !== 'off' ? registerCacheDiagnostics(index, cache, models, warnings) : undefined;
  return [
    settings.hoverEnabled && registerCountHover(SELECTOR, index, models),
    registerPromptCodeLens(SELECTOR, index, [
      settings.codeLensEnabled && countCodeLensLine(models),
      cacheEnabled && cacheCodeLensLine(cache),
    ]),
    settings.statusBarEnabled && registerTokenStatusBar(index, models),
    diagnostics,
    diagnostics && registerCacheQuickFix(SELECTOR, diagnostics),
  ];
}

export function deactivate(): void {}
