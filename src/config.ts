import * as vscode from 'vscode';
import type { ExtractOptions } from './core/extract';
import type { ModelOverride } from './core/catalog';

export const SECTION = 'promptLens';

/** Every setting the extension reads, typed, in one place. */
export interface Settings {
  model: string;
  compareModels: string[];
  models: ModelOverride[];
  hoverEnabled: boolean;
  codeLensEnabled: boolean;
  statusBarEnabled: boolean;
  extract: ExtractOptions;
  listPromptsExclude: string;
}

export function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    model: config.get<string>('model', 'gpt-4o'),
    compareModels: config.get<string[]>('compareModels', []).slice(0, 3),
    models: config.get<ModelOverride[]>('models', []),
    hoverEnabled: config.get<boolean>('hover.enabled', true),
    codeLensEnabled: config.get<boolean>('codeLens.enabled', true),
    statusBarEnabled: config.get<boolean>('statusBar.enabled', true),
    extract: {
      extraNames: config.get<string[]>('detection.extraNames', []),
      extraCalls: config.get<string[]>('detection.extraCalls', []),
      promptFileGlobs: config.get<string[]>('detection.promptFileGlobs', []),
      maxFileBytes: config.get<number>('maxFileSize', 2 * 1024 * 1024),
    },
    listPromptsExclude: config.get<string>('listPrompts.exclude', ''),
  };
}
