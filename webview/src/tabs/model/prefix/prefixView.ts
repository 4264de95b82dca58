/**
 * The Prefix tab, "why only prefixes cache": the host runs the model on the prompt with two values of one
 * dynamic part and sends, per position and layer, how much the hidden states and the K/V changed between
 * the two. The plot shows them zero over the shared prefix and non-zero from the first differing token on,
 * because causal attention makes each position depend on earlier tokens only. Under it, the prefill time
 * of the second filling measured from scratch and reusing the shared prefix's KV, side by side.
 */
import { button, dropdown, textField } from '../../../ui/controls';
import { cssColor } from '../../../ui/colors';
import { axisTicks, formatWeight, rampColour } from '../heatmap';
import { prefillSummary, tokenLabel } from '../modelFormat';
import { element } from '../../../ui/dom';
import { canvasFont, controlRow, label, liveRegion, plotColours, sizeCanvas, type PlotColours } from '../modelStatus';
import { ModelTab, keyboardCanvas, type ModelTabMessage } from '../modelTab';
import type { HostHandlers, Tab, TabContext } from '../../tab';
import type { ModelTokensView, PrefixView as PrefixData, PromptView } from '../../../../../common/protocol/index';
import { shorten } from '../../../../../common/text';

const PLOT_HEIGHT = 170;
const MARGIN = { left: 48, right: 12, top: 22, bottom: 26 };
const GAP = 18;

export class PrefixView extends ModelTab implements Tab<ModelTabMessage | 'prompt' | 'prefix'> {
  readonly label = 'Prefix';
  readonly receive: HostHandlers<ModelTabMessage | 'prompt' | 'prefix'> = {
    ...this.modelMessages(),
    prompt: (message) => this.setPrompt(message.prompt),
    prefix: (message) => this.show(message),
  };
  private readonly segmentPicker = dropdown('Dynamic part to vary', () => this.compare());
  private readonly valueA = textField('First value', 'first value (empty: generated)', '', () => undefined);
  private readonly valueB = textField('Second value', 'second value (empty: generated)', '', () => undefined);
  private readonly note = element('div', 'model-note');
  private readonly canvas = element('canvas', 'prefix-plot');
  private readonly layerLegend = element('div', 'prefix-legend');
  private readonly timing = element('dl', 'prefix-timing');
  private readonly announcer = liveRegion();
  private prompt: PromptView | undefined;
  private data: PrefixData | undefined;
  private cursor = -1;
  private plotWidth = 0;

  constructor(host: TabContext) {
    super(host, 'prefix-view', 'Why only prefixes cache', 'prefix-tooltip');
    const compare = button('Compare', 'Run the model on the prompt with both values and compare', () => this.compare(), 'primary');
    const inputs = controlRow(label('Vary'), this.segmentPicker.element, this.valueA.element, this.valueB.element, compare);
    const exports = this.exportControls({
      png: 'Save the plot and the timings as a PNG image',
      csv: 'Save the per-position changes as CSV',
      json: 'Save the comparison and timings as JSON',
    });
    const help = keyboardCanvas(
      this.canvas,
      'prefix divergence plot',
      'prefix-help',
      'Left and right arrow keys move between positions and read out the changes at each layer.',
    );
    const timingHeading = element('h2', 'model-heading');
    timingHeading.textContent = 'Prefill time, measured now with the local model';
    this.panel.body.append(inputs, this.note, exports, this.layerLegend, this.canvas, timingHeading, this.timing, help, this.announcer, this.tooltip.element);
    this.canvas.addEventListener('pointermove', (event) => this.hover(event));
    this.canvas.addEventListener('pointerleave', () => this.tooltip.hide());
    this.canvas.addEventListener('keydown', (event) => this.key(event));
  }

  /** The prompt of the token view: its dynamic parts are what can be varied. */
  private setPrompt(prompt: PromptView): void {
    const changed = this.prompt?.id !== prompt.id || this.dynamicKey(this.prompt) !== this.dynamicKey(prompt);
    this.prompt = prompt;
    if (!changed) return;
    this.valueA.set('');
    this.valueB.set('');
    this.renderSegments();
  }

  /** The dynamic parts to pick from, once the prompt and the model's tokens are of the same prompt. */
  private renderSegments(): void {
    const dynamic = this.dynamicSegments();
    const current = this.segmentPicker.get();
    const keep = dynamic.some(({ index }) => String(index) === current);
    this.segmentPicker.setChoices(
      dynamic.map(({ index, source }) => ({ value: String(index), label: source })),
      keep ? current : dynamic.length > 0 ? String(dynamic[0].index) : '',
    );
  }

