/**
 * The token columns, side by side in one scroller, rendered virtually: each column is laid out into rows of
 * monospace cells once (layout.ts) and only the rows on screen exist in the DOM, so a 50,000-token prompt
 * costs the same to draw and scroll as a short one.
 *
 * Keyboard: each column is one tab stop (role listbox) whose active token is announced through
 * aria-activedescendant; arrows, Home/End and PageUp/PageDown move between tokens, Enter reveals the token's
 * source in the editor. The DOM is built with createElement/textContent and styled through classes and the
 * CSSOM only, as the webview's CSP forbids inline styles in markup.
 */
import { colorClass, sameClass } from './colors';
import { layoutRows, tokenOnNearbyRow, visibleRows, type RowLayout } from './layout';
import type { PromptView, TokenColumn } from './protocol';
import { boundaries, differingTokens, dynamicSegmentOf, tokensAt } from './tokenMath';
import { byteLabel, displayText, isByteToken } from './tokenText';

export interface ViewOptions {
  showWhitespace: boolean;
  idsInline: boolean;
}

export interface ColumnModel {
  column: TokenColumn;
  displays: string[];
  /** 1 where the token splits the text differently from the first column (absent for the first column). */
  differs?: Uint8Array;
  differCount: number;
  dynamic: Int32Array;
  layout: RowLayout;
  active: number;
  highlighted: Set<number>;
}

export interface TokenViewEvents {
  reveal(column: number, token: number): void;
  scrolled(scrollTop: number): void;
}

/** One visible row of one column, for the PNG export: the pieces with their cells and drawn text. */
export interface DrawnPiece {
  cell: number;
  cells: number;
  text: string;
  colorClass: number;
  label?: string;
}

const OVERSCAN_ROWS = 12;
const EMPTY_LAYOUT = layoutRows([], () => 0, 1);
/** Cells kept free at the right edge of a column, so a row never touches the next column. */
const GUTTER_CELLS = 1;

export class TokenView {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly sizer: HTMLElement;
  private columnElements: HTMLElement[] = [];
  private windows: HTMLElement[] = [];
  private models: ColumnModel[] = [];
  private prompt: PromptView | undefined;
  private options: ViewOptions;
  private cellWidth = 8;
  private rowHeight = 20;
  private rowCells = 80;
  private renderQueued = false;
  private readonly probe: HTMLElement;

  constructor(private readonly events: TokenViewEvents, options: ViewOptions) {
    this.options = options;
    this.element = document.createElement('div');
    this.element.className = 'token-view';
    this.scroller = document.createElement('div');
    this.scroller.className = 'scroller';
    this.sizer = document.createElement('div');
    this.sizer.className = 'sizer';
    this.probe = document.createElement('span');
    this.probe.className = 'tok-probe';
    this.probe.setAttribute('aria-hidden', 'true');
    this.probe.textContent = 'M'.repeat(100);
    this.scroller.append(this.sizer);
    this.element.append(this.scroller, this.probe);
    this.scroller.addEventListener('scroll', () => {
      this.queueRender();
      this.events.scrolled(this.scroller.scrollTop);
    });
    this.sizer.addEventListener('click', (event) => this.onClick(event));
    this.sizer.addEventListener('mouseover', (event) => this.onHover(event));
    new ResizeObserver(() => this.onResize()).observe(this.scroller);
  }

  get scrollTop(): number {
    return this.scroller.scrollTop;
  }

  set scrollTop(value: number) {
    this.scroller.scrollTop = value;
    this.queueRender();
  }

  columns(): readonly ColumnModel[] {
    return this.models;
  }

