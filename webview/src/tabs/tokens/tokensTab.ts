/**
 * The Tokens tab: the prompt's tokenization by one to four tokenizers side by side. A header (title, pin,
 * toggles, Copy JSON and Save PNG, one model picker per column), the dynamic-value inputs, the per-column
 * stats strips and the token view. Below NARROW_WIDTH (the side bar) one column shows at a time, picked with
 * tabs under a compact header, so tokens are on screen without scrolling.
 */
import './tokens.css';
import { errorMessage } from '../../../../common/text';
import { MAX_COLUMNS, type ModelChoice, type PromptView, type TokenColumn } from '../../../../common/protocol/index';
import { button, checkbox, dropdown, toggleButton, type Control } from '../../ui/controls';
import { element } from '../../ui/dom';
import { currentTheme } from '../../ui/theme';
import type { HostHandlers, Tab, TabContext } from '../tab';
import { ColumnHeads } from './columnHeads';
import { DynamicValues } from './dynamicValues';
import { pickModel, restoreState, type TokensState } from './state';
import { tokensJson } from './tokenMath';
import { renderTokensPng } from './tokenPng';
import { TokenView } from './tokenView';
import { formatCount } from '../../../../common/format';

const SCROLL_SAVE_DELAY_MS = 200;

export class TokensTab implements Tab<'models' | 'prompt' | 'empty' | 'cursor' | 'error'> {
  readonly label = 'Tokens';
  readonly element = element('div', 'token-panel');
  readonly receive: HostHandlers<'models' | 'prompt' | 'empty' | 'cursor' | 'error'> = {
    models: (message) => {
      this.models = message.models;
      this.update({ selectedModels: message.selected });
      this.renderModelSlots();
    },
    prompt: (message) => {
      performance.mark('promptlens:prompt-received');
      this.showPrompt(message.prompt, message.columns);
      performance.measure('promptlens:prompt-render', 'promptlens:prompt-received');
    },
    empty: (message) => {
      this.prompt = undefined;
      this.columns = [];
      this.titleElement.textContent = 'Prompt Lens';
      this.view.setData({ id: '', title: '', text: '', segments: [], dynamicValues: {}, pinned: false }, []);
      this.columnHeads.element.replaceChildren();
      this.dynamicValues.clear();
      this.showNotice(message.reason);
    },
    cursor: (message) => {
      if (message.promptId === this.prompt?.id) this.view.highlightOffset(message.offset, this.reducedMotion.matches);
    },
    error: (message) => this.showNotice(message.message, true),
  };

  private state: TokensState;
  private models: ModelChoice[] = [];
  private prompt: PromptView | undefined;
  private columns: TokenColumn[] = [];
  private readonly reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  private readonly titleElement = element('h1', 'title');
  private readonly notice = element('div', 'notice');
  private readonly modelSlots = element('div', 'model-slots');
  private readonly dynamicValues: DynamicValues;
  private readonly columnHeads: ColumnHeads;
  private readonly pin: Control<boolean>;
  private readonly view: TokenView;
  private scrollSave: ReturnType<typeof setTimeout> | undefined;
  private restoreScrollFor: string | undefined;
  private narrow = false;
  /** The column shown in a narrow view. */
  private tab = 0;