  protected forgetData(): void {
    this.data = undefined;
  }

  setTokens(tokens: ModelTokensView): void {
    this.tokens = tokens;
    this.tokensGeneration++;
    this.data = undefined;
    this.panel.setDrawn(false);
    this.panel.setEmpty(undefined);
    this.renderSegments();
    this.maybeRequest();
  }

  private show(message: { prefix?: PrefixData; reason?: string }): void {
    const tokens = this.tokens;
    if (message.reason !== undefined) {
      this.data = undefined;
      this.panel.setEmpty(message.reason, this.dynamicSegments().length > 0);
      return;
    }
    const prefix = message.prefix!;
    if (!tokens || prefix.promptId !== tokens.promptId) return;
    this.data = prefix;
    this.panel.setEmpty(undefined);
    this.cursor = -1;
    this.draw();
  }

  private dynamicKey(prompt: PromptView | undefined): string {
    return (prompt?.segments ?? []).map((segment) => (segment.kind === 'dynamic' ? segment.source : '')).join('\u0000');
  }

  private dynamicSegments(): Array<{ index: number; source: string }> {
    const prompt = this.prompt;
    if (!prompt || prompt.id !== this.tokens?.promptId) return [];
    return prompt.segments.flatMap((segment, index) => (segment.kind === 'dynamic' ? [{ index, source: segment.source }] : []));
  }

  /** The first comparison of a prompt runs on its own, with generated values; later ones on Compare. */
  protected maybeRequest(): void {
    if (!this.visible || !this.panel.ready || !this.tokens || this.data) return;
    if (this.requested.startsWith(`${this.tokensGeneration}:`)) return;
    const dynamic = this.dynamicSegments();
    if (dynamic.length === 0) {
      // Without a `prompt` message for these tokens there is no list of dynamic parts yet: wait for it.
      if (this.prompt?.id === this.tokens.promptId) this.panel.setEmpty('This prompt has no dynamic part to vary: the whole prompt is static, so all of it can be cached.');
      return;
    }
    this.send(dynamic[0].index, null);
  }

  private compare(): void {
    const tokens = this.tokens;
    const segment = Number(this.segmentPicker.get());
    if (!tokens || !Number.isInteger(segment) || this.segmentPicker.get() === '') return;
    const a = this.valueA.get();
    const b = this.valueB.get();
    if ((a === '') !== (b === '')) {
      this.note.textContent = 'Type both values, or neither to compare two generated ones.';
      return;
    }
    if (a !== '' && a === b) {
      this.note.textContent = 'The two values are the same: nothing would change.';
      return;
    }
    this.send(segment, a === '' ? null : [a, b]);
  }

  private send(segment: number, values: [string, string] | null): void {
    const tokens = this.tokens!;
    this.requested = `${this.tokensGeneration}:${segment}:${JSON.stringify(values)}`;
    this.note.textContent = 'Running the model with both values…';
    this.data = undefined;
    this.panel.setEmpty(undefined);
    this.panel.setDrawn(false);
    this.host.send('requestPrefix', { promptId: tokens.promptId, segment, values });
  }

  private layersOf(data: PrefixData): number {
    return data.hiddenChange.length;
  }

  protected draw(): void {
    const data = this.data;
    if (!this.visible || !data) return;
    const colours = plotColours();
    const positions = data.hiddenChange[0]?.length ?? 0;
    const width = Math.max(280, Math.min(1100, this.panel.body.clientWidth - 16));
    const height = PLOT_HEIGHT * 2 + GAP;
    const context = sizeCanvas(this.canvas, width, height);
    context.fillStyle = cssColor(colours.background);
    context.fillRect(0, 0, width, height);
    this.plotWidth = width;
    this.drawPlot(context, 0, width, 'Hidden state change ‖a − b‖ / ‖a‖ per position (emb = input embeddings)', data.hiddenChange, 0, data, colours);
    this.drawPlot(context, PLOT_HEIGHT + GAP, width, 'K/V change per position (keys and values of every head)', data.kvChange, 1, data, colours);
    this.note.textContent = `Values: “${valueLine(data.values[0])}” and “${valueLine(data.values[1])}”. The first ${data.common.toLocaleString('en-US')} tokens are the same in both, and so is everything the model computes for them; from token #${data.common} on, every layer differs.`;
    this.canvas.dataset.common = String(data.common);
    this.canvas.dataset.positions = String(positions);
    this.canvas.setAttribute('aria-label', `Per-position change between the two values over ${positions} positions: zero for the ${data.common} shared tokens, non-zero from position ${data.common} on, for the hidden states of ${this.layersOf(data)} layers and the K/V of ${data.kvChange.length}.`);
    this.renderLegend(data);
    this.renderTiming(data);
    this.panel.setDrawn(true);
  }

