/**
 * The token columns, side by side in one scroller, rendered virtually: each column is laid out into rows of
 * monospace cells (layout.ts) and only the rows on screen exist in the DOM, so a 50,000-token prompt costs
 * the same to draw and scroll as a short one. A new tokenization lays out and draws the rows on screen at once
 * and the rest of the layout in idle slices of a few milliseconds (the scrollbar's length is an estimate until
 * then); a newer tokenization, option or width cancels the unfinished work. Nothing here keeps the main
 * thread for long, so typing and scrolling stay responsive.
 *
 * Keyboard: each column is one tab stop (role listbox) whose active token is announced through
 * aria-activedescendant; arrows, Home/End and PageUp/PageDown move between tokens, Enter reveals the token's
 * source in the editor. The DOM is built with createElement/textContent and styled through classes and the
 * CSSOM only, as the webview's CSP forbids inline styles in markup.
 */
import { colorClass, sameClass } from '../../ui/colors';
import { IncrementalLayout, tokenOnNearbyRow, visibleRows } from './layout';
import type { PromptView, TokenColumn } from '../../../../common/protocol/index';
import { boundaries, differingTokens, dynamicSegmentOf, partialBytes, tokensAt } from './tokenMath';
import { byteLabel, displayText } from './tokenText';

export interface ViewOptions {
  showWhitespace: boolean;
  idsInline: boolean;
}

