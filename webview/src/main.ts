/**
 * The Prompt Lens visualizer webview: one app for the side-panel view and the "Open in Editor" panel.
 * The host sends the prompt and its tokenizations (protocol.ts); this file wires the header (title, pin,
 * model picker, toggles, export), the dynamic-value inputs, the per-column stats strips and the token view.
 * Every incoming message is validated first; the panel keeps its toggles, scroll position and pin across
 * hide/show with the webview state API, since the host does not retain hidden webviews.
 */
import './styles/base.css';
import { AttentionView } from './tabs/model/attention/attentionView';
import { CacheView } from './tabs/cache/cacheView';
import { EmbeddingView } from './tabs/model/embedding/embeddingView';
import { PrefixView } from './tabs/model/prefix/prefixView';
import { button, checkbox, dropdown, registerControls, textField, toggleButton, type Control } from './ui/controls';
import { element } from './ui/dom';
import { PROTOCOL_VERSION, VIEW_TABS, type HostMessage, type ModelChoice, type PromptView, type TokenColumn, type ViewTab, type WebviewMessage } from '../../common/protocol/index';
import { renderPng } from './ui/png';
import { currentTheme, followTheme } from './ui/theme';
import { tokensJson } from './tabs/tokens/tokenMath';
import { TokenView } from './tabs/tokens/tokenView';
import { parseHostMessage, MAX_COLUMNS } from '../../common/protocol/validate';
import { formatCount } from '../../common/format';
import { approximationWarning, columnStats, pickModel, restoreState, type ViewState } from './tabs/tokens/state';
import { ViewTabs, storedTab } from './ui/tabStrip';
import { errorMessage } from '../../common/text';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewState & { tab: ViewTab }): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Typing in a dynamic-value box re-tokenizes on the host; wait for a pause rather than send every keystroke. */
const DYNAMIC_VALUE_DELAY_MS = 250;
const SCROLL_SAVE_DELAY_MS = 200;
/**
 * Below this width (the side bar's default is about 300 px) columns do not fit side by side: one tokenizer
 * at a time, picked with tabs, under a compact header, so tokens are on screen without scrolling.
 */
const NARROW_WIDTH = 520;

type Payload<T extends WebviewMessage['type']> = Omit<Extract<WebviewMessage, { type: T }>, 'type' | 'version'>;

class App {
  private readonly vscode = acquireVsCodeApi();
  private state: ViewState;
  private models: ModelChoice[] = [];
  private prompt: PromptView | undefined;
  private columns: TokenColumn[] = [];
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

  private readonly titleElement = element('h1', 'title');
  private readonly notice = element('div', 'notice');
  private readonly modelSlots = element('div', 'model-slots');
  private readonly dynamicSection = element('section', 'dynamic');
  private readonly columnHeads = element('div', 'column-heads');
  private readonly pin: Control<boolean>;
  private readonly whitespace: Control<boolean>;
  private readonly idsInline: Control<boolean>;
  private readonly view: TokenView;
  private readonly cache: CacheView;
  /** The model tabs (issue 5): they ask the host for their data only while on screen. */
  private readonly attention: AttentionView;
  private readonly embedding: EmbeddingView;
  private readonly prefix: PrefixView;
  private readonly viewTabs: ViewTabs<ViewTab>;
  private dynamicInputs = new Map<number, Control<string>>();
  private dynamicKey = '';
  private scrollSave: ReturnType<typeof setTimeout> | undefined;
  private restoreScrollFor: string | undefined;
  private narrow = false;
  /** The column shown in a narrow view. */
  private tab = 0;