  /**
   * One panel: a line per layer, the shared prefix shaded, the first divergent position marked.
   * `firstLayer`: the layer of series[0] (hidden states start at the embeddings, 0; K/V at layer 1), so one
   * layer has one colour in both panels.
   */
  private drawPlot(context: CanvasRenderingContext2D, top: number, width: number, title: string, series: Float32Array[], firstLayer: number, data: PrefixData, colours: PlotColours): void {
    const positions = series[0]?.length ?? 0;
    const left = MARGIN.left;
    const plotTop = top + MARGIN.top;
    const plotWidth = width - MARGIN.left - MARGIN.right;
    const plotHeight = PLOT_HEIGHT - MARGIN.top - MARGIN.bottom;
    let max = 0;
    for (const values of series) for (const value of values) max = Math.max(max, value);
    const yMax = max > 0 ? max * 1.05 : 1;
    const xOf = (position: number) => left + (positions <= 1 ? plotWidth / 2 : (position / (positions - 1)) * plotWidth);
    const yOf = (value: number) => plotTop + plotHeight - (value / yMax) * plotHeight;
    context.font = canvasFont(11, 'bold');
    context.fillStyle = cssColor(colours.foreground);
    context.textAlign = 'left';
    context.textBaseline = 'middle';
    context.fillText(title, left, top + 9);
    // The shared prefix: what a provider's prompt cache can reuse.
    const commonEnd = data.common <= 0 ? left : xOf(Math.min(positions - 1, data.common - 0.5));
    if (data.common > 0) {
      context.save();
      context.globalAlpha = 0.14;
      context.fillStyle = cssColor(colours.staticPart);
      context.fillRect(left, plotTop, commonEnd - left, plotHeight);
      context.restore();
    }
    context.strokeStyle = cssColor(colours.grid);
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(left, plotTop);
    context.lineTo(left, plotTop + plotHeight);
    context.lineTo(left + plotWidth, plotTop + plotHeight);
    context.stroke();
    context.font = canvasFont(10);
    context.fillStyle = cssColor(colours.muted);
    context.textAlign = 'right';
    for (const value of [0, yMax / 2, yMax]) context.fillText(formatWeight(value), left - 4, yOf(value));
    context.textAlign = 'center';
    for (const tick of axisTicks(positions, positions > 1 ? plotWidth / (positions - 1) : plotWidth, 50)) context.fillText(String(tick), xOf(tick), plotTop + plotHeight + 10);
    // Lines, one per layer, coloured along the ramp from the first layer to the last.
    const lastLayer = Math.max(1, data.hiddenChange.length - 1);
    series.forEach((values, index) => {
      context.strokeStyle = cssColor(rampColour((index + firstLayer) / lastLayer));
      context.lineWidth = 1.5;
      context.beginPath();
      for (let position = 0; position < positions; position++) {
        if (position === 0) context.moveTo(xOf(position), yOf(values[position]));
        else context.lineTo(xOf(position), yOf(values[position]));
      }
      context.stroke();
      if (positions <= 64) {
        context.fillStyle = context.strokeStyle;
        for (let position = 0; position < positions; position++) context.fillRect(xOf(position) - 1.5, yOf(values[position]) - 1.5, 3, 3);
      }
    });
    if (data.common < positions) {
      const x = xOf(data.common);
      context.save();
      context.setLineDash([4, 3]);
      context.strokeStyle = cssColor(colours.foreground);
      context.beginPath();
      context.moveTo(x, plotTop);
      context.lineTo(x, plotTop + plotHeight);
      context.stroke();
      context.restore();
      context.fillStyle = cssColor(colours.foreground);
      context.textAlign = x > left + plotWidth * 0.7 ? 'right' : 'left';
      context.fillText(`first differing token #${data.common}`, x + (context.textAlign === 'right' ? -4 : 4), plotTop + 6);
    }
    if (data.common > 0) {
      context.fillStyle = cssColor(colours.muted);
      context.textAlign = 'left';
      context.fillText(`shared prefix: ${data.common} tokens, reusable`, left + 4, plotTop + plotHeight - 8);
    }
    if (this.cursor >= 0 && this.cursor < positions) {
      context.strokeStyle = cssColor(colours.accent);
      context.beginPath();
      context.moveTo(xOf(this.cursor), plotTop);
      context.lineTo(xOf(this.cursor), plotTop + plotHeight);
      context.stroke();
    }
  }

