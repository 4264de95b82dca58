/**
 * The Embedding tab: every token's hidden state at one layer (layer 0: the input embeddings) projected with
 * PCA by the host, drawn as a labelled scatter plot in 2D, or in 3D turned by dragging (or Shift + arrow keys).
 * Points are coloured by position or by static/dynamic part of the prompt. Picking a token (click, or the
 * arrow keys) shows its nearest neighbours within the prompt (cosine, at this layer) and its path across the
 * layers, drawn in the separate space the host fits over every layer, so the path's steps are comparable.
 */
import { checkbox, dropdown } from '../../../ui/controls';
import { cssColor, mix, type Rgb } from '../../../ui/colors';
import { rampColour } from '../heatmap';
import { layerName, tokenLabel, windowNote } from '../modelFormat';
import { element } from '../../../ui/dom';
import { canvasFont, controlRow, label, liveRegion, plotColours, sizeCanvas, type PlotColours } from '../modelStatus';
import { ModelTab, keyboardCanvas, type ModelTabMessage } from '../modelTab';
import type { HostHandlers, Tab, TabContext } from '../../tab';
import type { EmbeddingView as EmbeddingData, ModelTokensView } from '../../../../../common/protocol/index';
import { cloudRadius, drawOrder, fitToBox, nearestPoint, rotatePoints, toScreen, type ScreenPoints } from './projection3d';

export interface EmbeddingOptions {
  layer: number;
  dimensions: 2 | 3;
  colourBy: 'position' | 'segment';
  labels: boolean;
}

/** Above this many tokens only the picked token and its neighbours are labelled: hundreds of labels are noise. */
const MAX_LABELLED = 120;
const POINT_RADIUS = 4;
const PICK_RADIUS = 8;
const PADDING = 28;
/** Radians per pixel of drag, and per Shift + arrow key press. */
const DRAG_SPEED = 0.01;
const KEY_TURN = Math.PI / 18;

export class EmbeddingView extends ModelTab implements Tab<ModelTabMessage | 'embedding'> {
  readonly label = 'Embedding';
  readonly receive: HostHandlers<ModelTabMessage | 'embedding'> = {
    ...this.modelMessages(),
    embedding: (message) => this.show(message.embedding),
  };
  private readonly layerPicker = dropdown('Layer', (value) => this.setOption({ layer: Number(value) }, true));
  private readonly dimensionPicker = dropdown('Dimensions', (value) => this.setOption({ dimensions: value === '3' ? 3 : 2 }, true));
  private readonly colourPicker = dropdown('Colour points by', (value) => this.setOption({ colourBy: value === 'segment' ? 'segment' : 'position' }, false));
  private readonly labelBox = checkbox('Token labels', true, (labels) => this.setOption({ labels }, false));
  private readonly windowLine = element('div', 'model-window');
  private readonly canvas = element('canvas', 'embedding-plot');
  private readonly pathCanvas = element('canvas', 'embedding-path');
  private readonly legend = element('div', 'embedding-legend');
  private readonly selection = element('div', 'model-note');
  private readonly neighbours = element('ol', 'embedding-neighbours');
  private readonly announcer = liveRegion();
  private options: EmbeddingOptions = { layer: 0, dimensions: 2, colourBy: 'position', labels: true };
  private selected = -1;
  private yaw = 0.6;
  private pitch = 0.35;
  private data: EmbeddingData | undefined;
  private screen: { x: Float32Array; y: Float32Array } | undefined;
  private depth: Float32Array | undefined;
  private drag: { x: number; y: number; moved: boolean } | undefined;

