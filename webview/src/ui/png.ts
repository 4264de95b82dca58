/**
 * "Save as PNG": draws the token rows now on screen onto a canvas — coloured rectangles with the token text,
 * as the view shows them — under a header with the prompt title and each column's model and count.
 * Drawn by hand rather than by an HTML-to-image library: the view is a grid of cells, which a canvas draws
 * exactly, and the bundle stays small and offline.
 */
import { cssColor } from './colors';
import type { ThemeColors } from './theme';
import type { DrawnPiece } from '../tabs/tokens/tokenView';

export interface PngInput {
  title: string;
  columnTitles: string[];
  snapshot: { rowHeight: number; cellWidth: number; columnWidth: number; rows: DrawnPiece[][][] };
  theme: ThemeColors;
  fontFamily: string;
  fontSize: number;
}

const PADDING = 12;

/** A `scale`× canvas of `width`×`height` CSS pixels, filled with the theme background, ready for text. */
function themedCanvas(width: number, height: number, scale: number, theme: ThemeColors): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this webview cannot draw on a canvas');
  context.scale(scale, scale);
  context.fillStyle = cssColor(theme.background);
  context.fillRect(0, 0, width, height);
  context.textBaseline = 'middle';
  return { canvas, context };
}

export function renderPng({ title, columnTitles, snapshot, theme, fontFamily, fontSize }: PngInput): string {
  const { rowHeight, cellWidth, columnWidth, rows } = snapshot;
  const rowCount = Math.max(1, ...rows.map((column) => column.length));
  const headerHeight = rowHeight * 3;
  const width = Math.ceil(PADDING * 2 + columnWidth * Math.max(1, rows.length));
  const height = Math.ceil(PADDING * 2 + headerHeight + rowCount * rowHeight);
  const scale = Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
  const { canvas, context } = themedCanvas(width, height, scale, theme);
  const foreground = cssColor(theme.foreground);
  const monospace = `${fontSize}px ${fontFamily}`;
  context.fillStyle = foreground;
  context.font = `bold ${fontSize + 1}px ${fontFamily}`;
  context.fillText(title, PADDING, PADDING + rowHeight / 2, width - PADDING * 2);
  rows.forEach((column, columnIndex) => {
    const left = PADDING + columnIndex * columnWidth;
    context.fillStyle = foreground;
    context.font = `bold ${fontSize}px ${fontFamily}`;
    context.fillText(columnTitles[columnIndex] ?? '', left, PADDING + rowHeight * 2, columnWidth - PADDING);
    context.font = monospace;
    column.forEach((pieces, rowIndex) => {
      const top = PADDING + headerHeight + rowIndex * rowHeight;
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

export interface FigureInput {
  /** First line, bold: what the figure shows. */
  title: string;
  /** Lines under the title: options in effect, the truncation, the measured numbers. */
  lines: string[];
  /** The drawing as on screen (its pixels at the screen's ratio). */
  image: HTMLCanvasElement;
  /** Draws a legend under the image, `width` CSS px wide, and returns its height. */
  legend?: (context: CanvasRenderingContext2D, left: number, top: number, width: number) => number;
  theme: ThemeColors;
  fontFamily: string;
  fontSize: number;
}

/** "Save PNG" of the model views: a title and caption, the canvas as drawn, and its legend, on the theme's background. */
export function renderFigurePng({ title, lines, image, legend, theme, fontFamily, fontSize }: FigureInput): string {
  const scale = Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
  const imageWidth = image.width / scale;
  const imageHeight = image.height / scale;
  const lineHeight = Math.round(fontSize * 1.5);
  const captionHeight = lineHeight * (1 + lines.length) + PADDING / 2;
  const legendReserve = legend ? lineHeight * 4 : 0;
  const width = Math.ceil(Math.max(imageWidth, 320) + PADDING * 2);
  const draft = Math.ceil(PADDING * 2 + captionHeight + imageHeight + legendReserve);
  const { canvas, context } = themedCanvas(width, draft, scale, theme);
  context.fillStyle = cssColor(theme.foreground);
  context.font = `bold ${fontSize + 1}px ${fontFamily}`;
  context.fillText(title, PADDING, PADDING + lineHeight / 2, width - PADDING * 2);
  context.font = `${fontSize}px ${fontFamily}`;
  lines.forEach((line, index) => context.fillText(line, PADDING, PADDING + lineHeight * (index + 1.5), width - PADDING * 2));
  const imageTop = PADDING + captionHeight;
  context.drawImage(image, PADDING, imageTop, imageWidth, imageHeight);
  if (legend) legend(context, PADDING, imageTop + imageHeight + PADDING / 2, width - PADDING * 2);
  return canvas.toDataURL('image/png');
}