  constructor(root: HTMLElement) {
    this.state = restoreState(this.vscode.getState());
    this.restoreScrollFor = this.state.promptId;
    this.pin = toggleButton((pinned) => (pinned ? 'Pinned' : 'Pin'), 'Keep showing this prompt when the cursor moves elsewhere', this.state.pinned, (pinned) => {
      this.update({ pinned });
      this.send('pin', { pinned });
    });
    this.whitespace = checkbox('Whitespace', this.state.showWhitespace, (showWhitespace) => this.setViewOption({ showWhitespace }));
    this.idsInline = checkbox('Ids inline', this.state.idsInline, (idsInline) => this.setViewOption({ idsInline }));
    this.view = new TokenView(
      {
        reveal: (column, token) => this.reveal(column, token),
        scrolled: (scrollTop) => this.saveScroll(scrollTop),
      },
      { showWhitespace: this.state.showWhitespace, idsInline: this.state.idsInline },
    );
    const toolbar = element('div', 'toolbar');
    toolbar.append(
      this.pin.element,
      this.whitespace.element,
      this.idsInline.element,
      button('Copy JSON', 'Copy the tokens of every column as JSON (id, text, byte and character ranges)', () => this.copyJson()),
      button('Save PNG', 'Save the visible token view as a PNG image', () => this.savePng()),
    );
    const header = element('header', 'header');
    header.append(this.titleElement, toolbar, this.modelSlots);
    const tokenPanel = element('div', 'token-panel');
    tokenPanel.append(header, this.notice, this.dynamicSection, this.columnHeads, this.view.element);
    this.cache = new CacheView({
      provider: (provider) => this.send('setCacheProvider', { provider }),
      input: (text) => this.send('setCacheInput', { text }),
    });
    const savePng = (dataUrl: string) => this.send('savePng', { dataUrl });
    this.attention = new AttentionView({
      request: (promptId, layer) => this.send('requestAttention', { promptId, layer }),
      exportData: (promptId, layer, head, format) => this.send('exportModelData', { promptId, export: { view: 'attention', layer, head, format } }),
      savePng,
      setWindow: (promptId, start, count) => this.send('setModelWindow', { promptId, start, count }),
    });
    this.embedding = new EmbeddingView({
      request: (promptId, layer, dimensions, selected) => this.send('requestEmbedding', { promptId, layer, dimensions, selected }),
      exportData: (promptId, layer, format) => this.send('exportModelData', { promptId, export: { view: 'embedding', layer, format } }),
      savePng,
    });
    this.prefix = new PrefixView({
      request: (promptId, segment, values) => this.send('requestPrefix', { promptId, segment, values }),
      exportData: (promptId, format) => this.send('exportModelData', { promptId, export: { view: 'prefix', format } }),
      savePng,
    });
    const tokensTab = { id: 'tokens' as const, label: 'Tokens', panel: tokenPanel };
    const cacheTab = { id: 'cache' as const, label: 'Cache', panel: this.cache.element };
    const attentionTab = { id: 'attention' as const, label: 'Attention', panel: this.attention.element };
    const embeddingTab = { id: 'embedding' as const, label: 'Embedding', panel: this.embedding.element };
    const prefixTab = { id: 'prefix' as const, label: 'Prefix', panel: this.prefix.element };
    this.viewTabs = new ViewTabs<ViewTab>([tokensTab, cacheTab, attentionTab, embeddingTab, prefixTab], storedTab(this.vscode.getState(), 'tab', VIEW_TABS, 'tokens'), (tab) => {
      this.update({});
      // The host hears of the tab before the tab's view asks it for data.
      this.send('setTab', { tab });
      this.showModelTab(tab);
    });
    root.append(this.viewTabs.list, tokenPanel, this.cache.element, this.attention.element, this.embedding.element, this.prefix.element);
    this.showModelTab(this.viewTabs.selected);
    this.showNotice('Waiting for a prompt: put the cursor inside a prompt in the editor.');
    followTheme(() => this.render());
    new ResizeObserver(() => this.setNarrow(root.clientWidth < NARROW_WIDTH)).observe(root);
    window.addEventListener('message', (event) => this.receive(event.data));
    this.send('ready', {});
    // The host starts every page on the token view; a page restored on another tab says so.
    if (this.viewTabs.selected !== 'tokens') this.send('setTab', { tab: this.viewTabs.selected });
  }

  private send<T extends WebviewMessage['type']>(type: T, payload: Payload<T>): void {
    this.vscode.postMessage({ type, version: PROTOCOL_VERSION, ...payload } as WebviewMessage);
  }

  private update(change: Partial<ViewState>): void {
    this.state = { ...this.state, ...change };
    // viewTabs is unset only while the constructor builds the token view, before any tab can change.
    this.vscode.setState({ ...this.state, tab: this.viewTabs?.selected ?? 'tokens' });
  }

