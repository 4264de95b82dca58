import type { Position, Range } from '../prompt/types';

/**
 * Turns UTF-16 offsets into 0-based line/character positions, the way VS Code counts them:
 * `\r\n`, `\n` and a lone `\r` each end a line. (Tree-sitter only counts `\n`, so every position
 * in this module is computed from offsets through this index, never from a tree's row/column.)
 */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) {
        this.lineStarts.push(i + 1);
      } else if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  positionAt(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: offset - this.lineStarts[low] };
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Offset of the first character of a 0-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.min(line, this.lineStarts.length - 1)];
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}
