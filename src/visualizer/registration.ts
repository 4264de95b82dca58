import * as vscode from 'vscode';
import { VisualizerController } from './controller';
import type { VisualizerDeps } from './deps';
import { visualizerHtml } from './html';
import type { PromptTarget } from './promptFollower';

export type { PromptTarget } from './promptFollower';

export const VIEW_ID = 'promptLens.visualizer';
export const PANEL_TYPE = 'promptLens.visualizerPanel';
const PANEL_TITLE = 'Prompt Lens';

/**
 * The token visualizer, in the side bar (a webview view in its own activity-bar container) and in the editor
 * area (one webview panel). Both load the same app from dist/webview and are driven by a VisualizerController
 * each. Registering costs nothing: a webview and its controller are created only when one is shown.
 */
export class Visualizer implements vscode.Disposable {
  private view: { view: vscode.WebviewView; controller: VisualizerController } | undefined;
  private panel: { panel: vscode.WebviewPanel; controller: VisualizerController } | undefined;
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
    if (this.view) this.view.controller.show(target);
    else this.pendingViewTarget = target;
    // Every contributed view gets a `<id>.focus` command; it opens the container and resolves the view.
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  }

  openInEditor(target?: PromptTarget): void {
    if (this.panel) {
      this.panel.panel.reveal(undefined, true);
      this.panel.controller.show(target);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_TYPE,
      PANEL_TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      this.webviewOptions(),
    );
    this.adoptPanel(panel, target);
  }

  /** Models or prices changed. */
  settingsChanged(): void {
    this.deps.store.clearColumns();
    this.view?.controller.settingsChanged();
    this.panel?.controller.settingsChanged();
  }

  dispose(): void {
    this.view?.controller.dispose();
    this.panel?.controller.dispose();
    this.panel?.panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private resolveView(view: vscode.WebviewView): void {
    this.configure(view.webview);
    const controller = new VisualizerController(view.webview, () => view.visible, this.deps, {
      inEditorArea: false,
      onTitle: (title) => (view.description = title),
    });
    this.view = { view, controller };
    controller.show(this.pendingViewTarget);
    this.pendingViewTarget = undefined;
    view.onDidChangeVisibility(() => controller.visibilityChanged());
    view.onDidDispose(() => {
      controller.dispose();
      if (this.view?.view === view) this.view = undefined;
    });
  }

  private adoptPanel(panel: vscode.WebviewPanel, target: PromptTarget | undefined): void {
    this.configure(panel.webview);
    const controller = new VisualizerController(panel.webview, () => panel.visible, this.deps, {
      inEditorArea: true,
      onTitle: (title) => (panel.title = title ? `Tokens: ${title}` : PANEL_TITLE),
    });
    this.panel = { panel, controller };
    controller.show(target);
    panel.onDidChangeViewState(() => controller.visibilityChanged());
    panel.onDidDispose(() => {
      controller.dispose();
      if (this.panel?.panel === panel) this.panel = undefined;
    });
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