  constructor(private readonly host: TabContext) {
    this.state = restoreState(host.stored);
    this.restoreScrollFor = this.state.promptId;
    this.pin = toggleButton((pinned) => (pinned ? 'Pinned' : 'Pin'), 'Keep showing this prompt when the cursor moves elsewhere', this.state.pinned, (pinned) => {
      this.update({ pinned });
      this.host.send('pin', { pinned });
    });
    const whitespace = checkbox('Whitespace', this.state.showWhitespace, (showWhitespace) => this.setViewOption({ showWhitespace }));
    const idsInline = checkbox('Ids inline', this.state.idsInline, (idsInline) => this.setViewOption({ idsInline }));
    this.view = new TokenView(
      {
        reveal: (column, token) => this.reveal(column, token),
        scrolled: (scrollTop) => this.saveScroll(scrollTop),
      },
      { showWhitespace: this.state.showWhitespace, idsInline: this.state.idsInline },
    );
    this.dynamicValues = new DynamicValues((promptId, segment, value) => this.host.send('setDynamicValue', { promptId, segment, value }));
    this.columnHeads = new ColumnHeads((tab, focus) => this.selectTab(tab, focus));
    const toolbar = element('div', 'toolbar');
    toolbar.append(
      this.pin.element,
      whitespace.element,
      idsInline.element,
      button('Copy JSON', 'Copy the tokens of every column as JSON (id, text, byte and character ranges)', () => this.copyJson()),
      button('Save PNG', 'Save the visible token view as a PNG image', () => this.savePng()),
    );
    const header = element('header', 'header');
    header.append(this.titleElement, toolbar, this.modelSlots);
    this.element.append(header, this.notice, this.dynamicValues.element, this.columnHeads.element, this.view.element);
    this.showNotice('Waiting for a prompt: put the cursor inside a prompt in the editor.');
  }

  saveState(): Record<string, unknown> {
    return { ...this.state };
  }

  redraw(): void {
    if (this.prompt) this.view.setData(this.prompt, this.columns);
  }

  setNarrow(narrow: boolean): void {
    this.narrow = narrow;
    this.view.showSingleColumn(narrow ? this.tab : undefined);
    this.renderModelSlots();
    this.renderColumnHeads();
  }

  private update(change: Partial<TokensState>): void {
    this.state = { ...this.state, ...change };
    this.host.stateChanged();
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
    this.dynamicValues.render(prompt);
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

  private showNotice(text: string, isError = false): void {
    this.notice.textContent = text;
    this.notice.hidden = text === '';
    this.notice.classList.toggle('error', isError);
    this.notice.setAttribute('role', isError ? 'alert' : 'status');
  }

  private selectTab(tab: number, focus: boolean): void {
    this.tab = tab;
    this.view.showSingleColumn(tab);
    this.renderModelSlots();
    this.renderColumnHeads();
    if (focus) this.columnHeads.focusSelectedTab();
  }

  private setViewOption(change: Partial<Pick<TokensState, 'showWhitespace' | 'idsInline'>>): void {
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
        this.host.send('setModels', { models: next });
      });
      const extra = isAdd ? [{ value: '', label: '+ compare with…' }] : slot > 0 ? [{ value: '', label: '× remove column' }] : [];
      picker.setChoices([...extra, ...choices], isAdd ? '' : selected[slot]);
      slots.push(picker.element);
    }
    this.modelSlots.replaceChildren(...slots);
  }

  private renderColumnHeads(): void {
    this.columnHeads.render(this.columns, this.narrow, this.tab, (index) => this.view.columns()[index]?.differCount ?? 0);
  }

  private reveal(column: number, token: number): void {
    const found = this.columns[column];
    if (!found || !this.prompt || token >= found.ids.length) return;
    this.host.send('revealRange', { promptId: this.prompt.id, start: found.starts[token], end: found.ends[token] });
  }

  private saveScroll(scrollTop: number): void {
    clearTimeout(this.scrollSave);
    this.scrollSave = setTimeout(() => this.update({ scrollTop }), SCROLL_SAVE_DELAY_MS);
  }

  private copyJson(): void {
    if (!this.prompt) return;
    this.host.send('copyText', { text: tokensJson(this.prompt.title, this.prompt.text, this.columns), what: 'tokens as JSON' });
  }

  private savePng(): void {
    if (!this.prompt) return;
    const font = getComputedStyle(this.view.element);
    try {
      const snapshot = this.view.visibleSnapshot();
      const dataUrl = renderTokensPng({
        title: this.prompt.title,
        columnTitles: snapshot.columns.map((index) => `${this.columns[index].modelLabel} · ${formatCount(this.columns[index].ids.length)} tokens`),
        snapshot,
        theme: currentTheme(),
        fontFamily: font.fontFamily,
        fontSize: parseFloat(font.fontSize) || 13,
      });
      this.host.send('savePng', { dataUrl });
    } catch (error) {
      this.showNotice(`Could not draw the PNG: ${errorMessage(error)}`, true);
    }
  }
}
