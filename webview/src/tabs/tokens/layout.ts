/**
 * The virtual-row layout of one token column: tokens are cut into pieces at newlines and at the row width
 * (in monospace cells), pieces are placed on rows of a fixed height, and the view renders only the rows
 * on screen. Being a pure function of the texts and the width, it is computed without touching the DOM,
 * in one linear pass that can stop and resume: the view lays out the rows on screen first and the rest in
 * idle slices, so no task of a 50,000-token prompt keeps the main thread long.
 */
import { cellWidth, fitCells } from './tokenText';

export interface RowLayout {
  /** Rows laid out so far; while the layout is not complete, the last of them may still grow. */
  readonly rowCount: number;
  readonly pieceCount: number;
  /** Pieces of row r: rowFirstPiece[r] .. rowFirstPiece[r + 1] - 1, for r < rowCount. */
  readonly rowFirstPiece: Int32Array;
  readonly pieceToken: Int32Array;
  /** UTF-16 range of the piece in its token's display text. */
  readonly pieceFrom: Int32Array;
  readonly pieceTo: Int32Array;
  /** First cell of the piece in its row, and its width in cells (without the id label). */
  readonly pieceCells: Int32Array;
  readonly pieceCell: Int32Array;
  readonly pieceRow: Int32Array;
  /** The first and last piece of every token (-1 for a token with nothing to draw, or not laid out yet). */
  readonly tokenFirstPiece: Int32Array;
  readonly tokenLastPiece: Int32Array;
  /** Tokens laid out so far (tokens 0 .. tokensDone - 1). */
  readonly tokensDone: number;
  readonly complete: boolean;
}

class IntList {
  values: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.values = new Int32Array(Math.max(16, Math.ceil(capacity)));
  }
  push(value: number): void {
    if (this.length === this.values.length) this.grow();
    this.values[this.length++] = value;
  }
  /** Writes one value past the end without counting it (the end marker of the last row). */
  mark(value: number): void {
    if (this.length === this.values.length) this.grow();
    this.values[this.length] = value;
  }
  private grow(): void {
    const grown = new Int32Array(this.values.length * 2);
    grown.set(this.values);
    this.values = grown;
  }
}

/** How often the time-sliced loop looks at the clock: every this many tokens. */
const CLOCK_STRIDE = 256;

/**
 * Lays out tokens on rows of `rowCells` cells, on demand. `display(k)` is token k's display text (`\n` = line
 * break); `labelCells(k)` extra cells follow token k's last piece (its id label when ids are shown inline).
 * A token moves to the next row when it does not fit the rest of a row, and is cut only when longer than a row.
 */
export class IncrementalLayout implements RowLayout {
  private readonly capacity: number;
  private readonly rows: IntList;
  private readonly tokens: IntList;
  private readonly froms: IntList;
  private readonly tos: IntList;
  private readonly cells: IntList;
  private readonly widths: IntList;
  private readonly pieceRows: IntList;
  readonly tokenFirstPiece: Int32Array;
  readonly tokenLastPiece: Int32Array;
  private row = 0;
  private cell = 0;
  private next = 0;

  constructor(
    private readonly tokenCount: number,
    private readonly display: (token: number) => string,
    private readonly labelCells: (token: number) => number,
    rowCells: number,
  ) {
    this.capacity = Math.max(1, Math.floor(rowCells));
    const pieces = tokenCount * 1.1;
    this.rows = new IntList(tokenCount / 4);
    this.tokens = new IntList(pieces);
    this.froms = new IntList(pieces);
    this.tos = new IntList(pieces);
    this.cells = new IntList(pieces);
    this.widths = new IntList(pieces);
    this.pieceRows = new IntList(pieces);
    this.tokenFirstPiece = new Int32Array(tokenCount).fill(-1);
    this.tokenLastPiece = new Int32Array(tokenCount).fill(-1);
    this.rows.push(0);
    this.rows.mark(0);
  }

  get rowCount(): number {
    return this.row + 1;
  }
  get pieceCount(): number {
    return this.tokens.length;
  }
  get rowFirstPiece(): Int32Array {
    return this.rows.values;
  }
  get pieceToken(): Int32Array {
    return this.tokens.values;
  }
  get pieceFrom(): Int32Array {
    return this.froms.values;
  }
  get pieceTo(): Int32Array {
    return this.tos.values;
  }
  get pieceCell(): Int32Array {
    return this.cells.values;
  }
  get pieceCells(): Int32Array {
    return this.widths.values;
  }
  get pieceRow(): Int32Array {
    return this.pieceRows.values;
  }
  get tokensDone(): number {
    return this.next;
  }
  get complete(): boolean {
    return this.next >= this.tokenCount;
  }

