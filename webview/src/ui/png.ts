/**
 * "Save PNG": a canvas in the theme's colours that a tab draws its view onto, and the figure the model tabs
 * save (their canvas under a title and caption). Drawn by hand rather than by an HTML-to-image library:
 * the views are cells and plots, which a canvas draws exactly, and the bundle stays small and offline.
 */
import { cssColor } from './colors';
import type { ThemeColors } from './theme';

/** Margin around what a PNG shows, in CSS pixels. */
export const PNG_PADDING = 12;

/** The PNG's pixels per CSS pixel: the screen's ratio, 1 to 2. */
export function pngScale(): number {
  return Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1));
}

/** A `scale`× canvas of `width`×`height` CSS pixels, filled with the theme background, ready for text. */
export function themedCanvas(width: number, height: number, scale: number, theme: ThemeColors): { canvas: HTMLCanvasElement; context: CanvasRenderingContext2D } {
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
  const scale = pngScale();
  const imageWidth = image.width / scale;
  const imageHeight = image.height / scale;
  const lineHeight = Math.round(fontSize * 1.5);
  const captionHeight = lineHeight * (1 + lines.length) + PNG_PADDING / 2;
  const legendReserve = legend ? lineHeight * 4 : 0;
  const width = Math.ceil(Math.max(imageWidth, 320) + PNG_PADDING * 2);
  const draft = Math.ceil(PNG_PADDING * 2 + captionHeight + imageHeight + legendReserve);
  const { canvas, context } = themedCanvas(width, draft, scale, theme);
  context.fillStyle = cssColor(theme.foreground);
  context.font = `bold ${fontSize + 1}px ${fontFamily}`;
  context.fillText(title, PNG_PADDING, PNG_PADDING + lineHeight / 2, width - PNG_PADDING * 2);
  context.font = `${fontSize}px ${fontFamily}`;
  lines.forEach((line, index) => context.fillText(line, PNG_PADDING, PNG_PADDING + lineHeight * (index + 1.5), width - PNG_PADDING * 2));
  const imageTop = PNG_PADDING + captionHeight;
  context.drawImage(image, PNG_PADDING, imageTop, imageWidth, imageHeight);
  if (legend) legend(context, PNG_PADDING, imageTop + imageHeight + PNG_PADDING / 2, width - PNG_PADDING * 2);
  return canvas.toDataURL('image/png');
}