  constructor(host: TabContext) {
    super(host, 'embedding-view', 'Embedding projection', 'embedding-tooltip');
    this.dimensionPicker.setChoices([{ value: '2', label: '2D' }, { value: '3', label: '3D' }], '2');
    this.colourPicker.setChoices([{ value: 'position', label: 'Position' }, { value: 'segment', label: 'Static / dynamic part' }], 'position');
    const pickers = controlRow(label('Layer'), this.layerPicker.element, label('Projection'), this.dimensionPicker.element, label('Colour by'), this.colourPicker.element, this.labelBox.element);
    const exports = this.exportControls({
      png: 'Save the projection as a PNG image',
      csv: 'Save the projected coordinates of every token at this layer as CSV',
      json: 'Save the hidden states and projections as JSON',
    });
    const help = keyboardCanvas(
      this.canvas,
      'embedding projection',
      'embedding-help',
      'Left and right arrow keys pick the previous or next token, Home and End the first or last, Escape clears the pick. In 3D, drag or press Shift with the arrow keys to turn the plot.',
    );
    this.pathCanvas.setAttribute('role', 'img');
    this.neighbours.setAttribute('aria-label', 'Nearest tokens in the prompt at this layer');
    const pathHeading = element('h2', 'model-heading');
    pathHeading.textContent = 'Picked token';
    const plots = element('div', 'embedding-plots');
    const side = element('div', 'embedding-side');
    side.append(pathHeading, this.selection, this.neighbours, this.pathCanvas);
    plots.append(this.canvas, side);
    this.panel.body.append(this.windowLine, pickers, exports, this.legend, plots, help, this.announcer, this.tooltip.element);

    this.canvas.addEventListener('pointerdown', (event) => {
      this.drag = { x: event.clientX, y: event.clientY, moved: false };
      this.canvas.setPointerCapture(event.pointerId);
    });
    this.canvas.addEventListener('pointermove', (event) => this.pointerMove(event));
    this.canvas.addEventListener('pointerup', (event) => {
      const drag = this.drag;
      this.drag = undefined;
      if (drag && !drag.moved) this.pick(this.pointAt(event));
    });
    this.canvas.addEventListener('pointerleave', () => this.tooltip.hide());
    this.canvas.addEventListener('keydown', (event) => this.key(event));
    this.neighbours.addEventListener('click', (event) => {
      const token = Number((event.target as HTMLElement).closest<HTMLElement>('[data-token]')?.dataset.token);
      if (Number.isInteger(token)) this.pick(token);
    });
    this.renderControls();
  }

  protected forgetData(): void {
    this.data = undefined;
  }

  setTokens(tokens: ModelTokensView): void {
    if (this.tokens?.promptId !== tokens.promptId || this.selected >= tokens.texts.length) this.selected = -1;
    this.tokens = tokens;
    this.tokensGeneration++;
    this.data = undefined;
    this.options.layer = Math.min(this.options.layer, tokens.layers);
    this.windowLine.textContent = windowNote(tokens) ?? `All ${tokens.texts.length.toLocaleString('en-US')} tokens of the prompt.`;
    this.panel.setEmpty(tokens.texts.length === 0 ? 'This prompt has no tokens to analyse.' : undefined);
    this.panel.setDrawn(false);
    this.renderControls();
    this.maybeRequest();
  }

  private show(data: EmbeddingData): void {
    const tokens = this.tokens;
    if (!tokens || data.promptId !== tokens.promptId || data.points.length !== tokens.texts.length * data.dimensions) return;
    // Late answers to an earlier layer, projection or pick: the newer request's answer follows.
    if (data.layer !== this.options.layer || data.dimensions !== this.options.dimensions || data.selected !== this.selected) return;
    this.data = data;
    this.draw();
  }

  /** After a theme change: the legend's swatches and the canvas take the new colours. */
  override redraw(): void {
    this.renderLegend();
    this.draw();
  }

  private setOption(change: Partial<EmbeddingOptions>, refetch: boolean): void {
    this.options = { ...this.options, ...change };
    this.renderControls();
    if (refetch) {
      this.data = undefined;
      this.panel.setDrawn(false);
      this.maybeRequest();
    } else this.draw();
  }

