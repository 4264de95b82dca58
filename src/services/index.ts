import type * as vscode from 'vscode';
import type { Settings } from '../config';
import { editorSettingsKey } from './editorSettings';
import { CacheAnalysis } from './cacheAnalysis';
import { LlmModels } from './llmModels';
import { LocalModelHost } from './localModelHost';
import { PromptIndex } from './promptIndex';

/**
 * What the editor features, the commands and the visualizer are built from, one of each per extension host.
 * Building them loads nothing: the parsers, the catalogue and the tokenizers load when first asked for.
 */
export interface Services extends vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly index: PromptIndex;
  readonly models: LlmModels;
  readonly cache: CacheAnalysis;
  /** The local model of the visualizer's model tabs: nothing is read or loaded until one of them is shown. */
  readonly localModel: LocalModelHost;
  /** The settings as last read. */
  settings(): Settings;
  /** The user changed a setting: each service drops what it computed from the old settings and keeps what it loaded. */
  update(settings: Settings): void;
}

export function createServices(settings: Settings, globalStorage: () => vscode.Uri, log: vscode.LogOutputChannel): Services {
  const models = new LlmModels(settings, log);
  const index = new PromptIndex(settings.extract);
  const cache = new CacheAnalysis(models, settings.cache);
  const localModel = new LocalModelHost(globalStorage, log);
  let current = settings;
  return {
    log,
    index,
    models,
    cache,
    localModel,
    settings: () => current,
    update(next) {
      const editorChanged = editorSettingsKey(next) !== editorSettingsKey(current);
      current = next;
      // A change only the visualizer reads keeps the catalogue, the parsed prompts and the cache reports.
      if (!editorChanged) return;
      models.update(next);
      index.update(next.extract);
      cache.update(next.cache);
    },
    dispose() {
      index.dispose();
      localModel.dispose();
    },
  };
}
