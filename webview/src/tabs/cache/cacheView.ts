/**
 * The Cache tab: a conversation's turns as a timeline (one row per turn, a bar split into cached / uncertain /
 * written / uncached tokens), a tooltip per row with the first divergent token and the causes, a cost table
 * with and without caching, and a summary. A provider switcher applies another provider's rules, and a
 * conversation can be pasted instead of following the editor. Both lists are virtualised (virtualList.ts).
 */
import './cache.css';
import { button, dropdown, textArea, type Control } from '../../ui/controls';
import { element } from '../../ui/dom';
import {
  ACTUAL_COLUMN,
  COST_COLUMNS,
  SEGMENT_LABELS,
  barSegments,
  costRow,
  costTotalRow,
  progressText,
  summaryItems,
  tooltipContent,
  turnDescription,
  type SegmentKind,
} from './timeline';
import type { CacheResultView, HostMessage } from '../../../../common/protocol/index';
import { VirtualList } from '../../ui/virtualList';
import type { HostHandlers, Tab, TabContext } from '../tab';
import { formatCount, formatTokenRange } from '../../../../common/format';

type CacheMessage = Extract<HostMessage, { type: 'cache' }>;

const TIMELINE_ROW_HEIGHT = 26;
const COST_ROW_HEIGHT = 22;
const TOOLTIP_ID = 'cache-tooltip';

export class CacheView implements Tab<'cache'> {
  readonly label = 'Cache';
  readonly receive: HostHandlers<'cache'> = { cache: (message) => this.show(message) };
  readonly element = element('section', 'cache-view');
  private readonly provider = dropdown('Caching rules of provider', (provider) => this.host.send('setCacheProvider', { provider }));
  private readonly pasteBox: Control<string> = textArea('Conversation to analyse', 'Paste a request log (JSON or JSONL of Chat Completions, Responses or Messages bodies) or a messages array…');
  private readonly pasteSection = element('div', 'cache-paste');
  private readonly followButton: HTMLElement;
  private readonly notice = element('div', 'notice');
  private readonly progress = element('progress', 'cache-progress');
  private readonly sourceElement = element('div', 'cache-source');
  private readonly summary = element('dl', 'cache-summary');
  private readonly legend = element('div', 'cache-legend');
  private readonly timeline: VirtualList;
  private readonly costHead = element('div', 'cost-row cost-head');
  private readonly costTotal = element('div', 'cost-row cost-total');
  private readonly costTable: VirtualList;
  private readonly costSection = element('div', 'cost-table');
  private readonly notices = element('ul', 'cache-notices');
  private readonly tooltip = element('div', 'cache-tooltip hover-card');
  private readonly headings = [heading('Timeline'), heading('Cost per turn')];
  private result: CacheResultView | undefined;
  private scale = 0;
  private withActual = false;
  /** The row in the tab order (roving tabindex), and the one whose tooltip is shown. */
  private active = 0;
  private tooltipFor: number | undefined;