  private pick(token: number): void {
    const n = this.tokens?.texts.length ?? 0;
    if (token >= n) return;
    if (token === this.selected) return;
    this.selected = token;
    // Keep showing the points while the pick's path and neighbours are on the way.
    if (this.data) this.data = { ...this.data, selected: token, path: undefined, neighbours: undefined };
    this.draw();
    this.maybeRequest(true);
  }

  protected maybeRequest(force = false): void {
    const tokens = this.tokens;
    if (!this.visible || !this.panel.ready || !tokens || tokens.texts.length === 0) return;
    if (!force && this.data) return;
    const key = `${this.tokensGeneration}:${this.options.layer}:${this.options.dimensions}:${this.selected}`;
    if (key === this.requested) return;
    this.requested = key;
    this.host.send('requestEmbedding', { promptId: tokens.promptId, layer: this.options.layer, dimensions: this.options.dimensions, selected: this.selected });
  }

  private renderControls(): void {
    const layers = this.tokens?.layers ?? 0;
    this.layerPicker.setChoices(
      Array.from({ length: layers + 1 }, (_, layer) => ({ value: String(layer), label: layer === 0 ? 'Input embeddings (0)' : `After layer ${layer} of ${layers}` })),
      String(Math.min(this.options.layer, layers)),
    );
    this.dimensionPicker.set(String(this.options.dimensions));
    this.colourPicker.set(this.options.colourBy);
    this.labelBox.set(this.options.labels);
    this.renderLegend();
  }

  private renderLegend(): void {
    const colours = plotColours();
    const item = (colour: string, text: string) => {
      const entry = element('span', 'legend-item');
      const swatch = element('span', 'legend-swatch');
      swatch.style.background = colour;
      const name = element('span', '');
      name.textContent = text;
      entry.append(swatch, name);
      return entry;
    };
    if (this.options.colourBy === 'segment') {
      this.legend.replaceChildren(item(cssColor(colours.staticPart), 'static text'), item(cssColor(colours.dynamicPart), 'dynamic part (filled-in value)'));
    } else {
      const bar = element('span', 'legend-ramp');
      const first = element('span', '');
      first.textContent = 'first token';
      const last = element('span', '');
      last.textContent = 'last token';
      this.legend.replaceChildren(first, bar, last);
    }
    this.legend.setAttribute('aria-label', this.options.colourBy === 'segment' ? 'Blue points are static text, orange points dynamic parts.' : 'Colour runs from dark purple (first token) to yellow (last token).');
  }

  private colourOf(token: number, n: number, colours: PlotColours): Rgb {
    if (this.options.colourBy === 'segment') return this.tokens?.dynamic[token] ? colours.dynamicPart : colours.staticPart;
    return rampColour(n <= 1 ? 0 : token / (n - 1));
  }

  private project(points: Float32Array, count: number): ScreenPoints {
    return rotatePoints(points, count, this.options.dimensions, this.yaw, this.pitch);
  }

