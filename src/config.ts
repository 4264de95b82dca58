import * as vscode from 'vscode';
import { DEFAULT_MAX_FILE_BYTES, type ExtractOptions } from './core/extract';
import type { ModelOverride } from './core/catalog';
import { DEFAULT_CALLS_PER_DAY } from './core/cache';
import { readLocalModelSettings, type LocalModelSettings } from './services/localModelSource';

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
  cache: CacheSettings;
  /** Models the visualizer shows side by side; empty: the active and comparison models. */
  visualizerModels: string[];
  localModel: LocalModelSettings;
}

/** How warnings about cache-busting patterns show: at their own level, all as information, or not at all. */
export type CacheWarningLevel = 'warning' | 'information' | 'off';

export interface CacheSettings {
  /** The cache line of the code lens and the cache warnings. */
  enabled: boolean;
  /** `auto` (the active model's rules) or a provider name / profile id accepted by `profileForProvider`. */
  provider: string;
  callsPerDay: number;
  warnings: CacheWarningLevel;
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
      maxFileBytes: config.get<number>('maxFileSize', DEFAULT_MAX_FILE_BYTES),
    },
    listPromptsExclude: config.get<string>('listPrompts.exclude', ''),
    cache: {
      enabled: config.get<boolean>('cache.enabled', true),
      provider: config.get<string>('cache.provider', 'auto'),
      callsPerDay: validCallsPerDay(config.get<number>('cache.callsPerDay', DEFAULT_CALLS_PER_DAY)),
      warnings: cacheWarningLevel(config.get<string>('cache.warnings', 'warning')),
    },
    visualizerModels: stringList(config.get<unknown>('visualizer.models', [])),
    localModel: readLocalModelSettings((key) => config.get(key)),
  };
}

/** A setting the user's pick changes: written where its current value comes from, so a workspace value does not silently win. */
export async function updateSetting(key: 'model' | 'visualizer.models', value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const target = config.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}

/** Consent given in a dialog holds for every workspace: it is written to the user's settings. */
export async function allowLocalModelDownloads(): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('localModel.allowNetwork', true, vscode.ConfigurationTarget.Global);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A hand-edited settings.json can hold anything; a volume that is not a positive number falls back to the default. */
function validCallsPerDay(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_CALLS_PER_DAY;
}

function cacheWarningLevel(value: unknown): CacheWarningLevel {
  return value === 'information' || value === 'off' ? value : 'warning';
}