  private receive(data: unknown): void {
    const message = parseHostMessage(data);
    // Not ours, another version, or malformed: nothing a user could act on, so it is dropped quietly.
    if (!message) return;
    this.handle(message);
  }

  private handle(message: HostMessage): void {
    switch (message.type) {
      case 'models':
        this.models = message.models;
        this.update({ selectedModels: message.selected });
        this.renderModelSlots();
        break;
      case 'prompt':
        performance.mark('promptlens:prompt-received');
        this.showPrompt(message.prompt, message.columns);
        performance.measure('promptlens:prompt-render', 'promptlens:prompt-received');
        break;
      case 'empty':
        this.prompt = undefined;
        this.columns = [];
        this.titleElement.textContent = 'Prompt Lens';
        this.view.setData({ id: '', title: '', text: '', segments: [], dynamicValues: {}, pinned: false }, []);
        this.columnHeads.replaceChildren();
        this.dynamicSection.replaceChildren();
        this.dynamicKey = '';
        this.showNotice(message.reason);
        for (const view of this.modelViews()) view.setEmpty(message.reason);
        break;
      case 'cursor':
        if (message.promptId === this.prompt?.id) this.view.highlightOffset(message.offset, this.reducedMotion.matches);
        break;
      case 'error':
        this.showNotice(message.message, true);
        break;
      case 'cache':
        this.cache.show(message);
        break;
      case 'modelStatus':
        for (const view of this.modelViews()) view.setStatus(message.status);
        break;
      case 'modelTokens':
        for (const view of this.modelViews()) view.setTokens(message.tokens);
        break;
      case 'attentionLayer':
        this.attention.show(message.attention);
        break;
      case 'embedding':
        this.embedding.show(message.embedding);
        break;
      case 'prefix':
        this.prefix.show(message);
        break;
    }
  }

  private modelViews(): Array<AttentionView | EmbeddingView | PrefixView> {
    return [this.attention, this.embedding, this.prefix];
  }

  /** A model view draws and asks the host for data only while its tab is on screen. */
  private showModelTab(tab: ViewTab): void {
    this.attention.setVisible(tab === 'attention');
    this.embedding.setVisible(tab === 'embedding');
    this.prefix.setVisible(tab === 'prefix');
  }

  private showPrompt(prompt: PromptView, columns: TokenColumn[]): void {
    this.prompt = prompt;
    this.prefix.setPrompt(prompt);
    this.columns = columns;
    this.titleElement.textContent = prompt.title;
    this.titleElement.title = prompt.title;
    this.pin.set(prompt.pinned);
    const promptChanged = this.state.promptId !== prompt.id;
    this.update({ pinned: prompt.pinned, promptId: prompt.id, ...(promptChanged ? { scrollTop: 0 } : {}) });
    this.showNotice(columns.length === 0 ? 'No model selected: pick one above.' : '');
    this.renderDynamicInputs(prompt);
    if (this.tab >= columns.length) {
      this.tab = Math.max(0, columns.length - 1);
      if (this.narrow) this.view.showSingleColumn(this.tab);
    }
    // Scrolled before the new rows go in: setting scrollTop after them would force the browser to lay out the
    // whole new DOM inside this task, on top of building it.
    const restoring = this.restoreScrollFor !== undefined;
    if (!restoring && promptChanged) this.view.scrollTop = 0;
    this.view.setData(prompt, columns);
    this.renderColumnHeads();
    if (restoring) {
      // The first prompt after the panel was shown again: back to where the user was, if it is the same prompt
      // (after setData, so the content is tall enough to scroll there).
      if (this.restoreScrollFor === prompt.id) this.view.scrollTop = this.state.scrollTop;
      this.restoreScrollFor = undefined;
    }
  }

  private render(): void {
    if (this.prompt) this.view.setData(this.prompt, this.columns);
    for (const view of this.modelViews()) view.redraw();
  }

  private showNotice(text: string, isError = false): void {
    this.notice.textContent = text;
    this.notice.hidden = text === '';
    this.notice.classList.toggle('error', isError);
    this.notice.setAttribute('role', isError ? 'alert' : 'status');
  }

