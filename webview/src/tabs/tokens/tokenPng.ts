/**
 * The Tokens tab's "Save PNG": draws the token rows now on screen onto a canvas — coloured rectangles with
 * the token text, as the view shows them — under a header with the prompt title and each column's model
 * and count.
 */
import { cssColor } from '../../ui/colors';
import { PNG_PADDING, pngScale, themedCanvas } from '../../ui/png';
import type { ThemeColors } from '../../ui/theme';
import type { DrawnPiece } from './tokenView';

interface TokensPngInput {
  title: string;
  columnTitles: string[];
  snapshot: { rowHeight: number; cellWidth: number; columnWidth: number; rows: DrawnPiece[][][] };
  theme: ThemeColors;
  fontFamily: string;
  fontSize: number;
}

export function renderTokensPng({ title, columnTitles, snapshot, theme, fontFamily, fontSize }: TokensPngInput): string {
  const { rowHeight, cellWidth, columnWidth, rows } = snapshot;
  const rowCount = Math.max(1, ...rows.map((column) => column.length));
  const headerHeight = rowHeight * 3;
  const width = Math.ceil(PNG_PADDING * 2 + columnWidth * Math.max(1, rows.length));
  const height = Math.ceil(PNG_PADDING * 2 + headerHeight + rowCount * rowHeight);
  const scale = pngScale();
  const { canvas, context } = themedCanvas(width, height, scale, theme);
  const foreground = cssColor(theme.foreground);
  const monospace = `${fontSize}px ${fontFamily}`;
  context.fillStyle = foreground;
  context.font = `bold ${fontSize + 1}px ${fontFamily}`;
  context.fillText(title, PNG_PADDING, PNG_PADDING + rowHeight / 2, width - PNG_PADDING * 2);
  rows.forEach((column, columnIndex) => {
    const left = PNG_PADDING + columnIndex * columnWidth;
    context.fillStyle = foreground;
    context.font = `bold ${fontSize}px ${fontFamily}`;
    context.fillText(columnTitles[columnIndex] ?? '', left, PNG_PADDING + rowHeight * 2, columnWidth - PNG_PADDING);
    context.font = monospace;
    column.forEach((pieces, rowIndex) => {
      const top = PNG_PADDING + headerHeight + rowIndex * rowHeight;
      for (const piece of pieces) {
        const x = left + piece.cell * cellWidth;
        const labelCells = piece.label ? piece.label.length + 1 : 0;
        context.fillStyle = cssColor(theme.palette[piece.colorClass]);
        context.fillRect(x, top + 1, (piece.cells + labelCells) * cellWidth, rowHeight - 2);
        // The boundary line that the view draws at every token start.
        context.fillStyle = foreground;
        context.globalAlpha = 0.35;
        context.fillRect(x, top + 1, 1, rowHeight - 2);
        context.globalAlpha = 1;
        context.fillText(piece.text, x, top + rowHeight / 2);
        if (piece.label) {
          context.globalAlpha = 0.7;
          context.fillText(piece.label, x + (piece.cells + 1) * cellWidth, top + rowHeight / 2);
          context.globalAlpha = 1;
        }
      }
    });
  });
  return canvas.toDataURL('image/png');
}
