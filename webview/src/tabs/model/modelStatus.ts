/**
 * What the three model tabs (Attention, Embedding, Prefix) share: the status line of the local model
 * (loading with progress, ready, or what went wrong), the panel's `data-state` (the hook the e2e test waits
 * on), the hover tooltip, and canvas set-up that follows the theme and the screen's pixel ratio.
 */
import { mix, parseColor, type Rgb } from '../../ui/colors';
import { element } from '../../ui/dom';
import { panelState, statusText } from './modelFormat';
import type { ModelStatusView } from '../../../../common/protocol/index';
import { currentTheme } from '../../ui/theme';

/** The root, status line and body of one model tab. */
export class ModelPanel {
  readonly element: HTMLElement;
  readonly body = element('div', 'model-body');
  private readonly statusLine = element('div', 'model-status');
  private readonly progress = element('progress', 'model-progress');
  private readonly alert = element('div', 'notice error');
  private status: ModelStatusView | undefined;
  private emptyReason: string | undefined;
  private keepControls = false;
  private drawn = false;

  constructor(className: string, label: string) {
    this.element = element('section', `model-view ${className}`);
    this.element.setAttribute('aria-label', label);
    this.statusLine.setAttribute('role', 'status');
    this.progress.max = 1;
    this.alert.setAttribute('role', 'alert');
    this.alert.hidden = true;
    this.element.append(this.statusLine, this.progress, this.alert, this.body);
    this.render();
  }

  get ready(): boolean {
    return this.status?.state === 'ready';
  }

  setStatus(status: ModelStatusView): void {
    this.status = status;
    this.render();
  }

  /**
   * Nothing to show (no prompt, or nothing for this view), with the reason; undefined clears it.
   * `keepControls`: the view's controls stay usable (e.g. other values to compare after a failed comparison).
   */
  setEmpty(reason: string | undefined, keepControls = false): void {
    this.emptyReason = reason;
    this.keepControls = keepControls;
    if (reason !== undefined) this.drawn = false;
    this.render();
  }

  /** A problem of the webview itself (a PNG that could not be drawn), until the next one or an empty string. */
  showError(message: string): void {
    this.alert.textContent = message;
    this.alert.hidden = message === '';
  }

  setDrawn(drawn: boolean): void {
    this.drawn = drawn;
    this.render();
  }

  private render(): void {
    const state = panelState(this.status, this.emptyReason !== undefined, this.drawn);
    this.element.dataset.state = state;
    this.statusLine.textContent = statusText(this.status, this.emptyReason);
    this.statusLine.classList.toggle('error', state === 'error' || state === 'disabled');
    const loading = this.status?.state === 'loading';
    this.progress.hidden = !loading;
    if (loading && this.status?.progress !== undefined) this.progress.value = this.status.progress;
    else this.progress.removeAttribute('value'); // indeterminate
    this.body.hidden = !(state === 'ready' || state === 'loading' || (state === 'empty' && this.keepControls));
  }
}

/** The tooltip of the model views (`.model-tooltip`): fixed, near the pointer, kept inside the window. */
export class Tooltip {
  readonly element = element('div', 'model-tooltip hover-card');

  constructor(id: string) {
    this.element.id = id;
    this.element.setAttribute('role', 'tooltip');
    this.element.hidden = true;
  }

  show(lines: string[], clientX: number, clientY: number): void {
    this.element.replaceChildren(
      ...lines.map((text, index) => {
        const line = element('div', index === 0 ? 'tip-heading' : '');
        line.textContent = text;
        return line;
      }),
    );
    this.element.hidden = false;
    const width = this.element.offsetWidth;
    const height = this.element.offsetHeight;
    const left = clientX + 14 + width > window.innerWidth ? clientX - 14 - width : clientX + 14;
    const top = clientY + 14 + height > window.innerHeight ? clientY - 14 - height : clientY + 14;
    this.element.style.left = `${Math.max(4, left)}px`;
    this.element.style.top = `${Math.max(4, top)}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

export interface PlotColours {
  background: Rgb;
  foreground: Rgb;
  /** Axis labels and grid: the foreground faded towards the background. */
  muted: Rgb;
  grid: Rgb;
  /** Static and dynamic parts of the prompt, as the charts of the theme colour them. */
  staticPart: Rgb;
  dynamicPart: Rgb;
  accent: Rgb;
}

/** Colours for drawing on canvases, read from the theme now (canvases cannot use CSS variables). */
export function plotColours(): PlotColours {
  const theme = currentTheme();
  const style = getComputedStyle(document.body);
  const variable = (name: string, fallback: Rgb) => parseColor(style.getPropertyValue(name)) ?? fallback;
  return {
    background: theme.background,
    foreground: theme.foreground,
    muted: mix(theme.foreground, theme.background, 0.7),
    grid: mix(theme.foreground, theme.background, 0.15),
    staticPart: variable('--vscode-charts-blue', [26, 133, 255]),
    dynamicPart: variable('--vscode-charts-orange', [209, 134, 22]),
    accent: variable('--vscode-focusBorder', [0, 120, 212]),
  };
}

/** Sizes a canvas to `width` × `height` CSS px at the device pixel ratio; the context draws in CSS px. */
export function sizeCanvas(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D {
  const ratio = Math.min(3, Math.max(1, window.devicePixelRatio || 1));
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(h * ratio);
  }
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this webview cannot draw on a canvas');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

/** The font of the page for canvas text. */
export function canvasFont(size = 11, weight = ''): string {
  const family = getComputedStyle(document.body).fontFamily || 'sans-serif';
  return `${weight ? `${weight} ` : ''}${size}px ${family}`;
}

/** Text for screen readers only (`.sr-only`), e.g. the live region announcing the cell under the keyboard cursor. */
export function liveRegion(): HTMLElement {
  const region = element('div', 'sr-only');
  region.setAttribute('aria-live', 'polite');
  return region;
}

/** A labelled row of controls. */
export function controlRow(...children: HTMLElement[]): HTMLElement {
  const row = element('div', 'toolbar model-controls');
  row.append(...children);
  return row;
}

/** A short text label in front of a control. */
export function label(text: string): HTMLElement {
  const created = element('span', 'model-label');
  created.textContent = text;
  return created;
}
