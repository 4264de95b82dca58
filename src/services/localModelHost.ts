import * as vscode from 'vscode';
import { allowLocalModelDownloads, readSettings, SECTION } from '../config';
import { LazyModel, bundledModelFolder, downloadHubModel, type LoadedModel, type ModelResult, type ProgressReport } from '../core/localModel';
import type { ModelStatusView } from '../../common/protocol/index';
import { modelLabel, resolveLocalModelSource, sourceKey, type LocalModelSettings, type LocalModelSource } from './localModelSource';

interface Preparation {
  key: string;
  source: LocalModelSource;
  lazy: LazyModel;
  result: Promise<ModelResult<LoadedModel>>;
}

/** The shared, lazily loaded model as a session sees it (LocalModelHost in the editor, a fake in tests). */
export interface ModelProvider {
  /** The model's state now: idle until a view first asks. */
  readonly status: ModelStatusView;
  /** Hears every status change; returns the unsubscribe. */
  onStatus(listener: (status: ModelStatusView) => void): () => void;
  /** Hears a model settings change: what was computed is stale. Returns the unsubscribe. */
  onReset(listener: () => void): () => void;
  /** The model, loading it on the first call (shared by every session). Never throws. */
  load(): Promise<ModelResult<LoadedModel>>;
  /** promptLens.localModel.window: the most tokens one analysis covers. */
  windowTokens(): number;
}

/**
 * The model of the visualizer's model views, one per extension host: nothing is read or loaded until a model
 * view first asks (never on activation). It resolves the settings to a folder (bundled, promptLens.localModel.path,
 * or promptLens.localModel.id downloaded once with the user's consent), loads it through the core's LazyModel with a
 * progress indication in the status bar, and tells every view its status. An untrusted workspace gets the
 * bundled model only, and nothing is downloaded for it.
 */
