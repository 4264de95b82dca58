import type * as vscode from 'vscode';
import type { Settings } from '../config';
import { editorSettingsKey } from '../services/editorSettings';

/** A feature's registration, or `false` / `undefined` where its settings turn it off. */
export type FeatureRegistration = vscode.Disposable | false | undefined;

/**
 * The editor features that depend on settings. A change of a setting they read disposes all of them and
 * builds the enabled ones again from the new settings: no feature keeps a stale setting, and one turned off
 * costs nothing. A change only the visualizer reads (its models, the local model) leaves them as they are,
 * so picking models in the visualizer does not clear and recompute the cache warnings.
 */
export class EnabledFeatures implements vscode.Disposable {
  private registered: vscode.Disposable[] = [];
  private builtFor: string | undefined;

  constructor(
    private readonly register: (settings: Settings) => readonly FeatureRegistration[],
    settings: Settings,
  ) {
    this.rebuild(settings);
  }

  rebuild(settings: Settings): void {
    const key = editorSettingsKey(settings);
    if (key === this.builtFor) return;
    this.dispose();
    this.builtFor = key;
    this.registered = this.register(settings).filter((feature): feature is vscode.Disposable => feature !== false && feature !== undefined);
  }

  dispose(): void {
    for (const feature of this.registered) feature.dispose();
    this.registered = [];
    this.builtFor = undefined;
  }
}
