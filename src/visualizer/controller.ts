import * as vscode from 'vscode';
import { hostMessage, type HostMessage, type ViewTab, type WebviewMessage } from '../../common/protocol';
import { parseWebviewMessage } from '../../common/protocol/validate';
import { errorMessage, isRecord } from '../../common/text';
import type { VisualizerDeps } from './deps';
import { FOLLOW_DELAY_MS, PromptFollower, type PromptTarget } from './promptFollower';
import { savePng } from './saveFile';
import { SESSION_OF_TAB, createTabSessions, tabHandlers, type TabGroup, type TabSessions } from './tabs/registry';
import { dispatch, type MessageHandlers, type Refresh, type TabSession } from './tabs/tabSession';

/** Where the webview is: the editor panel (`inEditorArea`) or the side-bar view, and how its title shows the prompt. */
export interface ControllerOptions {
  inEditorArea: boolean;
  onTitle: (title: string | undefined) => void;
}

/**
 * Drives one webview (the side-bar view or the editor panel): hands each of the webview's messages to its
 * handler, and refreshes the tab on screen through its session when the prompt followed, the page or the
 * settings change, only while the webview is visible. Each refresh bumps a generation counter, and work for
 * an older generation is dropped.
 */
export class VisualizerController implements vscode.Disposable {
  private ready = false;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The tab on screen in the webview: only its view is computed. */
  private tab: ViewTab = 'tokens';
  private readonly follower: PromptFollower;
  private readonly sessions: TabSessions;
  private readonly handlers: MessageHandlers<WebviewMessage>;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly isVisible: () => boolean,
    private readonly deps: VisualizerDeps,
    options: ControllerOptions,
  ) {
    this.follower = new PromptFollower(deps.index, options.inEditorArea, () => this.schedule());
    this.sessions = createTabSessions({
      deps,
      follower: this.follower,
      post: (message) => this.post(message),
      refresh: () => this.schedule(0),
      refreshSoon: () => this.schedule(),
      setTitle: options.onTitle,
    });
    this.handlers = {
      ready: () => this.pageLoaded(),
      setTab: ({ tab }) => this.setTab(tab),
      savePng: ({ dataUrl }) => savePng(vscode, dataUrl),
      ...tabHandlers(this.sessions),
    };
    this.disposables = [webview.onDidReceiveMessage((data: unknown) => void this.receive(data)), this.follower];
  }

  /** Show this prompt now (a code lens click, a command); a pinned view stays pinned, to it. */
  show(target: PromptTarget | undefined): void {
    if (target) this.follower.ask(target);
    this.schedule(0);
  }

  /** The view was shown or hidden. Hidden webviews lose their page, which sends `ready` again when shown. */
  visibilityChanged(): void {
    if (this.isVisible()) return;
    this.ready = false;
    this.generation++;
    this.eachSession((session) => session.pageHidden?.());
  }

  /** Models or prices changed: what the tabs show is sent again. */
  settingsChanged(): void {
    if (!this.ready) return;
    this.eachSession((session) => session.settingsChanged?.());
    this.schedule(0);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.eachSession((session) => session.dispose?.());
    for (const disposable of this.disposables) disposable.dispose();
  }

  private pageLoaded(): void {
    this.ready = true;
    this.tab = 'tokens'; // a new page starts on the token view and says so when it is on another
    this.eachSession((session) => session.pageLoaded?.());
    this.schedule(0);
  }

  private setTab(tab: ViewTab): void {
    this.tab = tab;
    this.eachSession((session, group) => session.tabChanged?.(SESSION_OF_TAB[tab] === group));
    this.schedule(0);
  }

  private eachSession(action: (session: TabSession, group: TabGroup) => void): void {
    for (const group of Object.keys(this.sessions) as TabGroup[]) action(this.sessions[group], group);
  }

  private schedule(delay = FOLLOW_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.refresh().catch((error: unknown) => {
        this.deps.log.error('Prompt Lens visualizer: refresh failed', error);
        this.post(hostMessage({ type: 'error', message: `Prompt Lens could not show this prompt: ${errorMessage(error)}` }));
      });
    }, delay);
  }

  private async refresh(): Promise<void> {
    // Nothing is computed for a webview nobody sees; `ready` (sent when it is shown) brings it up to date.
    if (!this.ready || !this.isVisible()) return;
    const generation = ++this.generation;
    const run: Refresh = {
      isCurrent: () => generation === this.generation,
      showPrompt: (onNone) => this.sessions.tokens.showPrompt(run, { columns: false, onNone }),
    };
    const session: TabSession = this.sessions[SESSION_OF_TAB[this.tab]];
    await session.refresh(run);
  }

  private post(message: HostMessage): void {
    // A webview that went away in the meantime rejects the message; it asks again with `ready`.
    void Promise.resolve(this.webview.postMessage(message)).catch(() => undefined);
  }

  private async receive(data: unknown): Promise<void> {
    const message = parseWebviewMessage(data);
    if (!message) {
      const type = isRecord(data) ? String(data.type).slice(0, 40) : typeof data;
      this.deps.log.warn(`Prompt Lens visualizer: ignored an invalid message from the webview (type ${type})`);
      return;
    }
    try {
      await dispatch(this.handlers, message);
    } catch (error) {
      this.deps.log.error(`Prompt Lens visualizer: ${message.type} failed`, error);
      void vscode.window.showErrorMessage(`Prompt Lens: ${errorMessage(error)}`);
    }
  }
}