  /** Shows a new tokenization; keeps each column's active token when the prompt stays the same (typing, re-tokenizing). */
  setData(prompt: PromptView, columns: TokenColumn[]): void {
    const samePrompt = this.prompt?.id === prompt.id;
    const previous = this.models;
    this.prompt = prompt;
    const reference = columns.length > 1 ? boundaries(columns[0].tokens, prompt.text.length) : undefined;
    this.models = columns.map((column, index) => {
      const differs = index > 0 && reference ? differingTokens(column.tokens, reference) : undefined;
      let differCount = 0;
      if (differs) for (const flag of differs) differCount += flag;
      const active = samePrompt && previous[index] ? Math.min(previous[index].active, column.tokens.length - 1) : 0;
      return {
        column,
        displays: [],
        differs,
        differCount,
        dynamic: dynamicSegmentOf(column.tokens, prompt.segments),
        layout: EMPTY_LAYOUT,
        active: Math.max(0, active),
        highlighted: samePrompt && previous[index] ? previous[index].highlighted : new Set<number>(),
      };
    });
    // Only a change in the number of columns changes their width (and so the cells of a row).
    if (this.columnElements.length !== this.models.length) this.buildColumns();
    else this.relabelColumns();
    this.measure();
    for (const model of this.models) this.layoutColumn(model);
    this.updateHeights();
    this.renderNow();
  }

  setOptions(options: ViewOptions): void {
    this.options = options;
    for (const model of this.models) this.layoutColumn(model);
    this.updateHeights();
    this.renderNow();
  }

  /** Highlights the tokens at `offset` of the prompt text in every column and scrolls the first one into view. */
  highlightOffset(offset: number, reducedMotion: boolean): void {
    let target: { column: number; token: number } | undefined;
    this.models.forEach((model, index) => {
      const found = tokensAt(model.column.tokens, offset);
      model.highlighted = new Set(found);
      if (found.length > 0) {
        model.active = found[0];
        target ??= { column: index, token: found[0] };
      }
    });
    if (target) this.scrollToToken(target.column, target.token, reducedMotion ? 'auto' : 'smooth');
    this.renderNow();
  }

  /** Focuses the active token of a column (keyboard users landing in the view). */
  focusColumn(index: number): void {
    this.columnElements[index]?.focus();
  }

  /** The rows now on screen (no overscan), for drawing the view into a PNG. */
  visibleSnapshot(): { rowHeight: number; cellWidth: number; columnWidth: number; rows: DrawnPiece[][][] } {
    const { first, last } = visibleRows(this.scroller.scrollTop, this.scroller.clientHeight, this.rowHeight, Number.MAX_SAFE_INTEGER, 0);
    const rows = this.models.map((model) => {
      const drawn: DrawnPiece[][] = [];
      for (let row = first; row <= Math.min(last, model.layout.rowCount - 1); row++) {
        const pieces: DrawnPiece[] = [];
        for (let piece = model.layout.rowFirstPiece[row]; piece < model.layout.rowFirstPiece[row + 1]; piece++) {
          const token = model.layout.pieceToken[piece];
          const text = model.displays[token].slice(model.layout.pieceFrom[piece], model.layout.pieceTo[piece]);
          const isLast = model.layout.tokenLastPiece[token] === piece;
          pieces.push({
            cell: model.layout.pieceCell[piece],
            cells: model.layout.pieceCells[piece],
            text,
            colorClass: colorClass(model.column.tokens[token].id),
            ...(isLast && this.options.idsInline ? { label: String(model.column.tokens[token].id) } : {}),
          });
        }
        drawn.push(pieces);
      }
      return drawn;
    });
    const columnWidth = this.columnElements[0]?.clientWidth ?? this.scroller.clientWidth;
    return { rowHeight: this.rowHeight, cellWidth: this.cellWidth, columnWidth, rows };
  }

  private layoutColumn(model: ColumnModel): void {
    const { showWhitespace, idsInline } = this.options;
    const tokens = model.column.tokens;
    model.displays = tokens.map((token) => displayText(token, showWhitespace));
    // The id label is drawn in a smaller font after a thin gap; one cell more than its digits keeps it clear.
    const labelCells = idsInline ? (token: number) => String(tokens[token].id).length + 1 : () => 0;
    model.layout = layoutRows(model.displays, labelCells, this.rowCells - GUTTER_CELLS);
  }