  private setNarrow(narrow: boolean): void {
    if (narrow === this.narrow) return;
    this.narrow = narrow;
    document.getElementById('app')?.classList.toggle('narrow', narrow);
    this.view.showSingleColumn(narrow ? this.tab : undefined);
    this.renderModelSlots();
    this.renderColumnHeads();
  }

  private selectTab(tab: number, focus: boolean): void {
    this.tab = tab;
    this.view.showSingleColumn(tab);
    this.renderModelSlots();
    this.renderColumnHeads();
    if (focus) this.columnHeads.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }

  private setViewOption(change: Partial<Pick<ViewState, 'showWhitespace' | 'idsInline'>>): void {
    this.update(change);
    this.view.setOptions({ showWhitespace: this.state.showWhitespace, idsInline: this.state.idsInline });
  }

  /** One dropdown per column, plus one to add a column while fewer than four are shown. */
  private renderModelSlots(): void {
    const selected = this.state.selectedModels;
    const choices = this.models.map((model) => ({ value: model.id, label: `${model.label}${model.approximate ? ' (≈)' : ''}` }));
    const slots: HTMLElement[] = [];
    const slotCount = Math.min(MAX_COLUMNS, selected.length + 1);
    for (let slot = 0; slot < slotCount; slot++) {
      const isAdd = slot >= selected.length;
      // Narrow: the picker of the tab on screen, and the one that adds a column.
      if (this.narrow && !isAdd && slot !== Math.min(this.tab, selected.length - 1)) continue;
      const picker = dropdown(isAdd ? 'Add a model to compare' : `Model of column ${slot + 1}`, (value) => {
        const next = pickModel(this.state.selectedModels, slot, value === '' ? undefined : value);
        this.update({ selectedModels: next });
        this.renderModelSlots();
        this.send('setModels', { models: next });
      });
      const extra = isAdd ? [{ value: '', label: '+ compare with…' }] : slot > 0 ? [{ value: '', label: '× remove column' }] : [];
      picker.setChoices([...extra, ...choices], isAdd ? '' : selected[slot]);
      slots.push(picker.element);
    }
    this.modelSlots.replaceChildren(...slots);
  }

  /**
   * The dynamic parts of the prompt with an input each. Rebuilt only when the prompt or its set of dynamic
   * parts changes: a new tokenization arriving while the user types must not take the focus or the caret away.
   */
  private renderDynamicInputs(prompt: PromptView): void {
    const dynamic = prompt.segments.map((segment, index) => ({ segment, index })).filter(({ segment }) => segment.kind === 'dynamic');
    const key = `${prompt.id}\u0000${dynamic.map(({ index, segment }) => `${index}:${segment.source}`).join('\u0000')}`;
    if (key === this.dynamicKey) {
      for (const [index, input] of this.dynamicInputs) {
        if (!input.element.matches(':focus-within')) input.set(prompt.dynamicValues[index] ?? '');
      }
      return;
    }
    this.dynamicKey = key;
    this.dynamicInputs = new Map();
    if (dynamic.length === 0) {
      this.dynamicSection.replaceChildren();
      return;
    }
    const heading = element('h2', 'dynamic-heading');
    heading.textContent = `Dynamic parts (${dynamic.length}): type a value to count it in`;
    const rows = dynamic.map(({ segment, index }) => {
      const row = element('div', 'dynamic-row');
      const placeholder = element('code', 'placeholder');
      placeholder.textContent = segment.source;
      placeholder.title = segment.expression ? `expression: ${segment.expression}` : segment.source;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const input = textField(`Value for ${segment.source}`, 'value to count in…', prompt.dynamicValues[index] ?? '', (value) => {
        clearTimeout(timer);
        timer = setTimeout(() => this.send('setDynamicValue', { promptId: prompt.id, segment: index, value: value === '' ? null : value }), DYNAMIC_VALUE_DELAY_MS);
      });
      const clear = button('Clear', `Count ${segment.source} as the placeholder again`, () => {
        clearTimeout(timer);
        input.set('');
        this.send('setDynamicValue', { promptId: prompt.id, segment: index, value: null });
      });
      this.dynamicInputs.set(index, input);
      row.append(placeholder, input.element, clear);
      return row;
    });
    this.dynamicSection.replaceChildren(heading, ...rows);
  }

