import * as vscode from 'vscode';
import type { ControllerOptions, VisualizerController } from './controller';
import type { VisualizerDeps } from './deps';
import { visualizerHtml } from './html';
import type { PromptTarget } from './promptFollower';

export type { PromptTarget } from './promptFollower';

const VIEW_ID = 'promptLens.visualizer';
const PANEL_TYPE = 'promptLens.visualizerPanel';
const PANEL_TITLE = 'Prompt Lens';

/**
 * The token visualizer, in the side bar (a webview view in its own activity-bar container) and in the editor
 * area (one webview panel). Both load the same app from dist/webview and are driven by a VisualizerController
 * each. Registering costs nothing: a webview and its controller are created only when one is shown, and the
 * controller's code (its tab sessions and what they import) is loaded then, not at activation.
 */
export class Visualizer implements vscode.Disposable {
  private view: { view: vscode.WebviewView; controller: Promise<VisualizerController> } | undefined;
  private panel: { panel: vscode.WebviewPanel; controller: Promise<VisualizerController> } | undefined;
  private controllerModule: Promise<typeof import('./controller')> | undefined;
  /** A prompt asked for before the side-bar view was resolved, handed to its controller when it is. */
  private pendingViewTarget: PromptTarget | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: VisualizerDeps,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewViewProvider(VIEW_ID, { resolveWebviewView: (view) => this.resolveView(view) }),
      // After a window reload VS Code restores an open panel; the webview's own state comes back with its page.
      vscode.window.registerWebviewPanelSerializer(PANEL_TYPE, {
        deserializeWebviewPanel: async (panel) => this.adoptPanel(panel, undefined),
      }),
      vscode.workspace.onDidCloseTextDocument((document) => deps.store.forgetDocument(document.uri.toString())),
    );
  }

  /** Reveals the side-bar view (or the editor panel when one is open) on a prompt, or on the prompt under the cursor. */
  async show(target?: PromptTarget): Promise<void> {
    if (this.panel) {
      this.openInEditor(target);
      return;
    }
    await this.openView(target);
  }

  async openView(target?: PromptTarget): Promise<void> {
    if (this.view) void this.view.controller.then((controller) => controller.show(target));
    else this.pendingViewTarget = target;
    // Every contributed view gets a `<id>.focus` command; it opens the container and resolves the view.
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  }

  openInEditor(target?: PromptTarget): void {
    if (this.panel) {
      this.panel.panel.reveal(undefined, true);
      void this.panel.controller.then((controller) => controller.show(target));
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_TYPE,
      PANEL_TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.webviewOptions(),
    );
    void this.adoptPanel(panel, target);
  }

  /** Models or prices changed. */
  settingsChanged(): void {
    this.deps.store.clearColumns();
    void this.view?.controller.then((controller) => controller.settingsChanged());
    void this.panel?.controller.then((controller) => controller.settingsChanged());
  }

  dispose(): void {
    void this.view?.controller.then((controller) => controller.dispose());
    void this.panel?.controller.then((controller) => controller.dispose());
    this.panel?.panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** VS Code shows the view once this resolves. */
  private async resolveView(view: vscode.WebviewView): Promise<void> {
    const controller = this.createController(view.webview, () => view.visible, {
      inEditorArea: false,
      onTitle: (title) => (view.description = title),
    });
    this.view = { view, controller };
    const target = this.pendingViewTarget;
    this.pendingViewTarget = undefined;
    view.onDidChangeVisibility(() => void controller.then((loaded) => loaded.visibilityChanged()));
    view.onDidDispose(() => {
      void controller.then((loaded) => loaded.dispose());
      if (this.view?.view === view) this.view = undefined;
    });
    (await controller).show(target);
  }

  /** Takes `panel` as the editor panel at once, so a second request reveals it instead of opening another. */
  private async adoptPanel(panel: vscode.WebviewPanel, target: PromptTarget | undefined): Promise<void> {
    const controller = this.createController(panel.webview, () => panel.visible, {
      inEditorArea: true,
      onTitle: (title) => (panel.title = title ? `Tokens: ${title}` : PANEL_TITLE),
    });
    this.panel = { panel, controller };
    panel.onDidChangeViewState(() => void controller.then((loaded) => loaded.visibilityChanged()));
    panel.onDidDispose(() => {
      void controller.then((loaded) => loaded.dispose());
      if (this.panel?.panel === panel) this.panel = undefined;
    });
    (await controller).show(target);
  }

  /** A controller for `webview`, loading the controller's module the first time; the page loads once it listens. */
  private async createController(webview: vscode.Webview, isVisible: () => boolean, options: ControllerOptions): Promise<VisualizerController> {
    // `.js`: TypeScript's Node16 resolution wants the extension in an import(); esbuild and tsx find the .ts.
    const { VisualizerController } = await (this.controllerModule ??= import('./controller.js'));
    const controller = new VisualizerController(webview, isVisible, this.deps, options);
    this.configure(webview);
    return controller;
  }

  /** Scripts on, and only the app bundle and the media folder readable. No retainContextWhenHidden: the app keeps its state with setState. */
  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private configure(webview: vscode.Webview): void {
    webview.options = this.webviewOptions();
    const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', file)).toString();
    webview.html = visualizerHtml({ cspSource: webview.cspSource, scriptUri: asset('main.js'), styleUri: asset('main.css') });
  }
}