  private buildColumns(): void {
    this.columnElements = [];
    this.windows = [];
    const children = this.models.map((_model, index) => {
      const column = document.createElement('div');
      column.className = 'column';
      column.tabIndex = 0;
      column.setAttribute('role', 'listbox');
      column.dataset.column = String(index);
      column.addEventListener('keydown', (event) => this.onKey(event, index));
      const window = document.createElement('div');
      window.className = 'rows';
      column.append(window);
      this.columnElements.push(column);
      this.windows.push(window);
      return column;
    });
    this.sizer.replaceChildren(...children);
    this.sizer.style.gridTemplateColumns = `repeat(${Math.max(1, this.models.length)}, minmax(0, 1fr))`;
    this.relabelColumns();
  }

  private relabelColumns(): void {
    this.models.forEach((model, index) => {
      this.columnElements[index].setAttribute('aria-label', `${model.column.modelLabel} tokens: arrow keys move, Enter shows the token in the editor`);
    });
  }

  /** Measures the monospace cell and row size in the current font, and the cells a column row holds. */
  private measure(): boolean {
    const probeBox = this.probe.getBoundingClientRect();
    if (probeBox.width > 0) this.cellWidth = probeBox.width / 100;
    if (probeBox.height > 0) this.rowHeight = Math.ceil(probeBox.height);
    this.element.style.setProperty('--pl-row-height', `${this.rowHeight}px`);
    const columnWidth = this.columnElements[0]?.clientWidth ?? this.scroller.clientWidth;
    const cells = Math.max(8, Math.floor((columnWidth - 8) / this.cellWidth));
    const changed = cells !== this.rowCells;
    this.rowCells = cells;
    return changed;
  }

  private onResize(): void {
    if (this.models.length === 0) return;
    if (this.measure()) {
      for (const model of this.models) this.layoutColumn(model);
      this.updateHeights();
    }
    this.queueRender();
  }

