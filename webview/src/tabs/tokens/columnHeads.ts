/**
 * The heads over the token columns: each column's model, its stats strip, why its count is approximate and
 * how many of its tokens split differently from the first column. Narrow, one column shows at a time,
 * picked with tabs (model and count) that arrow keys move between as in any tab list.
 */
import { formatCount, formatPercent, formatTokens, formatUsd } from '../../../../common/format';
import type { TokenColumn } from '../../../../common/protocol/index';
import { element } from '../../ui/dom';

/** The numbers of a column's stats strip, as label/value pairs in display order. */
export function columnStats(column: TokenColumn): Array<[string, string]> {
  const tokens = column.ids.length;
  const stats: Array<[string, string]> = [
    ['tokens', formatTokens(tokens, column.approximate)],
    ['characters', formatCount(column.characters)],
    ['chars/token', tokens === 0 ? '–' : (column.characters / tokens).toFixed(2)],
    ['cost per call', formatUsd(column.cost)],
    ['cached input', column.cachedCost === undefined ? 'no cache price' : formatUsd(column.cachedCost)],
  ];
  if (column.contextWindow > 0) stats.push(['context window', `${formatPercent(tokens / column.contextWindow)} of ${formatCount(column.contextWindow)}`]);
  return stats;
}

/** `≈ approximate: <reason>`, or undefined for an exact count. */
export function approximationWarning(column: TokenColumn): string | undefined {
  if (!column.approximate) return undefined;
  return `≈ approximate: ${column.approximation ?? 'this model’s tokenizer is not published; a stand-in tokenizer counted'}`;
}

export class ColumnHeads {
  readonly element = element('div', 'column-heads');

  /** `select(index, focus)`: the user picked the column shown when narrow. */
  constructor(private readonly select: (index: number, focus: boolean) => void) {}

  /**
   * Every column's head, or when `narrow` the tabs and the head of column `tab` only; `differCount(index)`
   * is how many tokens of that column split differently from the first.
   */
  render(columns: TokenColumn[], narrow: boolean, tab: number, differCount: (index: number) => number): void {
    const reference = columns[0]?.modelLabel;
    const shown = narrow ? [Math.min(tab, columns.length - 1)].filter((index) => index >= 0) : columns.map((_column, index) => index);
    this.element.style.gridTemplateColumns = `repeat(${Math.max(1, shown.length)}, minmax(0, 1fr))`;
    const heads = shown.map((index) => {
      const column = columns[index];
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
        const count = differCount(index);
        head.append(line('differs', count === 0 ? `same splits as ${reference}` : `${formatCount(count)} tokens split differently from ${reference} (underlined)`));
      }
      return head;
    });
    if (narrow && columns.length > 0) this.element.replaceChildren(this.tabList(columns, tab), ...heads);
    else this.element.replaceChildren(...heads);
  }

  /** Moves the focus to the selected column tab (after the keyboard picked it). */
  focusSelectedTab(): void {
    this.element.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }

  /** One tab per column (model and count), arrow keys moving between them as in any tab list. */
  private tabList(columns: TokenColumn[], selectedTab: number): HTMLElement {
    const list = element('div', 'tabs');
    list.setAttribute('role', 'tablist');
    list.setAttribute('aria-label', 'Tokenizer shown');
    const tabs = columns.map((column, index) => {
      const tab = element('button', 'view-tab column-tab');
      const selected = index === selectedTab;
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      tab.textContent = `${column.modelLabel} · ${column.approximate ? '≈' : ''}${formatCount(column.ids.length)}`;
      tab.title = `${column.modelLabel} (${column.tokenizer})`;
      tab.addEventListener('click', () => this.select(index, false));
      return tab;
    });
    list.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step === 0 || columns.length === 0) return;
      event.preventDefault();
      this.select((selectedTab + step + columns.length) % columns.length, true);
    });
    list.append(...tabs);
    return list;
  }
}

/** A one-line note under a column's stats; cut with an ellipsis when narrow, whole in its tooltip. */
function line(className: string, text: string): HTMLElement {
  const note = element('div', className);
  note.textContent = text;
  note.title = text;
  return note;
}
