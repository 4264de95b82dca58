/**
 * The Prompt Lens visualizer webview: one app for the side-panel view and the "Open in Editor" panel.
 * The host sends the prompt and its tokenizations (protocol.ts); this file wires the header (title, pin,
 * model picker, toggles, export), the dynamic-value inputs, the per-column stats strips and the token view.
 * Every incoming message is validated first; the panel keeps its toggles, scroll position and pin across
 * hide/show with the webview state API, since the host does not retain hidden webviews.
 */
import './main.css';
import { button, checkbox, dropdown, registerControls, textField, toggleButton, type Control } from './controls';
import { PROTOCOL_VERSION, type HostMessage, type ModelChoice, type PromptView, type TokenColumn, type WebviewMessage } from './protocol';
import { renderPng } from './png';
import { currentTheme, followTheme } from './theme';
import { tokensJson } from './tokenMath';
import { TokenView } from './tokenView';
import { parseHostMessage, MAX_COLUMNS } from './validate';
import { approximationWarning, columnStats, pickModel, restoreState, type ViewState } from './viewState';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** Typing in a dynamic-value box re-tokenizes on the host; wait for a pause rather than send every keystroke. */
const DYNAMIC_VALUE_DELAY_MS = 250;
const SCROLL_SAVE_DELAY_MS = 200;

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
  private dynamicInputs = new Map<number, Control<string>>();
  private dynamicKey = '';
  private scrollSave: ReturnType<typeof setTimeout> | undefined;
  private restoreScrollFor: string | undefined;

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
    root.append(header, this.notice, this.dynamicSection, this.columnHeads, this.view.element);
    this.showNotice('Waiting for a prompt: put the cursor inside a prompt in the editor.');
    followTheme(() => this.render());
    window.addEventListener('message', (event) => this.receive(event.data));
    this.send('ready', {});
  }

  private send<T extends WebviewMessage['type']>(type: T, payload: Payload<T>): void {
    this.vscode.postMessage({ type, version: PROTOCOL_VERSION, ...payload } as WebviewMessage);
  }

  private update(change: Partial<ViewState>): void {
    this.state = { ...this.state, ...change };
    this.vscode.setState(this.state);
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
        break;
      case 'cursor':
        if (message.promptId === this.prompt?.id) this.view.highlightOffset(message.offset, this.reducedMotion.matches);
        break;
      case 'error':
        this.showNotice(message.message, true);
        break;
    }
  }

  private showPrompt(prompt: PromptView, columns: TokenColumn[]): void {
    this.prompt = prompt;
    this.columns = columns;
    this.titleElement.textContent = prompt.title;
    this.titleElement.title = prompt.title;
    this.pin.set(prompt.pinned);
    const promptChanged = this.state.promptId !== prompt.id;
    this.update({ pinned: prompt.pinned, promptId: prompt.id, ...(promptChanged ? { scrollTop: 0 } : {}) });
    this.showNotice(columns.length === 0 ? 'No model selected: pick one above.' : '');
    this.renderDynamicInputs(prompt);
    this.view.setData(prompt, columns);
    this.renderColumnHeads();
    if (this.restoreScrollFor !== undefined) {
      // The first prompt after the panel was shown again: back to where the user was, if it is the same prompt.
      if (this.restoreScrollFor === prompt.id) this.view.scrollTop = this.state.scrollTop;
      this.restoreScrollFor = undefined;
    } else if (promptChanged) {
      this.view.scrollTop = 0;
    }
  }

  private render(): void {
    if (this.prompt) this.view.setData(this.prompt, this.columns);
  }

  private showNotice(text: string, isError = false): void {
    this.notice.textContent = text;
    this.notice.hidden = text === '';
    this.notice.classList.toggle('error', isError);
    this.notice.setAttribute('role', isError ? 'alert' : 'status');
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
    this.columnHeads.style.gridTemplateColumns = `repeat(${Math.max(1, this.columns.length)}, minmax(0, 1fr))`;
    const reference = this.columns[0]?.modelLabel;
    const heads = this.columns.map((column, index) => {
      const head = element('div', 'column-head');
      const name = element('div', 'column-name');
      name.textContent = column.modelLabel;
      name.title = `tokenizer: ${column.tokenizer}`;
      const stats = element('dl', 'stats');
      for (const [label, value] of columnStats(column)) {
        const term = element('dt', '');
        term.textContent = label;
        const detail = element('dd', '');
        detail.textContent = value;
        stats.append(term, detail);
      }
      head.append(name, stats);
      const warning = approximationWarning(column);
      if (warning) {
        const line = element('div', 'approximate');
        line.textContent = warning;
        head.append(line);
      }
      if (index > 0) {
        const count = this.view.columns()[index]?.differCount ?? 0;
        const line = element('div', 'differs');
        line.textContent = count === 0 ? `same splits as ${reference}` : `${count.toLocaleString('en-US')} tokens split differently from ${reference} (underlined)`;
        head.append(line);
      }
      return head;
    });
    this.columnHeads.replaceChildren(...heads);
  }

  private reveal(column: number, token: number): void {
    const found = this.columns[column]?.tokens[token];
    if (!found || !this.prompt) return;
    this.send('revealRange', { promptId: this.prompt.id, start: found.start, end: found.end });
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
      const dataUrl = renderPng({
        title: this.prompt.title,
        columnTitles: this.columns.map((column) => `${column.modelLabel} · ${column.tokens.length.toLocaleString('en-US')} tokens`),
        snapshot: this.view.visibleSnapshot(),
        theme: currentTheme(),
        fontFamily: font.fontFamily,
        fontSize: parseFloat(font.fontSize) || 13,
      });
      this.send('savePng', { dataUrl });
    } catch (error) {
      this.showNotice(`Could not draw the PNG: ${error instanceof Error ? error.message : String(error)}`, true);
    }
  }
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  if (className) created.className = className;
  return created;
}

registerControls();
const root = document.getElementById('app');
if (root) new App(root);