  constructor(private readonly host: TabContext) {
    this.timeline = new VirtualList('cache-timeline', TIMELINE_ROW_HEIGHT, () => (this.result ? this.active : undefined));
    this.timeline.element.setAttribute('role', 'listbox');
    this.timeline.element.setAttribute('aria-label', 'Cache timeline, one row per turn');
    this.timeline.element.addEventListener('keydown', (event) => this.key(event));
    this.costTable = new VirtualList('cost-body', COST_ROW_HEIGHT);
    this.costTable.element.setAttribute('role', 'rowgroup');
    this.costSection.setAttribute('role', 'table');
    this.costSection.setAttribute('aria-label', 'Cost per turn, with and without caching');
    this.costSection.append(this.costHead, this.costTable.element, this.costTotal);

    const providerLabel = element('span', 'cache-label');
    providerLabel.textContent = 'Provider';
    const pasteButton = button('Paste conversation…', 'Analyse a conversation or request log pasted here instead of the editor’s', () => this.openPaste());
    this.followButton = button('Follow editor', 'Show the conversation of the active editor again', () => this.host.send('setCacheInput', { text: null }));
    const toolbar = element('div', 'toolbar cache-toolbar');
    toolbar.append(providerLabel, this.provider.element, pasteButton, this.followButton);

    const analyse = button('Predict', 'Predict the prompt cache for the pasted conversation', () => {
      const text = this.pasteBox.get();
      if (text.trim() === '') return;
      this.pasteSection.hidden = true;
      this.host.send('setCacheInput', { text });
    }, 'primary');
    const cancel = button('Cancel', 'Close the paste box', () => (this.pasteSection.hidden = true));
    const actions = element('div', 'toolbar');
    actions.append(analyse, cancel);
    this.pasteSection.append(this.pasteBox.element, actions);
    this.pasteSection.hidden = true;

    this.tooltip.id = TOOLTIP_ID;
    this.tooltip.setAttribute('role', 'tooltip');
    this.tooltip.hidden = true;
    this.renderLegend();

    const [timelineHeading, costHeading] = this.headings;
    this.progress.hidden = true;
    this.progress.setAttribute('aria-hidden', 'true'); // the notice says the same in words
    this.element.append(toolbar, this.pasteSection, this.notice, this.progress, this.sourceElement, this.summary, timelineHeading, this.legend, this.timeline.element, costHeading, this.costSection, this.notices, this.tooltip);
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.hideTooltip();
    });
    this.showReason('Open the Cache tab on a request log, a messages file or a prompt in code, or paste a conversation.');
  }

  private show(message: CacheMessage): void {
    this.followButton.hidden = !message.pasted;
    this.hideTooltip();
    this.progress.hidden = message.progress === undefined;
    if (message.progress) {
      // The switcher keeps the pick: the provider in effect is known once the log is read.
      this.showReason(progressText(message.progress));
      if (message.progress.total > 0) {
        this.progress.max = message.progress.total;
        this.progress.value = message.progress.done;
      } else this.progress.removeAttribute('value'); // indeterminate until the log is read
      return;
    }
    this.provider.setChoices(message.providers, message.provider);
    if (!message.result) {
      this.result = undefined;
      this.showReason(message.reason ?? '');
      return;
    }
    const result = message.result;
    const sameConversation = this.result?.source.title === result.source.title && this.result.turns.length === result.turns.length;
    this.result = result;
    if (!sameConversation) this.active = 0;
    this.scale = result.turns.reduce((max, turn) => Math.max(max, turn.inputTokens), 0);
    this.withActual = result.turns.some((turn) => turn.actual !== undefined);
    this.notice.hidden = true;
    this.setContentHidden(false);
    this.renderSource(result);
    this.renderSummary(result);
    this.timeline.setRows(result.turns.length, (index) => this.timelineRow(index));
    this.renderCostTable(result);
    this.notices.replaceChildren(
      ...result.notices.map((text) => {
        const item = element('li', '');
        item.textContent = text;
        return item;
      }),
    );
  }

  private showReason(reason: string): void {
    this.notice.textContent = reason;
    this.notice.hidden = reason === '';
    this.notice.setAttribute('role', 'status');
    this.setContentHidden(true);
  }

  private setContentHidden(hidden: boolean): void {
    for (const part of [this.sourceElement, this.summary, this.legend, this.timeline.element, this.costSection, this.notices]) part.hidden = hidden;
    for (const part of this.headings) part.hidden = hidden;
  }

  private openPaste(): void {
    this.pasteSection.hidden = false;
    this.pasteBox.element.focus();
  }

  private renderSource(result: CacheResultView): void {
    const title = element('div', 'cache-title');
    title.textContent = result.source.title;
    const detail = element('div', 'cache-detail');
    detail.textContent = result.source.detail;
    const rules = element('div', 'cache-detail');
    rules.textContent = `Rules: ${result.profile.label}`;
    rules.title = result.profile.notes.join('\n');
    this.sourceElement.replaceChildren(title, detail, rules);
  }

  private renderSummary(result: CacheResultView): void {
    const items = summaryItems(result.summary).flatMap(([label, value]) => {
      const term = element('dt', '');
      term.textContent = label;
      const detail = element('dd', '');
      detail.textContent = value;
      return [term, detail];
    });
    this.summary.replaceChildren(...items);
  }

  private renderLegend(): void {
    const kinds: SegmentKind[] = ['cached', 'uncertain', 'written', 'uncached'];
    this.legend.setAttribute('aria-hidden', 'true'); // each row's accessible name says the same in words
    this.legend.replaceChildren(
      ...kinds.map((kind) => {
        const item = element('span', 'legend-item');
        const swatch = element('span', `seg ${kind}`);
        const label = element('span', '');
        label.textContent = SEGMENT_LABELS[kind];
        item.append(swatch, label);
        return item;
      }),
    );
  }

  private timelineRow(index: number): HTMLElement {
    const turn = this.result!.turns[index];
    const row = element('div', 'cache-row');
    row.setAttribute('role', 'option');
    row.setAttribute('aria-posinset', String(index + 1));
    row.setAttribute('aria-setsize', String(this.result!.turns.length));
    row.setAttribute('aria-selected', String(index === this.active));
    row.setAttribute('aria-label', turnDescription(turn));
    row.tabIndex = index === this.active ? 0 : -1;
    row.dataset.turn = String(turn.turn);
    const label = element('span', 'row-turn');
    label.textContent = `${turn.turn}`;
    const from = element('span', 'row-from');
    from.textContent = turn.reusedFrom !== undefined ? `← ${turn.reusedFrom}` : '';
    const bar = element('span', 'bar');
    for (const segment of barSegments(turn, this.scale)) {
      const piece = element('span', `seg ${segment.kind}`);
      piece.style.width = `${segment.percent}%`;
      bar.append(piece);
    }
    const figure = element('span', 'row-figure');
    figure.textContent = `${formatTokenRange(turn.cached, turn.certainty)} / ${formatCount(turn.inputTokens)}`;
    row.append(label, from, bar, figure);
    row.addEventListener('mouseenter', () => this.showTooltip(index, row));
    row.addEventListener('mouseleave', () => {
      if (row !== document.activeElement) this.hideTooltip();
    });
    row.addEventListener('focus', () => {
      this.setActive(index);
      this.showTooltip(index, row);
    });
    row.addEventListener('blur', () => this.hideTooltip());
    row.addEventListener('click', () => row.focus());
    return row;
  }

  private setActive(index: number): void {
    if (index === this.active) return;
    const previous = this.active;
    this.active = index;
    for (const changed of [previous, index]) {
      const row = this.timeline.row(changed);
      if (!row) continue;
      row.tabIndex = changed === index ? 0 : -1;
      row.setAttribute('aria-selected', String(changed === index));
    }
  }

  private key(event: KeyboardEvent): void {
    if (!this.result || this.result.turns.length === 0) return;
    const last = this.result.turns.length - 1;
    const page = this.timeline.pageSize();
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    let next: number;
    if (event.key in moves) next = this.active + moves[event.key];
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else return;
    event.preventDefault();
    next = Math.max(0, Math.min(last, next));
    this.setActive(next);
    this.timeline.reveal(next);
    this.timeline.row(next)?.focus();
  }

  private showTooltip(index: number, row: HTMLElement): void {
    const turn = this.result?.turns[index];
    if (!turn) return;
    const content = tooltipContent(turn);
    const parts: HTMLElement[] = [];
    const head = element('div', 'tip-heading');
    head.textContent = content.heading;
    parts.push(head);
    const facts = element('dl', 'tip-facts');
    for (const [label, value] of content.facts) {
      const term = element('dt', '');
      term.textContent = label;
      const detail = element('dd', '');
      detail.textContent = value;
      facts.append(term, detail);
    }
    parts.push(facts);
    if (content.divergence) {
      const where = element('div', 'tip-divergence');
      where.textContent = content.divergence.where;
      parts.push(where, excerpt('before', content.divergence.before), excerpt('after', content.divergence.after));
    }
    if (content.causes.length > 0) {
      const list = element('ul', 'tip-causes');
      for (const cause of content.causes) {
        const item = element('li', '');
        item.textContent = cause;
        list.append(item);
      }
      parts.push(list);
    }
    for (const note of content.notes) {
      const line = element('div', 'tip-note');
      line.textContent = note;
      parts.push(line);
    }
    this.tooltip.replaceChildren(...parts);
    this.tooltip.hidden = false;
    this.tooltipFor = index;
    row.setAttribute('aria-describedby', TOOLTIP_ID);
    // Below the row, or above it when the row is in the lower half of the window.
    const box = row.getBoundingClientRect();
    const height = this.tooltip.offsetHeight;
    const below = box.bottom + 4;
    const top = below + height > window.innerHeight && box.top - height - 4 >= 0 ? box.top - height - 4 : Math.min(below, Math.max(0, window.innerHeight - height));
    this.tooltip.style.top = `${top}px`;
    this.tooltip.style.left = `${Math.max(4, Math.min(box.left + 24, window.innerWidth - this.tooltip.offsetWidth - 4))}px`;
  }

  private hideTooltip(): void {
    if (this.tooltipFor !== undefined) this.timeline.row(this.tooltipFor)?.removeAttribute('aria-describedby');
    this.tooltipFor = undefined;
    this.tooltip.hidden = true;
  }

  private renderCostTable(result: CacheResultView): void {
    const columns: string[] = [...COST_COLUMNS, ...(this.withActual ? [ACTUAL_COLUMN] : [])];
    this.costSection.style.setProperty('--pl-cost-columns', String(columns.length));
    this.costSection.style.setProperty('--pl-cost-template', `4em repeat(${columns.length - 1}, minmax(7em, 1fr))`);
    this.costHead.setAttribute('role', 'row');
    this.costHead.replaceChildren(...columns.map((name) => cell(name, 'columnheader')));
    this.costTable.setRows(result.turns.length, (index) => {
      const row = element('div', 'cost-row');
      row.setAttribute('role', 'row');
      row.setAttribute('aria-rowindex', String(index + 2));
      row.append(...costRow(result.turns[index], this.withActual).map((text) => cell(text, 'cell')));
      return row;
    });
    this.costTotal.setAttribute('role', 'row');
    this.costTotal.replaceChildren(...costTotalRow(result.summary, this.withActual).map((text) => cell(text, 'cell')));
  }
}

function cell(text: string, role: 'cell' | 'columnheader'): HTMLElement {
  const created = element('span', 'cost-cell');
  created.setAttribute('role', role);
  created.textContent = text;
  return created;
}

function excerpt(label: 'before' | 'after', text: string): HTMLElement {
  const line = element('div', `tip-excerpt ${label}`);
  const name = element('span', 'tip-excerpt-label');
  name.textContent = label === 'before' ? 'reused request: ' : 'this request: ';
  const code = element('code', '');
  code.textContent = text;
  line.append(name, code);
  return line;
}

function heading(text: string): HTMLElement {
  const created = element('h2', 'cache-heading');
  created.textContent = text;
  return created;
}