export interface ColumnModel {
  column: TokenColumn;
  /** The bytes of the partial-character tokens, by token index. */
  partial: Map<number, readonly number[]>;
  special: Set<number>;
  /** Display texts, computed when the layout first needs them (and again after an option changes). */
  displays: Array<string | undefined>;
  /** 1 where the token splits the text differently from the first column (absent for the first column). */
  differs?: Uint8Array;
  differCount: number;
  dynamic: Int32Array;
  layout: IncrementalLayout;
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

/** Rows drawn above and below the viewport, so a fast scroll shows rows before the next frame draws them. */
const OVERSCAN_ROWS = 8;
/** One idle slice of layout work: short enough that input and painting never wait behind it. */
const IDLE_SLICE_MS = 8;
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
  /**
   * The scroll position and viewport height, kept from scroll and resize events: reading them from the DOM
   * while drawing new rows would force a layout of the whole view inside the same task.
   */
  private viewTop = 0;
  private viewHeight = 0;
  /** The one column shown in a narrow view (tabs), or undefined for all side by side. */
  private single: number | undefined;
  /** Bumped by every new layout: idle work of an older one stops. */
  private layoutGeneration = 0;

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
      this.viewTop = this.scroller.scrollTop;
      this.queueRender();
      this.events.scrolled(this.viewTop);
    });
    this.sizer.addEventListener('click', (event) => this.onClick(event));
    this.sizer.addEventListener('mouseover', (event) => this.onHover(event));
    // The probe too: a font change (theme, zoom) resizes it, and the cells of a row change with it.
    const resizes = new ResizeObserver(() => this.onResize());
    resizes.observe(this.scroller);
    resizes.observe(this.probe);
  }

  get scrollTop(): number {
    return this.viewTop;
  }

  set scrollTop(value: number) {
    this.scroller.scrollTop = value;
    this.viewTop = value;
    this.queueRender();
  }

  columns(): readonly ColumnModel[] {
    return this.models;
  }

  /** Shows only column `index` (a narrow view with a tab per tokenizer), or with undefined every column side by side. */
  showSingleColumn(index: number | undefined): void {
    const single = index === undefined ? undefined : Math.max(0, index);
    if (single === this.single) return;
    this.single = single;
    this.applySingle();
    // Another column (not laid out while hidden) and another width: measure and lay out in the next frame.
    requestAnimationFrame(() => {
      if (this.models.length === 0) return;
      this.measure();
      this.relayout();
    });
  }

  private shownModels(): ColumnModel[] {
    return this.shown().map((index) => this.models[index]);
  }

  /** Indexes of the columns on screen. */
  private shown(): number[] {
    if (this.single !== undefined && this.models.length > 0) return [Math.min(this.single, this.models.length - 1)];
    return this.models.map((_model, index) => index);
  }

  private applySingle(): void {
    const shown = new Set(this.shown());
    this.columnElements.forEach((element, index) => (element.hidden = !shown.has(index)));
    this.sizer.style.gridTemplateColumns = `repeat(${Math.max(1, shown.size)}, minmax(0, 1fr))`;
  }

  /** Shows a new tokenization; keeps each column's active token when the prompt stays the same (typing, re-tokenizing). */
  setData(prompt: PromptView, columns: TokenColumn[]): void {
    const samePrompt = this.prompt?.id === prompt.id;
    const previous = this.models;
    this.prompt = prompt;
    const reference = columns.length > 1 ? boundaries(columns[0], prompt.text.length) : undefined;
    this.models = columns.map((column, index) => {
      const count = column.ids.length;
      const differs = index > 0 && reference ? differingTokens(column, reference) : undefined;
      let differCount = 0;
      if (differs) for (let k = 0; k < count; k++) differCount += differs[k];
      const active = samePrompt && previous[index] ? Math.min(previous[index].active, count - 1) : 0;
      return {
        column,
        partial: partialBytes(column.partial),
        special: new Set(column.special),
        displays: [],
        differs,
        differCount,
        dynamic: dynamicSegmentOf(column, prompt.segments),
        layout: new IncrementalLayout(0, () => '', () => 0, 1),
        active: Math.max(0, active),
        highlighted: samePrompt && previous[index] ? previous[index].highlighted : new Set<number>(),
      };
    });
    // Only a change in the number of columns changes their width (and so the cells of a row).
    if (this.columnElements.length !== this.models.length) {
      this.buildColumns();
      this.measure();
    } else {
      this.relabelColumns();
    }
    this.relayout();
  }

  setOptions(options: ViewOptions): void {
    this.options = options;
    this.relayout();
  }

  /** Highlights the tokens at `offset` of the prompt text in every column and scrolls the first one into view. */
  highlightOffset(offset: number, reducedMotion: boolean): void {
    let target: { column: number; token: number } | undefined;
    const shown = this.shown();
    this.models.forEach((model, index) => {
      const found = tokensAt(model.column, offset);
      model.highlighted = new Set(found);
      if (found.length > 0) {
        model.active = found[0];
        if (shown.includes(index)) target ??= { column: index, token: found[0] };
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
  visibleSnapshot(): { rowHeight: number; cellWidth: number; columnWidth: number; columns: number[]; rows: DrawnPiece[][][] } {
    const { first, last } = visibleRows(this.viewTop, this.viewHeight, this.rowHeight, Number.MAX_SAFE_INTEGER, 0);
    const columns = this.shown();
    const rows = columns.map((index) => {
      const model = this.models[index];
      const drawn: DrawnPiece[][] = [];
      const { layout } = model;
      layout.throughRow(last);
      for (let row = first; row <= Math.min(last, layout.rowCount - 1); row++) {
        const pieces: DrawnPiece[] = [];
        for (let piece = layout.rowFirstPiece[row]; piece < layout.rowFirstPiece[row + 1]; piece++) {
          const token = layout.pieceToken[piece];
          const text = this.display(model, token).slice(layout.pieceFrom[piece], layout.pieceTo[piece]);
          const isLast = layout.tokenLastPiece[token] === piece;
          const id = model.column.ids[token];
          pieces.push({
            cell: layout.pieceCell[piece],
            cells: layout.pieceCells[piece],
            text,
            colorClass: colorClass(id),
            ...(isLast && this.options.idsInline ? { label: String(id) } : {}),
          });
        }
        drawn.push(pieces);
      }
      return drawn;
    });
    const columnWidth = this.columnElements[columns[0]]?.clientWidth ?? this.scroller.clientWidth;
    return { rowHeight: this.rowHeight, cellWidth: this.cellWidth, columnWidth, columns, rows };
  }

  /** Token k's display text, computed once per layout. */
  private display(model: ColumnModel, token: number): string {
    let shown = model.displays[token];
    if (shown === undefined) {
      const { column } = model;
      const text = this.prompt?.text.slice(column.starts[token], column.ends[token]) ?? '';
      shown = displayText(text, model.partial.get(token), this.options.showWhitespace);
      model.displays[token] = shown;
    }
    return shown;
  }

  /**
   * Starts every column's layout over (new data, options or width): the rows on screen now, the rest in idle
   * slices. The scroller's height is estimated from the part laid out until the layout completes.
   */
  private relayout(): void {
    const generation = ++this.layoutGeneration;
    const { idsInline } = this.options;
    // Hidden columns (tabs) keep an empty layout until shown: showing one lays it out (onResize).
    for (const model of this.shownModels()) {
      const ids = model.column.ids;
      model.displays = [];
      // The id label is drawn in a smaller font after a thin gap; one cell more than its digits keeps it clear.
      const labelCells = idsInline ? (token: number) => String(ids[token]).length + 1 : () => 0;
      model.layout = new IncrementalLayout(ids.length, (token) => this.display(model, token), labelCells, this.rowCells - GUTTER_CELLS);
    }
    // The rows on screen only, now; the overscan rows in the next frame: the first paint of a new prompt is
    // a task of its own, and a smaller one.
    this.renderNow(0);
    this.queueRender();
    this.continueLayout(generation);
  }

  private continueLayout(generation: number): void {
    const step = () => {
      if (generation !== this.layoutGeneration) return;
      const deadline = performance.now() + IDLE_SLICE_MS;
      let complete = true;
      for (const model of this.shownModels()) {
        if (!model.layout.complete && !model.layout.until(deadline, () => performance.now())) complete = false;
      }
      this.updateHeights();
      if (!complete) schedule();
    };
    const schedule = () => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(step, { timeout: 100 });
      else setTimeout(step, 0);
    };
    schedule();
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
    this.applySingle();
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
    const columnWidth = this.columnElements[this.shown()[0]]?.clientWidth ?? this.scroller.clientWidth;
    const cells = Math.max(8, Math.floor((columnWidth - 8) / this.cellWidth));
    const changed = cells !== this.rowCells;
    this.rowCells = cells;
    return changed;
  }

  private onResize(): void {
    this.viewHeight = this.scroller.clientHeight;
    if (this.models.length === 0) return;
    if (this.measure()) this.relayout();
    else this.queueRender();
  }

  /** The scroll height: exact for a complete layout, else the rows so far scaled by the tokens still to come. */
  private updateHeights(): void {
    let rows = 1;
    for (const { layout, column } of this.shownModels()) {
      const count = column.ids.length;
      const estimate = layout.complete || layout.tokensDone === 0 ? layout.rowCount : Math.ceil((layout.rowCount * count) / layout.tokensDone);
      rows = Math.max(rows, estimate);
    }
    const height = `${rows * this.rowHeight}px`;
    if (this.sizer.style.height !== height) this.sizer.style.height = height;
  }

  private queueRender(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      this.renderNow();
    });
  }

  /** Draws the rows on screen, laying out first whatever of them is not laid out yet. */
  private renderNow(overscan = OVERSCAN_ROWS): void {
    const { first, last } = visibleRows(this.viewTop, this.viewHeight || 600, this.rowHeight, Number.MAX_SAFE_INTEGER, overscan);
    const shown = this.shown();
    for (const index of shown) this.models[index].layout.throughRow(last);
    this.updateHeights();
    for (const index of shown) {
      const model = this.models[index];
      this.renderColumn(model, index, first, Math.min(last, model.layout.rowCount - 1));
    }
  }

  private renderColumn(model: ColumnModel, index: number, first: number, last: number): void {
    const { layout, column, differs, dynamic, highlighted, active, partial, special } = model;
    const ids = column.ids;
    const window = this.windows[index];
    const fragment = document.createDocumentFragment();
    let activeId: string | undefined;
    for (let row = first; row <= last; row++) {
      const rowElement = document.createElement('div');
      rowElement.className = 'row';
      for (let piece = layout.rowFirstPiece[row]; piece < layout.rowFirstPiece[row + 1]; piece++) {
        const k = layout.pieceToken[piece];
        const id = ids[k];
        const span = document.createElement('span');
        let className = `tok c${colorClass(id)}`;
        const isFirst = layout.tokenFirstPiece[k] === piece;
        if (isFirst && k > 0 && sameClass(ids[k - 1], id)) className += ' same';
        if (differs && differs[k]) className += ' diff';
        if (special.size > 0 && special.has(k)) className += ' special';
        if (partial.size > 0 && partial.has(k)) className += ' bytes';
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
        span.textContent = this.display(model, k).slice(layout.pieceFrom[piece], layout.pieceTo[piece]);
        if (this.options.idsInline && layout.tokenLastPiece[k] === piece) {
          const label = document.createElement('span');
          label.className = 'tid';
          label.textContent = String(id);
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
    const { ids, starts, ends } = model.column;
    const bytes = model.partial.get(index);
    const text = bytes ? byteLabel(bytes) : JSON.stringify(this.prompt?.text.slice(starts[index], ends[index]) ?? '');
    const lines = [`id ${ids[index]}  ${text}`, `characters ${starts[index]}–${ends[index]} · token ${index + 1} of ${ids.length}`];
    if (model.special.has(index)) lines.push('special token');
    if (bytes) lines.push('part of a UTF-8 character');
    const segment = model.dynamic[index];
    if (segment >= 0 && this.prompt) lines.push(`from ${this.prompt.segments[segment].source}`);
    if (model.differs?.[index]) lines.push(`splits differently from ${this.models[0].column.modelLabel}`);
    return lines.join('\n');
  }

  private onKey(event: KeyboardEvent, index: number): void {
    const model = this.models[index];
    const count = model.column.ids.length;
    if (count === 0) return;
    const pageRows = Math.max(1, Math.floor(this.viewHeight / this.rowHeight) - 1);
    const { layout } = model;
    const nearby = (delta: number) => {
      // The row moved to must be laid out, and final: the layout may still be going on in idle slices.
      layout.throughToken(model.active);
      const piece = layout.tokenFirstPiece[model.active];
      if (piece >= 0) layout.throughRow(layout.pieceRow[piece] + delta);
      return tokenOnNearbyRow(layout, model.active, delta);
    };
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
        next = Math.min(count - 1, model.active + 1);
        break;
      case 'ArrowLeft':
        next = Math.max(0, model.active - 1);
        break;
      case 'ArrowDown':
        next = nearby(1);
        break;
      case 'ArrowUp':
        next = nearby(-1);
        break;
      case 'PageDown':
        next = nearby(pageRows);
        break;
      case 'PageUp':
        next = nearby(-pageRows);
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
    layout.throughToken(token);
    const piece = layout.tokenFirstPiece[token];
    if (piece < 0) return;
    const top = layout.pieceRow[piece] * this.rowHeight;
    const viewTop = this.viewTop;
    const viewHeight = this.viewHeight;
    if (top >= viewTop && top + this.rowHeight <= viewTop + viewHeight) return;
    const target = Math.max(0, top - Math.floor(viewHeight / 3));
    this.updateHeights(); // tall enough to scroll to a row just laid out
    this.scroller.scrollTo({ top: target, behavior });
    // A smooth scroll renders as it goes (scroll events); an instant one needs the new rows now. Where the
    // browser clamps the position, its scroll event corrects viewTop and draws again.
    if (behavior !== 'smooth') {
      this.viewTop = target;
      this.renderNow();
    }
  }
}