  private updateHeights(): void {
    const rows = Math.max(1, ...this.models.map((model) => model.layout.rowCount));
    this.sizer.style.height = `${rows * this.rowHeight}px`;
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderNow();
    });
  }

  private renderNow(): void {
    const { first, last } = visibleRows(this.scroller.scrollTop, this.scroller.clientHeight || 600, this.rowHeight, Number.MAX_SAFE_INTEGER, OVERSCAN_ROWS);
    this.models.forEach((model, index) => this.renderColumn(model, index, first, Math.min(last, model.layout.rowCount - 1)));
  }

  private renderColumn(model: ColumnModel, index: number, first: number, last: number): void {
    const { layout, column, displays, differs, dynamic, highlighted, active } = model;
    const tokens = column.tokens;
    const window = this.windows[index];
    const fragment = document.createDocumentFragment();
    let activeId: string | undefined;
    for (let row = first; row <= last; row++) {
      const rowElement = document.createElement('div');
      rowElement.className = 'row';
      for (let piece = layout.rowFirstPiece[row]; piece < layout.rowFirstPiece[row + 1]; piece++) {
        const k = layout.pieceToken[piece];
        const token = tokens[k];
        const span = document.createElement('span');
        let className = `tok c${colorClass(token.id)}`;
        const isFirst = layout.tokenFirstPiece[k] === piece;
        if (isFirst && k > 0 && sameClass(tokens[k - 1].id, token.id)) className += ' same';
        if (differs && differs[k]) className += ' diff';
        if (token.special) className += ' special';
        if (token.bytes && isByteToken(token)) className += ' bytes';
        if (dynamic[k] >= 0) className += ' dyn';
        if (highlighted.has(k)) className += ' cursor';
        if (k === active) {
          className += ' active';
          if (isFirst) {
            activeId = `tok-${index}-${k}`;
            span.id = activeId;
          }
        }
        span.className = className;
        span.dataset.token = String(k);
        span.setAttribute('role', 'option');
        span.textContent = displays[k].slice(layout.pieceFrom[piece], layout.pieceTo[piece]);
        if (this.options.idsInline && layout.tokenLastPiece[k] === piece) {
          const label = document.createElement('span');
          label.className = 'tid';
          label.textContent = String(token.id);
          span.append(label);
        }
        rowElement.append(span);
      }
      fragment.append(rowElement);
    }
    window.style.transform = `translateY(${first * this.rowHeight}px)`;
    window.replaceChildren(fragment);
    const columnElement = this.columnElements[index];
    if (activeId) columnElement.setAttribute('aria-activedescendant', activeId);
    else columnElement.removeAttribute('aria-activedescendant');
  }

  private tokenOf(event: Event): { column: number; token: number; span: HTMLElement } | undefined {
    const span = (event.target as HTMLElement | null)?.closest<HTMLElement>('.tok');
    const column = span?.closest<HTMLElement>('.column');
    if (!span || !column) return undefined;
    return { column: Number(column.dataset.column), token: Number(span.dataset.token), span };
  }

  private onClick(event: MouseEvent): void {
    const hit = this.tokenOf(event);
    if (!hit) return;
    this.models[hit.column].active = hit.token;
    this.columnElements[hit.column].focus({ preventScroll: true });
    this.renderNow();
    this.events.reveal(hit.column, hit.token);
  }

  /** Tooltips are written when first hovered: 50,000 title attributes nobody reads would cost render time. */
  private onHover(event: MouseEvent): void {
    const hit = this.tokenOf(event);
    if (!hit || hit.span.title) return;
    hit.span.title = this.describe(hit.column, hit.token);
  }

  /** The tooltip: id, text, offsets and every mark the token carries. */
  describe(columnIndex: number, index: number): string {
    const model = this.models[columnIndex];
    const token = model.column.tokens[index];
    const text = isByteToken(token) ? byteLabel(token.bytes!) : JSON.stringify(token.text);
    const lines = [`id ${token.id}  ${text}`, `characters ${token.start}–${token.end} · token ${index + 1} of ${model.column.tokens.length}`];
    if (token.special) lines.push('special token');
    if (isByteToken(token)) lines.push('part of a UTF-8 character');
    const segment = model.dynamic[index];
    if (segment >= 0 && this.prompt) lines.push(`from ${this.prompt.segments[segment].source}`);
    if (model.differs?.[index]) lines.push(`splits differently from ${this.models[0].column.modelLabel}`);
    return lines.join('\n');
  }

  private onKey(event: KeyboardEvent, index: number): void {
    const model = this.models[index];
    const count = model.column.tokens.length;
    if (count === 0) return;
    const pageRows = Math.max(1, Math.floor(this.scroller.clientHeight / this.rowHeight) - 1);
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
        next = Math.min(count - 1, model.active + 1);
        break;
      case 'ArrowLeft':
        next = Math.max(0, model.active - 1);
        break;
      case 'ArrowDown':
        next = tokenOnNearbyRow(model.layout, model.active, 1);
        break;
      case 'ArrowUp':
        next = tokenOnNearbyRow(model.layout, model.active, -1);
        break;
      case 'PageDown':
        next = tokenOnNearbyRow(model.layout, model.active, pageRows);
        break;
      case 'PageUp':
        next = tokenOnNearbyRow(model.layout, model.active, -pageRows);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.events.reveal(index, model.active);
        return;
      default:
        return;
    }
    event.preventDefault();
    model.active = next;
    this.scrollToToken(index, next, 'auto');
    this.renderNow();
  }

  /** Scrolls so that the token's row is on screen, when it is not already. */
  private scrollToToken(columnIndex: number, token: number, behavior: ScrollBehavior): void {
    const layout = this.models[columnIndex].layout;
    const piece = layout.tokenFirstPiece[token];
    if (piece < 0) return;
    const top = layout.pieceRow[piece] * this.rowHeight;
    const viewTop = this.scroller.scrollTop;
    const viewHeight = this.scroller.clientHeight;
    if (top >= viewTop && top + this.rowHeight <= viewTop + viewHeight) return;
    const target = Math.max(0, top - Math.floor(viewHeight / 3));
    this.scroller.scrollTo({ top: target, behavior });
    // A smooth scroll renders as it goes (scroll events); an instant one needs the new rows now.
    if (behavior !== 'smooth') this.renderNow();
  }
}
