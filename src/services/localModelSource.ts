/**
 * Which model folder the model views load: the bundled one, a local folder
 * (`promptLens.localModel.path`) or a Hugging Face Hub id downloaded into global storage (`promptLens.localModel.id`).
 * Pure (no `vscode`): the settings arrive as a getter, so every rule here is unit-tested.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_WINDOW_TOKENS, hubModelFolder, type ModelShape } from '../core/localModel';

/** The largest analysis window the setting accepts: one layer × head of 1,024 tokens is 4 MB of float32. */
export const MAX_WINDOW_TOKENS = 1024;
/** ONNX Runtime threads are capped here: a model view must not take every core of the machine. */
const MAX_THREADS = 16;

export interface LocalModelSettings {
  /** A folder with the model layout; empty: not set. */
  path: string;
  /** A Hub id `owner/name`; empty: not set. `path` wins when both are set. */
  id: string;
  /** The user's standing consent to download `id`; without it a modal asks first. */
  allowNetwork: boolean;
  /** Tokens the attention and embedding views analyse at most. */
  window: number;
  /** ONNX Runtime intra-op threads; undefined: the runtime's default. */
  threads?: number;
}

/** Reads promptLens.localModel.* through `get` (a WorkspaceConfiguration's get, or a test's map); bad values fall back. */
export function readLocalModelSettings(get: (key: string) => unknown): LocalModelSettings {
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  const integer = (value: unknown, min: number, max: number) =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : undefined;
  const threads = integer(get('localModel.threads'), 0, MAX_THREADS);
  return {
    path: text(get('localModel.path')),
    id: text(get('localModel.id')),
    allowNetwork: get('localModel.allowNetwork') === true,
    window: integer(get('localModel.window'), 1, MAX_WINDOW_TOKENS) ?? DEFAULT_WINDOW_TOKENS,
    // 0 (the default) means "let the runtime choose".
    ...(threads ? { threads } : {}),
  };
}

export type LocalModelSource =
  | { kind: 'bundled'; folder: string; label: string; notice?: string }
  | { kind: 'path'; folder: string; label: string }
  | { kind: 'hub'; folder: string; label: string; id: string };

export interface SourceContext {
  /** Whether the workspace is trusted; an untrusted one gets the bundled model only, and no download. */
  trusted: boolean;
  bundledFolder: string;
  /** The extension's global storage folder, where Hub downloads go; read only when an id is set. */
  storageRoot: () => string;
  /** The first workspace folder, for a relative `promptLens.localModel.path`. */
  workspaceFolder?: string;
}

/** `~/models/x` and `${workspaceFolder}/x` as users write them in settings, made absolute. */
function expandFolder(folder: string, context: Pick<SourceContext, 'workspaceFolder'>): string {
  let expanded = folder.replace(/^~(?=$|[\\/])/, os.homedir());
  if (context.workspaceFolder) expanded = expanded.replace(/\$\{workspaceFolder\}/g, context.workspaceFolder);
  return path.isAbsolute(expanded) ? path.normalize(expanded) : path.resolve(context.workspaceFolder ?? os.homedir(), expanded);
}

/** The folder the settings name, and how the views label it (a folder's base name, never its path). */
export function resolveLocalModelSource(settings: LocalModelSettings, context: SourceContext): LocalModelSource {
  const bundled = { kind: 'bundled' as const, folder: context.bundledFolder, label: 'bundled model' };
  if (!settings.path && !settings.id) return bundled;
  if (!context.trusted) {
    const which = settings.path ? 'promptLens.localModel.path' : 'promptLens.localModel.id';
    return { ...bundled, notice: `This workspace is not trusted, so ${which} is ignored and the bundled model is used.` };
  }
  if (settings.path) {
    const folder = expandFolder(settings.path, context);
    return { kind: 'path', folder, label: path.basename(folder) || folder };
  }
  return { kind: 'hub', folder: hubModelFolder(context.storageRoot(), settings.id), label: settings.id, id: settings.id };
}

/** A key that changes exactly when a different model (or the same one with other threads) must be loaded. */
export function sourceKey(source: LocalModelSource, settings: LocalModelSettings): string {
  return JSON.stringify([source.kind, source.folder, settings.threads ?? 0]);
}

/** `bundled model · 4 layers × 4 heads`: what the status line calls the loaded model. */
export function modelLabel(sourceLabel: string, shape: ModelShape): string {
  return `${sourceLabel} · ${shape.layers} layer${shape.layers === 1 ? '' : 's'} × ${shape.heads} head${shape.heads === 1 ? '' : 's'}`;
}
