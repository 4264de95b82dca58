import type * as vscode from 'vscode';
import type { Settings } from '../config';

/** A feature's registration, or `false` / `undefined` where its settings turn it off. */
export type FeatureRegistration = vscode.Disposable | false | undefined;

/**
 * The editor features that depend on settings. A settings change disposes all of them and builds the enabled
 * ones again from the new settings: no feature keeps a stale setting, and one turned off costs nothing.
 */
export class EnabledFeatures implements vscode.Disposable {
  private registered: vscode.Disposable[] = [];

  constructor(
    private readonly register: (settings: Settings) => readonly FeatureRegistration[],
    settings: Settings,
  ) {
    this.rebuild(settings);
  }

  rebuild(settings: Settings): void {
    this.dispose();
    this.registered = this.register(settings).filter((feature): feature is vscode.Disposable => feature !== false && feature !== undefined);
  }

  dispose(): void {
    for (const feature of this.registered) feature.dispose();
    this.registered = [];
  }
}
