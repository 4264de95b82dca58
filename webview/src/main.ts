/**
 * The Prompt Lens visualizer webview: one app for the side-panel view and the "Open in Editor" panel.
 * This file is the app shell only: it builds the tabs (createTabs), the tab strip over their panels, routes every
 * host message to the tabs that show it (routes), and keeps the webview state, since the host does not
 * retain hidden webviews: the tab on screen and each tab's fields, restored when the page comes back.
 * Every incoming message is validated first.
 */
import './styles/base.css';
import { PROTOCOL_VERSION, VIEW_TABS, type HostMessage, type ViewTab, type WebviewMessage } from '../../common/protocol/index';
import { parseHostMessage } from '../../common/protocol/validate';
import { TokensTab } from './tabs/tokens/tokensTab';
import { CacheView } from './tabs/cache/cacheView';
import { AttentionView } from './tabs/model/attention/attentionView';
import { EmbeddingView } from './tabs/model/embedding/embeddingView';
import { PrefixView } from './tabs/model/prefix/prefixView';
import type { HostHandlers, Payload, Tab, TabContext } from './tabs/tab';
import { registerControls } from './ui/controls';
import { ViewTabs, storedTab } from './ui/tabStrip';
import { followTheme } from './ui/theme';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: Record<string, unknown>): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/**
 * Below this width (the side bar's default is about 300 px) columns do not fit side by side: tabs switch to
 * their compact layout (the Tokens tab shows one tokenizer at a time).
 */
const NARROW_WIDTH = 520;

/** Every tab, one per ViewTab (the strip shows them in VIEW_TABS order): registering a tab is one entry here. */
function createTabs(context: TabContext) {
  return {
    tokens: new TokensTab(context),
    cache: new CacheView(context),
    attention: new AttentionView(context),
    embedding: new EmbeddingView(context),
    prefix: new PrefixView(context),
  } satisfies Record<ViewTab, Tab>;
}

type Tabs = ReturnType<typeof createTabs>;

/** Which tabs show each host message: a message type without a route here fails to compile. */
function routes({ tokens, cache, attention, embedding, prefix }: Tabs): HostHandlers {
  return {
    models: tokens.receive.models,
    prompt: toEach(tokens.receive.prompt, prefix.receive.prompt),
    empty: toEach(tokens.receive.empty, attention.receive.empty, embedding.receive.empty, prefix.receive.empty),
    cursor: tokens.receive.cursor,
    error: tokens.receive.error,
    cache: cache.receive.cache,
    modelStatus: toEach(attention.receive.modelStatus, embedding.receive.modelStatus, prefix.receive.modelStatus),
    modelTokens: toEach(attention.receive.modelTokens, embedding.receive.modelTokens, prefix.receive.modelTokens),
    attentionLayer: attention.receive.attentionLayer,
    embedding: embedding.receive.embedding,
    prefix: prefix.receive.prefix,
  };
}

/** One handler that hands a message to each of `handlers`, in order. */
function toEach<M>(...handlers: Array<(message: M) => void>): (message: M) => void {
  return (message) => {
    for (const handle of handlers) handle(message);
  };
}

class App {
  private readonly vscode = acquireVsCodeApi();
  private readonly tabs: Tabs;
  /** The same tabs in VIEW_TABS order, as the shell sees them. */
  private readonly ordered: readonly Tab[];
  private readonly strip: ViewTabs<ViewTab>;
  private readonly routes: HostHandlers;
  private narrow = false;

  constructor(private readonly root: HTMLElement) {
    const stored = this.vscode.getState();
    this.tabs = createTabs({ send: (type, payload) => this.send(type, payload), stored, stateChanged: () => this.saveState() });
    this.routes = routes(this.tabs);
    this.ordered = VIEW_TABS.map((id) => this.tabs[id]);
    this.strip = new ViewTabs<ViewTab>(
      VIEW_TABS.map((id, index) => ({ id, label: this.ordered[index].label, panel: this.ordered[index].element })),
      storedTab(stored, 'tab', VIEW_TABS, 'tokens'),
      (selected) => {
        this.saveState();
        // The host hears of the tab before the tab asks it for data.
        this.send('setTab', { tab: selected });
        this.showTab(selected);
      },
    );
    root.append(this.strip.list, ...this.ordered.map((tab) => tab.element));
    this.showTab(this.strip.selected);
    followTheme(() => {
      for (const tab of this.ordered) tab.redraw?.();
    });
    new ResizeObserver(() => this.setNarrow(root.clientWidth < NARROW_WIDTH)).observe(root);
    window.addEventListener('message', (event) => this.receive(event.data));
    this.send('ready', {});
    // The host starts every page on the token view; a page restored on another tab says so.
    if (this.strip.selected !== 'tokens') this.send('setTab', { tab: this.strip.selected });
  }

  private send<T extends WebviewMessage['type']>(type: T, payload: Payload<T>): void {
    this.vscode.postMessage({ type, version: PROTOCOL_VERSION, ...payload } as WebviewMessage);
  }

  private receive(data: unknown): void {
    const message = parseHostMessage(data);
    // Not ours, another version, or malformed: nothing a user could act on, so it is dropped quietly.
    if (!message) return;
    // The route of `message.type` takes exactly this message; TypeScript cannot pair the two through the union.
    (this.routes[message.type] as (message: HostMessage) => void)(message);
  }

  /** Every tab's fields and the tab on screen, in one object (the shape earlier versions stored). */
  private saveState(): void {
    // The tabs and the strip are unset only while the tabs are built, before any of them has a state to keep.
    if (!this.ordered || !this.strip) return;
    const fields = this.ordered.map((tab) => tab.saveState?.() ?? {});
    this.vscode.setState(Object.assign({}, ...fields, { tab: this.strip.selected }));
  }

  /** A tab draws and asks the host for data only while it is on screen. */
  private showTab(selected: ViewTab): void {
    VIEW_TABS.forEach((id, index) => this.ordered[index].setVisible?.(id === selected));
  }

  private setNarrow(narrow: boolean): void {
    if (narrow === this.narrow) return;
    this.narrow = narrow;
    this.root.classList.toggle('narrow', narrow);
    for (const tab of this.ordered) tab.setNarrow?.(narrow);
  }
}

registerControls();
const root = document.getElementById('app');
if (root) new App(root);