  /** Lays out tokens until `row` and every row before it are final (or all tokens are laid out). */
  throughRow(row: number): void {
    while (this.next < this.tokenCount && this.row <= row) this.layoutToken(this.next++);
    this.rows.mark(this.tokens.length);
  }

  /** Lays out tokens up to and including `token`. */
  throughToken(token: number): void {
    const last = Math.min(token, this.tokenCount - 1);
    while (this.next <= last) this.layoutToken(this.next++);
    this.rows.mark(this.tokens.length);
  }

  /** Lays out tokens until `deadline` (a performance.now() time) passes; returns whether the layout is complete. */
  until(deadline: number, now: () => number): boolean {
    while (this.next < this.tokenCount) {
      const stop = Math.min(this.tokenCount, this.next + CLOCK_STRIDE);
      while (this.next < stop) this.layoutToken(this.next++);
      if (now() >= deadline) break;
    }
    this.rows.mark(this.tokens.length);
    return this.complete;
  }

  private newRow(): void {
    this.row++;
    this.cell = 0;
    this.rows.push(this.tokens.length);
  }

  private place(token: number, from: number, to: number, cells: number): void {
    const piece = this.tokens.length;
    if (this.tokenFirstPiece[token] < 0) this.tokenFirstPiece[token] = piece;
    this.tokenLastPiece[token] = piece;
    this.tokens.push(token);
    this.froms.push(from);
    this.tos.push(to);
    this.cells.push(this.cell);
    this.widths.push(cells);
    this.pieceRows.push(this.row);
    this.cell += cells;
  }

  private layoutToken(token: number): void {
    const capacity = this.capacity;
    const display = this.display(token);
    const label = this.labelCells(token);
    let from = 0;
    while (from <= display.length) {
      const newline = display.indexOf('\n', from);
      const to = newline < 0 ? display.length : newline;
      // The id label follows the last drawn part: a trailing newline leaves nothing after it.
      const isLastPart = newline < 0 || newline + 1 === display.length;
      if (to > from) {
        let rest = from === 0 && to === display.length ? display : display.slice(from, to);
        let offset = from;
        const extra = isLastPart ? label : 0;
        let width = cellWidth(rest);
        if (this.cell > 0 && this.cell + width + extra > capacity) this.newRow();
        while (this.cell + width + extra > capacity && width > capacity - this.cell) {
          const head = fitCells(rest, capacity - this.cell);
          this.place(token, offset, offset + head, cellWidth(rest.slice(0, head)));
          offset += head;
          rest = rest.slice(head);
          width = cellWidth(rest);
          if (rest.length > 0) this.newRow();
        }
        if (rest.length > 0) {
          this.place(token, offset, to, width);
          this.cell += extra;
        }
      }
      if (newline < 0) break;
      this.newRow();
      from = newline + 1;
    }
  }
}

/** The whole layout at once (tests, small columns). */
export function layoutRows(displays: readonly string[], labelCells: (token: number) => number, rowCells: number): RowLayout {
  const layout = new IncrementalLayout(displays.length, (token) => displays[token], labelCells, rowCells);
  layout.throughToken(displays.length - 1);
  return layout;
}

/** The rows to render for a viewport, with `overscan` extra rows on each side, clamped to the layout. */
export function visibleRows(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 10): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rowCount - 1, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first, last };
}

/**
 * The token on the row `delta` rows above (negative) or below token `token`, nearest to its first cell:
 * what the Up and Down keys move to. Returns `token` itself at the first or last row.
 */
export function tokenOnNearbyRow(layout: RowLayout, token: number, delta: number): number {
  const piece = layout.tokenFirstPiece[token];
  if (piece < 0) return token;
  const row = Math.min(layout.rowCount - 1, Math.max(0, layout.pieceRow[piece] + delta));
  const cell = layout.pieceCell[piece];
  let best = token;
  let bestDistance = Infinity;
  for (let p = layout.rowFirstPiece[row]; p < layout.rowFirstPiece[row + 1]; p++) {
    const start = layout.pieceCell[p];
    const end = start + Math.max(1, layout.pieceCells[p]);
    const distance = cell < start ? start - cell : cell >= end ? cell - end + 1 : 0;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = layout.pieceToken[p];
    }
  }
  return best;
}