export class LocalModelHost implements ModelProvider, vscode.Disposable {
  private preparation: Preparation | undefined;
  private current: ModelStatusView;
  private readonly statusListeners = new Set<(status: ModelStatusView) => void>();
  private readonly resetListeners = new Set<() => void>();
  private lastWindow: number;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    /** Global storage, asked for only when a Hub model is downloaded (the folder may not exist before). */
    private readonly storageRoot: () => vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.lastWindow = this.settings().window;
    this.current = { state: 'idle', label: this.source(this.settings()).label, message: 'The model loads when a model view is shown.' };
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SECTION}.localModel`)) this.settingsChanged();
      }),
      // Trust lifts the bundled-model-only rule: promptLens.localModel.path / id apply from now on.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.settingsChanged()),
    );
  }

  get status(): ModelStatusView {
    return this.current;
  }

  onStatus(listener: (status: ModelStatusView) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onReset(listener: () => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  windowTokens(): number {
    return this.settings().window;
  }

  load(): Promise<ModelResult<LoadedModel>> {
    const settings = this.settings();
    const source = this.source(settings);
    const key = sourceKey(source, settings);
    if (this.preparation?.key !== key) {
      this.drop();
      const lazy = new LazyModel(settings.threads ? { threads: settings.threads } : {});
      const preparation: Preparation = { key, source, lazy, result: this.prepare(source, settings, lazy) };
      this.preparation = preparation;
      // A failure other than a declined download is tried again at the next ask (the user may have fixed the folder).
      void preparation.result.then((result) => {
        if (!result.ok && result.error.code !== 'network-disabled' && this.preparation === preparation) this.preparation = undefined;
      });
    }
    return this.preparation!.result;
  }

  dispose(): void {
    this.drop();
    for (const disposable of this.disposables) disposable.dispose();
    this.statusListeners.clear();
    this.resetListeners.clear();
  }

  private settings(): LocalModelSettings {
    return readSettings().localModel;
  }

  private source(settings: LocalModelSettings): LocalModelSource {
    return resolveLocalModelSource(settings, {
      trusted: vscode.workspace.isTrusted,
      bundledFolder: bundledModelFolder(),
      storageRoot: () => this.storageRoot().fsPath,
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.scheme === 'file' ? vscode.workspace.workspaceFolders[0].uri.fsPath : undefined,
    });
  }

  /** A model setting or the workspace trust changed: a different folder is unloaded, and every view recomputes. */
  private settingsChanged(): void {
    const settings = this.settings();
    const source = this.source(settings);
    // A declined download is asked again once network use is allowed in the settings.
    const allowed = this.current.state === 'disabled' && settings.allowNetwork;
    const moved = this.preparation !== undefined && (this.preparation.key !== sourceKey(source, settings) || allowed);
    const windowChanged = settings.window !== this.lastWindow;
    this.lastWindow = settings.window;
    if (!moved && !windowChanged && this.preparation) return;
    if (moved || !this.preparation) {
      this.drop();
      this.setStatus({ state: 'idle', label: source.label, message: 'The model loads when a model view is shown.' });
    }
    for (const listener of [...this.resetListeners]) listener();
  }

  private drop(): void {
    const preparation = this.preparation;
    this.preparation = undefined;
    if (preparation) void preparation.lazy.unload();
  }

  private setStatus(status: ModelStatusView): void {
    this.current = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }

  private async prepare(source: LocalModelSource, settings: LocalModelSettings, lazy: LazyModel): Promise<ModelResult<LoadedModel>> {
    const started = performance.now();
    let folder = source.folder;
    if (source.kind === 'hub') {
      const downloaded = await this.download(source, settings);
      if (!downloaded.ok) {
        this.setStatus({ state: downloaded.error.code === 'network-disabled' ? 'disabled' : 'error', label: source.label, message: downloaded.error.message });
        return downloaded;
      }
      folder = downloaded.value;
    }
    this.log.info(`model: loading the ${source.kind === 'bundled' ? 'bundled model' : source.kind === 'path' ? 'folder of promptLens.localModel.path' : `download of ${source.label}`} from ${folder}`);
    this.setStatus({ state: 'loading', label: source.label, message: 'Loading the model…', progress: 0 });
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Prompt Lens: loading the model' },
      (progress) =>
        lazy.get(folder, (report: ProgressReport) => {
          progress.report({ message: report.message });
          if (report.phase !== 'ready') this.setStatus({ state: 'loading', label: source.label, message: `${report.message}…`, ...(report.fraction !== undefined ? { progress: report.fraction } : {}) });
        }),
    );
    if (this.preparation?.lazy !== lazy) return result; // the settings moved on while it loaded
    if (!result.ok) {
      this.log.warn(`model: ${result.error.message}`);
      this.setStatus({ state: 'error', label: source.label, message: result.error.message });
      return result;
    }
    const loadMs = Math.round(performance.now() - started);
    this.log.info(`model: ready in ${loadMs} ms (ONNX Runtime session ${Math.round(result.value.loadMs)} ms)`);
    const where = source.kind === 'bundled' ? 'offline from the bundled folder' : source.kind === 'hub' ? 'from the downloaded copy in the extension’s storage' : 'from the folder of promptLens.localModel.path';
    const notice = source.kind === 'bundled' && source.notice ? ` ${source.notice}` : '';
    this.setStatus({ state: 'ready', label: modelLabel(source.label, result.value.shape), message: `Loaded ${where} in ${loadMs.toLocaleString('en-US')} ms.${notice}` });
    return result;
  }

  /**
   * The local folder of a Hub model: the copy in global storage, or a download with a cancellable progress
   * notification, only after the user agreed (the setting, or a modal asked now).
   */
  private async download(source: Extract<LocalModelSource, { kind: 'hub' }>, settings: LocalModelSettings): Promise<ModelResult<string>> {
    const storageRoot = this.storageRoot().fsPath;
    // Without network use this only checks the id and finds a complete earlier download.
    const local = await downloadHubModel(source.id, storageRoot, { allowNetwork: false });
    if (local.ok || local.error.code !== 'network-disabled') return local;
    let allowed = settings.allowNetwork;
    if (!allowed) {
      this.setStatus({ state: 'loading', label: source.label, message: `Waiting for permission to download ${source.id}…` });
      const download = 'Download';
      const always = 'Always Allow Downloads';
      const answer = await vscode.window.showInformationMessage(
        `Prompt Lens: download the model ${source.id} from huggingface.co?`,
        {
          modal: true,
          detail: `promptLens.localModel.id names a model that is not on this machine yet. Its files (config, tokenizer and onnx/model.onnx) go to the extension's storage, once; nothing else is sent or fetched. Without the download the model views stay off; set promptLens.localModel.path to use a local folder instead.`,
        },
        download,
        always,
      );
      if (answer === always) await allowLocalModelDownloads();
      allowed = answer === download || answer === always;
    }
    if (!allowed) {
      return {
        ok: false,
        error: { code: 'network-disabled', message: 'The model is not on this machine, and downloading it was not allowed. Set promptLens.localModel.allowNetwork to allow it, or promptLens.localModel.path to use a local folder.' },
      };
    }
    this.log.info(`model: downloading ${source.id} into ${storageRoot}`);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Prompt Lens: downloading ${source.id}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancellation = token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        try {
          const result = await downloadHubModel(source.id, storageRoot, {
            allowNetwork: true,
            signal: controller.signal,
            onProgress: ({ file, loaded, total, filesDone, files }) => {
              const fraction = (filesDone + (total ? Math.min(1, loaded / total) : 0)) / files;
              const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
              const message = `${file} ${megabytes(loaded)}${total ? ` of ${megabytes(total)}` : ''} MB`;
              progress.report({ message, increment: Math.max(0, fraction * 100 - reported) });
              reported = Math.max(reported, fraction * 100);
              this.setStatus({ state: 'loading', label: source.label, message: `Downloading ${message}…`, progress: fraction });
            },
          });
          if (!result.ok) this.log.warn(`model: ${result.error.message}`);
          return result;
        } finally {
          cancellation.dispose();
        }
      },
    );
  }
}
