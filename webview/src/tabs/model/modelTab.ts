/**
 * The plumbing every model tab (Attention, Embedding, Prefix) shares: the panel and tooltip, the messages
 * every model tab shows (the model's state, its tokens, no prompt), the tokens the host sent with their
 * generation count, asking the host only while the tab is on screen and the model is ready, resetting on an
 * empty prompt, redrawing when the panel's width changes, and sending a Save PNG figure.
 */
import './model.css';
import { button } from '../../ui/controls';
import { element } from '../../ui/dom';
import { ModelPanel, Tooltip, controlRow } from './modelStatus';
import { renderFigurePng, type FigureInput } from '../../ui/png';
import type { ModelStatusView, ModelTokensView } from '../../../../common/protocol/index';
import type { HostHandlers, TabContext } from '../tab';
import { currentTheme } from '../../ui/theme';
import { errorMessage } from '../../../../common/text';

/** The host messages every model tab shows; each tab adds the answer to its own request. */
export type ModelTabMessage = 'empty' | 'modelStatus' | 'modelTokens';

export abstract class ModelTab {
  readonly panel: ModelPanel;
  protected readonly tooltip: Tooltip;
  /** The model's tokens of the prompt on show (or of its analysed window); undefined with no prompt. */
  protected tokens: ModelTokensView | undefined;
  /** Goes up with every setTokens, so a request key tells new tokens from the ones already asked about. */
  protected tokensGeneration = 0;
  /** Whether the tab is on screen: a hidden tab neither draws nor asks the host for data. */
  protected visible = false;
  /** The key of the last request sent to the host, so the same request is not sent twice. */
  protected requested = '';
  private lastWidth = 0;

  constructor(
    protected readonly host: TabContext,
    className: string,
    label: string,
    tooltipId: string,
  ) {
    this.panel = new ModelPanel(className, label);
    this.tooltip = new Tooltip(tooltipId);
    new ResizeObserver(() => {
      const width = this.panel.body.clientWidth;
      if (width === this.lastWidth || !this.visible) return;
      this.lastWidth = width;
      this.draw();
    }).observe(this.panel.body);
  }

  get element(): HTMLElement {
    return this.panel.element;
  }

  /** The handlers of the messages every model tab shows, for a tab's `receive`. */
  protected modelMessages(): HostHandlers<ModelTabMessage> {
    return {
      empty: (message) => this.setEmpty(message.reason),
      modelStatus: (message) => this.setStatus(message.status),
      modelTokens: (message) => this.setTokens(message.tokens),
    };
  }

  private setStatus(status: ModelStatusView): void {
    this.panel.setStatus(status);
    this.maybeRequest();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) {
      this.maybeRequest();
      this.draw();
    } else this.tooltip.hide();
  }

  /** No prompt to analyse, with the reason shown in the status line. */
  private setEmpty(reason: string): void {
    this.tokens = undefined;
    this.requested = '';
    this.forgetData();
    this.panel.setEmpty(reason);
  }

  /** Redraw after a theme change. */
  redraw(): void {
    this.draw();
  }

  /** The Save PNG, Export CSV and Export JSON buttons; each title says what its button saves. */
  protected exportControls(titles: { png: string; csv: string; json: string }): HTMLElement {
    return controlRow(
      button('Save PNG', titles.png, () => this.savePng()),
      button('Export CSV', titles.csv, () => this.exportData('csv')),
      button('Export JSON', titles.json, () => this.exportData('json')),
    );
  }

  /** The model's tokens of the prompt on show arrived: the tab's data for the old ones no longer holds. */
  protected abstract setTokens(tokens: ModelTokensView): void;

  /** Drops the host's answer for the tokens that are gone (and hides what showed it). */
  protected abstract forgetData(): void;

  /** Asks the host for this tab's data when the tab is on screen, the model ready and the answer not yet asked for. */
  protected abstract maybeRequest(): void;

  /**
   * Draws `figure` (the tab's plot with its title and notes) as a PNG in the theme's colours and the page's
   * font and sends it to the host to save; a failure, in `figure` too, shows in the panel instead.
   */
  protected saveFigurePng(figure: () => Omit<FigureInput, 'theme' | 'fontFamily' | 'fontSize'>): void {
    try {
      const style = getComputedStyle(document.body);
      const dataUrl = renderFigurePng({ ...figure(), theme: currentTheme(), fontFamily: style.fontFamily, fontSize: parseFloat(style.fontSize) || 13 });
      this.host.send('savePng', { dataUrl });
    } catch (error) {
      this.panel.showError(`Could not draw the PNG: ${errorMessage(error)}`);
    }
  }

  protected abstract draw(): void;

  protected abstract savePng(): void;

  protected abstract exportData(format: 'csv' | 'json'): void;
}

/**
 * Makes a tab's plot one tab stop that screen readers announce as `roleDescription` and describe with
 * `helpText`; returns the help text's element (for screen readers only), for the tab to place in its body.
 */
export function keyboardCanvas(canvas: HTMLCanvasElement, roleDescription: string, helpId: string, helpText: string): HTMLElement {
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-roledescription', roleDescription);
  canvas.setAttribute('aria-describedby', helpId);
  const help = element('div', 'sr-only');
  help.id = helpId;
  help.textContent = helpText;
  return help;
}