  private renderColumnHeads(): void {
    const reference = this.columns[0]?.modelLabel;
    const shown = this.narrow ? [Math.min(this.tab, this.columns.length - 1)].filter((index) => index >= 0) : this.columns.map((_column, index) => index);
    this.columnHeads.style.gridTemplateColumns = `repeat(${Math.max(1, shown.length)}, minmax(0, 1fr))`;
    const heads = shown.map((index) => {
      const column = this.columns[index];
      const head = element('div', 'column-head');
      const name = element('div', 'column-name');
      name.textContent = column.modelLabel;
      name.title = `tokenizer: ${column.tokenizer}`;
      const stats = element('dl', 'stats');
      const pairs = columnStats(column);
      for (const [label, value] of pairs) {
        const term = element('dt', '');
        term.textContent = label;
        const detail = element('dd', '');
        detail.textContent = value;
        stats.append(term, detail);
      }
      // Narrow, the stats are one line that may be cut: all of them in the tooltip.
      stats.title = pairs.map(([label, value]) => `${label}: ${value}`).join('\n');
      head.append(name, stats);
      const warning = approximationWarning(column);
      if (warning) head.append(line('approximate', warning));
      if (index > 0) {
        const count = this.view.columns()[index]?.differCount ?? 0;
        head.append(line('differs', count === 0 ? `same splits as ${reference}` : `${count.toLocaleString('en-US')} tokens split differently from ${reference} (underlined)`));
      }
      return head;
    });
    if (this.narrow && this.columns.length > 0) this.columnHeads.replaceChildren(this.tabList(), ...heads);
    else this.columnHeads.replaceChildren(...heads);
  }

  /** One tab per column (model and count), arrow keys moving between them as in any tab list. */
  private tabList(): HTMLElement {
    const list = element('div', 'tabs');
    list.setAttribute('role', 'tablist');
    list.setAttribute('aria-label', 'Tokenizer shown');
    const tabs = this.columns.map((column, index) => {
      const tab = element('button', 'tab');
      const selected = index === this.tab;
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      tab.textContent = `${column.modelLabel} · ${column.approximate ? '≈' : ''}${formatCount(column.ids.length)}`;
      tab.title = `${column.modelLabel} (${column.tokenizer})`;
      tab.addEventListener('click', () => this.selectTab(index, false));
      return tab;
    });
    list.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step === 0 || this.columns.length === 0) return;
      event.preventDefault();
      this.selectTab((this.tab + step + this.columns.length) % this.columns.length, true);
    });
    list.append(...tabs);
    return list;
  }

  private reveal(column: number, token: number): void {
    const found = this.columns[column];
    if (!found || !this.prompt || token >= found.ids.length) return;
    this.send('revealRange', { promptId: this.prompt.id, start: found.starts[token], end: found.ends[token] });
  }

  private saveScroll(scrollTop: number): void {
    clearTimeout(this.scrollSave);
    this.scrollSave = setTimeout(() => this.update({ scrollTop }), SCROLL_SAVE_DELAY_MS);
  }

  private copyJson(): void {
    if (!this.prompt) return;
    this.send('copyText', { text: tokensJson(this.prompt.title, this.prompt.text, this.columns), what: 'tokens as JSON' });
  }

  private savePng(): void {
    if (!this.prompt) return;
    const font = getComputedStyle(this.view.element);
    try {
      const snapshot = this.view.visibleSnapshot();
      const dataUrl = renderPng({
        title: this.prompt.title,
        columnTitles: snapshot.columns.map((index) => `${this.columns[index].modelLabel} · ${this.columns[index].ids.length.toLocaleString('en-US')} tokens`),
        snapshot,
        theme: currentTheme(),
        fontFamily: font.fontFamily,
        fontSize: parseFloat(font.fontSize) || 13,
      });
      this.send('savePng', { dataUrl });
    } catch (error) {
      this.showNotice(`Could not draw the PNG: ${errorMessage(error)}`, true);
    }
  }
}

/** A one-line note under a column's stats; cut with an ellipsis when narrow, whole in its tooltip. */
function line(className: string, text: string): HTMLElement {
  const note = element('div', className);
  note.textContent = text;
  note.title = text;
  return note;
}

registerControls();
const root = document.getElementById('app');
if (root) new App(root);
