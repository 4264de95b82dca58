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
  cache: CacheSettings;
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
      maxFileBytes: config.get<number>('maxFileSize', 2 * 1024 * 1024),
    },
    listPromptsExclude: config.get<string>('listPrompts.exclude', ''),
    cache: {
      enabled: config.get<boolean>('cache.enabled', true),
      provider: config.get<string>('cache.provider', 'auto'),
      callsPerDay: validCallsPerDay(config.get<number>('cache.callsPerDay', DEFAULT_CALLS_PER_DAY)),
      warnings: cacheWarningLevel(config.get<string>('cache.warnings', 'warning')),
    },
  };
}

const DEFAULT_CALLS_PER_DAY = 1000;

/** A hand-edited settings.json can hold anything; a volume that is not a positive number falls back to the default. */
function validCallsPerDay(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_CALLS_PER_DAY;
}

function cacheWarningLevel(value: unknown): CacheWarningLevel {
  return value === 'information' || value === 'off' ? value : 'warning';
}
