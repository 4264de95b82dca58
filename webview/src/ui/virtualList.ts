/**
 * A scrolling list of fixed-height rows where only the rows near the viewport exist in the DOM, so a
 * conversation of thousands of turns draws as fast as one of ten. Rows on screen are kept while they stay
 * on screen (a focused row keeps its focus while the list scrolls), and the row `keep()` names is rendered
 * even when scrolled away, so keyboard focus is never dropped onto the page.
 */

/** The first and one-past-last rows to render for a scroll position, with `overscan` rows either side. */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 8): { first: number; end: number } {
  if (count === 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + Math.max(viewportHeight, 0)) / rowHeight) + overscan);
  return { first: Math.min(first, end), end };
}

export class VirtualList {
  readonly element: HTMLElement;
  private readonly sizer: HTMLElement;
  private readonly rows = new Map<number, HTMLElement>();
  private count = 0;
  private renderRow: (index: number) => HTMLElement = () => document.createElement('div');
  private frame = 0;

  constructor(
    className: string,
    private readonly rowHeight: number,
    private readonly keep: () => number | undefined = () => undefined,
  ) {
    this.element = document.createElement('div');
    this.element.className = `virtual-list ${className}`;
    this.sizer = document.createElement('div');
    this.sizer.className = 'virtual-sizer';
    this.element.append(this.sizer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  /** New rows: every rendered row is drawn again. */
  setRows(count: number, renderRow: (index: number) => HTMLElement): void {
    this.count = count;
    this.renderRow = renderRow;
    for (const row of this.rows.values()) row.remove();
    this.rows.clear();
    this.sizer.style.height = `${count * this.rowHeight}px`;
    // A short list is as tall as its rows (CSS caps the height with min(); see .virtual-list).
    this.element.style.setProperty('--pl-list-content', `${count * this.rowHeight + 2}px`);
    this.draw();
  }

  /** Draws one row again (its state changed), if it is rendered. */
  refreshRow(index: number): void {
    const old = this.rows.get(index);
    if (!old) return;
    const row = this.place(index);
    old.replaceWith(row);
  }

  /** Scrolls the least needed to show row `index` whole, and draws. */
  reveal(index: number): void {
    const top = index * this.rowHeight;
    const bottom = top + this.rowHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (bottom > this.element.scrollTop + this.element.clientHeight) this.element.scrollTop = bottom - this.element.clientHeight;
    this.draw();
  }

  row(index: number): HTMLElement | undefined {
    return this.rows.get(index);
  }

  /** Rows that fit in the viewport (for Page Up / Page Down). */
  pageSize(): number {
    return Math.max(1, Math.floor(this.element.clientHeight / this.rowHeight) - 1);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private place(index: number): HTMLElement {
    const row = this.renderRow(index);
    row.style.position = 'absolute';
    row.style.top = `${index * this.rowHeight}px`;
    row.style.height = `${this.rowHeight}px`;
    row.style.left = '0';
    row.style.right = '0';
    row.dataset.index = String(index);
    this.rows.set(index, row);
    return row;
  }

  private draw(): void {
    const { first, end } = visibleRows(this.element.scrollTop, this.element.clientHeight || 400, this.rowHeight, this.count);
    const kept = this.keep();
    const wanted = (index: number) => (index >= first && index < end) || index === kept;
    for (const [index, row] of this.rows) {
      if (!wanted(index) || index >= this.count) {
        row.remove();
        this.rows.delete(index);
      }
    }
    const added: HTMLElement[] = [];
    for (let index = first; index < end; index++) if (!this.rows.has(index)) added.push(this.place(index));
    if (kept !== undefined && kept < this.count && !this.rows.has(kept)) added.push(this.place(kept));
    if (added.length > 0) this.sizer.append(...added);
  }
}