  protected draw(): void {
    const data = this.data;
    const tokens = this.tokens;
    if (!this.visible || !data || !tokens) return;
    const colours = plotColours();
    const n = tokens.texts.length;
    const width = Math.max(240, Math.min(900, this.panel.body.clientWidth - (this.panel.body.clientWidth > 760 ? 300 : 16)));
    const height = Math.round(Math.min(width * 0.75, 620));
    const context = sizeCanvas(this.canvas, width, height);
    context.fillStyle = cssColor(colours.background);
    context.fillRect(0, 0, width, height);
    const rotated = this.project(data.points, n);
    const fit = fitToBox(rotated, width, height, PADDING, data.dimensions === 3 ? cloudRadius(data.points, n, 3) : undefined);
    const screen = toScreen(rotated, fit);
    this.screen = screen;
    this.depth = rotated.depth;
    this.drawAxes(context, data, fit, colours);
    const neighbourSet = new Map((data.neighbours ?? []).map((entry) => [entry.token, entry.similarity]));
    const selected = this.selected;
    if (selected >= 0 && data.neighbours) {
      context.save();
      context.setLineDash([3, 3]);
      context.strokeStyle = cssColor(colours.muted);
      for (const { token } of data.neighbours) {
        context.beginPath();
        context.moveTo(screen.x[selected], screen.y[selected]);
        context.lineTo(screen.x[token], screen.y[token]);
        context.stroke();
      }
      context.restore();
    }
    let nearDepth = 0;
    let farDepth = 0;
    for (const value of rotated.depth) {
      nearDepth = Math.max(nearDepth, value);
      farDepth = Math.min(farDepth, value);
    }
    for (const token of drawOrder(rotated.depth)) {
      const depthShare = nearDepth > farDepth ? (rotated.depth[token] - farDepth) / (nearDepth - farDepth) : 1;
      const colour = this.colourOf(token, n, colours);
      context.fillStyle = cssColor(data.dimensions === 3 ? mix(colour, colours.background, 0.45 + 0.55 * depthShare) : colour);
      context.beginPath();
      context.arc(screen.x[token], screen.y[token], POINT_RADIUS, 0, Math.PI * 2);
      context.fill();
      if (token === selected || neighbourSet.has(token)) {
        context.strokeStyle = cssColor(token === selected ? colours.accent : colours.foreground);
        context.lineWidth = token === selected ? 2.5 : 1.5;
        context.beginPath();
        context.arc(screen.x[token], screen.y[token], POINT_RADIUS + 3, 0, Math.PI * 2);
        context.stroke();
      }
    }
    if (this.options.labels) {
      context.font = canvasFont(10);
      context.textBaseline = 'middle';
      context.textAlign = 'left';
      for (let token = 0; token < n; token++) {
        if (n > MAX_LABELLED && token !== selected && !neighbourSet.has(token)) continue;
        context.fillStyle = cssColor(token === selected ? colours.foreground : colours.muted);
        context.fillText(tokenLabel(tokens.texts[token], 16), screen.x[token] + POINT_RADIUS + 3, screen.y[token]);
      }
    }
    this.canvas.dataset.layer = String(data.layer);
    this.canvas.dataset.points = String(n);
    this.canvas.dataset.dimensions = String(data.dimensions);
    this.canvas.dataset.selected = String(selected);
    const explained = data.explained.map((share) => `${Math.round(share * 100)}%`).join(', ');
    this.canvas.setAttribute('aria-label', `PCA of ${n} tokens’ hidden states, ${layerName(data.layer)}, in ${data.dimensions}D; the components explain ${explained} of the variance.${selected >= 0 ? ` Picked: #${tokens.windowStart + selected} “${tokenLabel(tokens.texts[selected])}”.` : ''}`);
    this.drawPath(data, colours);
    this.renderSelection(data);
    this.panel.setDrawn(true);
  }

  private drawAxes(context: CanvasRenderingContext2D, data: EmbeddingData, fit: { scale: number; originX: number; originY: number }, colours: PlotColours): void {
    context.save();
    context.strokeStyle = cssColor(colours.grid);
    context.fillStyle = cssColor(colours.muted);
    context.font = canvasFont(10);
    context.lineWidth = 1;
    const width = parseFloat(this.canvas.style.width);
    const height = parseFloat(this.canvas.style.height);
    const share = (k: number) => `PC${k + 1} (${Math.round((data.explained[k] ?? 0) * 100)}%)`;
    if (data.dimensions === 2) {
      context.beginPath();
      context.moveTo(0, fit.originY);
      context.lineTo(width, fit.originY);
      context.moveTo(fit.originX, 0);
      context.lineTo(fit.originX, height);
      context.stroke();
      context.textAlign = 'right';
      context.textBaseline = 'bottom';
      context.fillText(share(0), width - 4, fit.originY - 2);
      context.textAlign = 'left';
      context.textBaseline = 'top';
      context.fillText(share(1), fit.originX + 4, 4);
    } else {
      // The three component axes from the origin, turned with the cloud.
      const length = Math.min(width, height) * 0.3;
      const axes = rotatePoints(Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), 3, 3, this.yaw, this.pitch);
      for (let k = 0; k < 3; k++) {
        const x = fit.originX + axes.x[k] * length;
        const y = fit.originY - axes.y[k] * length;
        context.beginPath();
        context.moveTo(fit.originX, fit.originY);
        context.lineTo(x, y);
        context.stroke();
        context.textAlign = 'center';
        context.textBaseline = 'middle';
        context.fillText(share(k), x, y);
      }
    }
    context.restore();
  }

