import type { Settings } from '../config';

/** The settings the editor features and their services read, all but the visualizer's own, as one comparable key. */
export function editorSettingsKey(settings: Settings): string {
  const { visualizerModels: _visualizer, localModel: _localModel, ...editor } = settings;
  return JSON.stringify(editor);
}