  private renderLegend(data: PrefixData): void {
    const item = (text: string, position: number) => {
      const entry = element('span', 'legend-item');
      const swatch = element('span', 'legend-swatch');
      swatch.style.background = cssColor(rampColour(position));
      const name = element('span', '');
      name.textContent = text;
      entry.append(swatch, name);
      return entry;
    };
    const layers = this.layersOf(data);
    this.layerLegend.replaceChildren(...Array.from({ length: layers }, (_, layer) => item(layer === 0 ? 'emb' : `layer ${layer}`, layers <= 1 ? 1 : layer / (layers - 1))));
  }

  private renderTiming(data: PrefixData): void {
    this.timing.replaceChildren(
      ...prefillSummary(data.prefill).flatMap(([name, value]) => {
        const term = element('dt', '');
        term.textContent = name;
        const detail = element('dd', '');
        detail.textContent = value;
        return [term, detail];
      }),
    );
  }

  private positionAt(clientX: number): number {
    const positions = this.data?.hiddenChange[0]?.length ?? 0;
    if (positions === 0) return -1;
    const rect = this.canvas.getBoundingClientRect();
    const plotWidth = this.plotWidth - MARGIN.left - MARGIN.right;
    const share = (clientX - rect.left - MARGIN.left) / plotWidth;
    if (share < -0.02 || share > 1.02) return -1;
    return Math.max(0, Math.min(positions - 1, Math.round(share * (positions - 1))));
  }

  private describe(position: number): string[] {
    const data = this.data!;
    const text = data.texts[position] ?? '';
    const lines = [`position ${position} “${tokenLabel(text)}” ${position < data.common ? '(shared prefix: identical)' : '(after the first difference)'}`];
    lines.push(`hidden: ${data.hiddenChange.map((values, layer) => `${layer === 0 ? 'emb' : `L${layer}`} ${formatWeight(values[position])}`).join(' · ')}`);
    lines.push(`K/V: ${data.kvChange.map((values, layer) => `L${layer + 1} ${formatWeight(values[position])}`).join(' · ')}`);
    return lines;
  }

  private hover(event: PointerEvent): void {
    const position = this.positionAt(event.clientX);
    if (position < 0 || !this.data) {
      this.tooltip.hide();
      return;
    }
    this.tooltip.show(this.describe(position), event.clientX, event.clientY);
  }

  private key(event: KeyboardEvent): void {
    const positions = this.data?.hiddenChange[0]?.length ?? 0;
    if (positions === 0) return;
    const moves: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, PageUp: -10, PageDown: 10 };
    if (event.key === 'Escape') {
      this.tooltip.hide();
      return;
    }
    let next: number;
    if (event.key in moves) next = (this.cursor < 0 ? 0 : this.cursor) + moves[event.key];
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = positions - 1;
    else return;
    event.preventDefault();
    this.cursor = Math.max(0, Math.min(positions - 1, next));
    this.draw();
    const lines = this.describe(this.cursor);
    this.announcer.textContent = lines.join('. ');
    const rect = this.canvas.getBoundingClientRect();
    const plotWidth = this.plotWidth - MARGIN.left - MARGIN.right;
    this.tooltip.show(lines, rect.left + MARGIN.left + (positions <= 1 ? 0 : (this.cursor / (positions - 1)) * plotWidth), rect.top + MARGIN.top);
  }

  protected exportData(format: 'csv' | 'json'): void {
    if (this.tokens && this.data) this.host.send('exportModelData', { promptId: this.tokens.promptId, export: { view: 'prefix', format } });
  }

  protected savePng(): void {
    const data = this.data;
    if (!data) return;
    this.saveFigurePng(
      () => ({
        title: 'Why only prefixes cache: what changes when one dynamic part changes',
        lines: [this.note.textContent ?? '', ...prefillSummary(data.prefill).map(([name, value]) => `${name}: ${value}`)],
        image: this.canvas,
      }),
    );
  }
}

/** A value on one line, whitespace collapsed but not trimmed, cut to 40 characters. */
function valueLine(text: string): string {
  return shorten(text.replace(/\s+/g, ' '), 40);
}