  /** The picked token's path across the layers (0 = input embeddings), in the shared space of every layer. */
  private drawPath(data: EmbeddingData, colours: PlotColours): void {
    const path = data.path;
    const size = 240;
    const context = sizeCanvas(this.pathCanvas, size, size);
    context.fillStyle = cssColor(colours.background);
    context.fillRect(0, 0, size, size);
    this.pathCanvas.hidden = !path || this.selected < 0;
    if (!path || this.selected < 0) return;
    const steps = path.length / data.dimensions;
    const rotated = this.project(path, steps);
    const screen = toScreen(rotated, fitToBox(rotated, size, size, 24));
    context.strokeStyle = cssColor(colours.muted);
    context.lineWidth = 1.5;
    context.beginPath();
    for (let step = 0; step < steps; step++) {
      if (step === 0) context.moveTo(screen.x[step], screen.y[step]);
      else context.lineTo(screen.x[step], screen.y[step]);
    }
    context.stroke();
    context.font = canvasFont(10);
    context.textBaseline = 'bottom';
    context.textAlign = 'center';
    for (let step = 0; step < steps; step++) {
      context.fillStyle = cssColor(rampColour(steps <= 1 ? 0 : step / (steps - 1)));
      context.beginPath();
      context.arc(screen.x[step], screen.y[step], 4, 0, Math.PI * 2);
      context.fill();
      context.fillStyle = cssColor(colours.foreground);
      context.fillText(step === 0 ? 'emb' : `L${step}`, screen.x[step], screen.y[step] - 6);
    }
    this.pathCanvas.dataset.steps = String(steps);
    this.pathCanvas.setAttribute('aria-label', `Path of the picked token through ${steps - 1} layers, from its input embedding (emb) to the last layer (L${steps - 1}), in one PCA space fitted over every layer.`);
  }

  private renderSelection(data: EmbeddingData): void {
    const tokens = this.tokens!;
    const selected = this.selected;
    if (selected < 0) {
      this.selection.textContent = 'Click a point (or use the arrow keys on the plot) to see the token’s nearest neighbours and its path across the layers.';
      this.neighbours.replaceChildren();
      return;
    }
    this.selection.textContent = `#${tokens.windowStart + selected} “${tokenLabel(tokens.texts[selected], 40)}” ${tokens.dynamic[selected] ? '(dynamic part)' : ''} — nearest within the prompt, ${layerName(data.layer)} (cosine):`;
    if (!data.neighbours) {
      this.neighbours.replaceChildren();
      return;
    }
    this.neighbours.replaceChildren(
      ...data.neighbours.map(({ token, similarity }) => {
        const item = element('li', '');
        const link = element('button', 'link-button');
        link.type = 'button';
        link.dataset.token = String(token);
        link.textContent = `“${tokenLabel(tokens.texts[token])}” #${tokens.windowStart + token} · ${similarity.toFixed(3)}`;
        link.title = 'Pick this token';
        item.append(link);
        return item;
      }),
    );
  }

  private pointAt(event: MouseEvent): number {
    if (!this.screen) return -1;
    const rect = this.canvas.getBoundingClientRect();
    return nearestPoint(this.screen, event.clientX - rect.left, event.clientY - rect.top, PICK_RADIUS, this.depth);
  }

  private pointerMove(event: PointerEvent): void {
    const drag = this.drag;
    if (drag && this.options.dimensions === 3 && (event.buttons & 1) === 1) {
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      if (drag.moved || Math.abs(dx) + Math.abs(dy) > 3) {
        drag.moved = true;
        drag.x = event.clientX;
        drag.y = event.clientY;
        this.turn(dx * DRAG_SPEED, dy * DRAG_SPEED);
        this.tooltip.hide();
        return;
      }
    }
    const token = this.pointAt(event);
    if (token < 0 || !this.tokens) {
      this.tooltip.hide();
      return;
    }
    this.tooltip.show(this.describe(token), event.clientX, event.clientY);
  }

  private describe(token: number): string[] {
    const tokens = this.tokens!;
    const lines = [`#${tokens.windowStart + token} “${tokenLabel(tokens.texts[token], 40)}”`, `position ${tokens.windowStart + token} · ${tokens.dynamic[token] ? 'dynamic part' : 'static text'}`];
    const neighbour = this.data?.neighbours?.find((entry) => entry.token === token);
    if (neighbour) lines.push(`cosine to the picked token: ${neighbour.similarity.toFixed(3)}`);
    return lines;
  }

  private turn(yaw: number, pitch: number): void {
    this.yaw += yaw;
    this.pitch = Math.max(-Math.PI / 2, Math.min(Math.PI / 2, this.pitch + pitch));
    this.draw();
  }

  private key(event: KeyboardEvent): void {
    const n = this.tokens?.texts.length ?? 0;
    if (n === 0) return;
    if (event.shiftKey && this.options.dimensions === 3 && event.key.startsWith('Arrow')) {
      event.preventDefault();
      const turns: Record<string, [number, number]> = { ArrowLeft: [-KEY_TURN, 0], ArrowRight: [KEY_TURN, 0], ArrowUp: [0, -KEY_TURN], ArrowDown: [0, KEY_TURN] };
      const [yaw, pitch] = turns[event.key] ?? [0, 0];
      this.turn(yaw, pitch);
      return;
    }
    let next: number;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = Math.min(n - 1, this.selected + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = Math.max(0, this.selected < 0 ? 0 : this.selected - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = n - 1;
    else if (event.key === 'Escape') {
      this.tooltip.hide();
      if (this.selected >= 0) {
        this.selected = -1;
        if (this.data) this.data = { ...this.data, selected: -1, path: undefined, neighbours: undefined };
        this.draw();
        this.maybeRequest(true);
      }
      return;
    } else return;
    event.preventDefault();
    this.pick(next);
    this.announcer.textContent = this.describe(next).join('. ');
  }

  protected exportData(format: 'csv' | 'json'): void {
    if (this.tokens) this.host.send('exportModelData', { promptId: this.tokens.promptId, export: { view: 'embedding', layer: this.options.layer, format } });
  }

  protected savePng(): void {
    const data = this.data;
    const tokens = this.tokens;
    if (!data || !tokens) return;
    this.saveFigurePng(
      () => {
        const note = windowNote(tokens);
        const explained = data.explained.map((share, k) => `PC${k + 1} ${Math.round(share * 100)}%`).join(', ');
        return {
          title: `Embedding projection · ${layerName(data.layer)} · PCA ${data.dimensions}D`,
          lines: [
            `${tokens.texts.length} tokens coloured by ${this.options.colourBy === 'segment' ? 'static (blue) / dynamic (orange) part' : 'position (purple first → yellow last)'} · variance explained: ${explained}`,
            ...(this.selected >= 0 ? [this.selection.textContent ?? ''] : []),
            ...(note ? [note] : []),
          ],
          image: this.canvas,
        };
      },
    );
  }
}
