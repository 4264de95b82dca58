/**
 * The Attention tab: one layer's attention over the analysed window of the prompt as a heatmap (row = query
 * token, column = key token), for one head or the mean or max over heads, with an all-heads grid of small
 * multiples. Options: row-normalised or raw, linear or log colours, the first-token attention sink hidden.
 * Future keys are drawn masked (neutral and hatched), never as zero weights. Hovering a cell shows the query
 * token, the key token and the weight; clicking (or Enter) picks a query row and highlights its attention
 * over the prompt text below.
 *
 * Drawing: the matrix is painted with one pixel per cell into an ImageData (heatmap.ts), put on an offscreen
 * canvas with putImageData and drawn scaled without smoothing, so 1,024 × 1,024 is one pass; the small
 * multiples reuse the same routine per head. Keyboard: the heatmap is one tab stop; arrows move a cell
 * cursor (announced through a live region), Enter picks its query row.
 */
import { button, checkbox, dropdown } from '../../../ui/controls';
import {
  axisTicks,
  cellAt,
  cellColours,
  cellKind,
  displayMatrix,
  formatWeight,
  gridLayout,
  headMatrix,
  legendTicks,
  paintHeatmap,
  rampColour,
  rampPosition,
  type Box,
  type ColourScale,
  type DisplayMatrix,
  type HeadChoice,
  type Normalisation,
} from '../heatmap';
import { cssColor } from '../../../ui/colors';
import { headLabel, tokenLabel, windowNote } from '../modelFormat';
import { element } from '../../../ui/dom';
import { canvasFont, controlRow, label, liveRegion, plotColours, sizeCanvas, type PlotColours } from '../modelStatus';
import { ModelTab, keyboardCanvas, type ModelTabMessage } from '../modelTab';
import type { HostHandlers, Tab, TabContext } from '../../tab';
import type { AttentionLayerView, ModelTokensView } from '../../../../../common/protocol/index';

export interface AttentionOptions {
  layer: number;
  head: HeadChoice;
  normalise: Normalisation;
  scale: ColourScale;
  hideSink: boolean;
  grid: boolean;
}

/** Room for the query tick labels on the left and the key tick labels on top. */
const MARGIN_LEFT = 40;
const MARGIN_TOP = 28;
/** The heatmap's side: at least this, at most MAX_SIDE, else as wide as the panel allows. */
const MIN_SIDE = 240;
const MAX_SIDE = 1024;
/** Cells never drawn bigger than this: three tokens do not need a screen-filling matrix. */
const MAX_CELL = 16;
const GRID_GAP = 10;
const GRID_MIN_CELL = 120;
const LEGEND_HEIGHT = 64;
const HATCH_SPACING = 6;

export class AttentionView extends ModelTab implements Tab<ModelTabMessage | 'attentionLayer'> {
  readonly label = 'Attention';
  readonly receive: HostHandlers<ModelTabMessage | 'attentionLayer'> = {
    ...this.modelMessages(),
    attentionLayer: (message) => this.show(message.attention),
  };
  private readonly layerPicker = dropdown('Layer', (value) => this.setOption({ layer: Number(value) }));
  private readonly headPicker = dropdown('Head', (value) => this.setOption({ head: value === 'mean' || value === 'max' ? value : Number(value) }));
  private readonly normaliseBox = checkbox('Normalise rows', false, (on) => this.setOption({ normalise: on ? 'row' : 'raw' }));
  private readonly logBox = checkbox('Log colours', false, (on) => this.setOption({ scale: on ? 'log' : 'linear' }));
  private readonly sinkBox = checkbox('Hide first-token sink', false, (on) => this.setOption({ hideSink: on }));
  private readonly gridBox = checkbox('All heads', false, (on) => this.setOption({ grid: on }));
  private readonly content = element('div', 'attention-content');
  private readonly windowLine = element('div', 'model-window');
  private readonly earlier: HTMLElement;
  private readonly later: HTMLElement;
  private readonly canvas = element('canvas', 'attention-heatmap');
  private readonly legend = element('canvas', 'attention-legend');
  private readonly gridCanvas = element('canvas', 'attention-grid');
  private readonly textStrip = element('div', 'attention-text');
  private readonly rowNote = element('div', 'model-note');
  private readonly announcer = liveRegion();
  private readonly offscreen = document.createElement('canvas');
  private image: ImageData | undefined;
  private options: AttentionOptions = { layer: 0, head: 'mean', normalise: 'raw', scale: 'linear', hideSink: false, grid: false };
  private attention: AttentionLayerView | undefined;
  private matrix: Float32Array | undefined;
  private display: DisplayMatrix | undefined;
  private box: Box = { left: MARGIN_LEFT, top: MARGIN_TOP, size: 0 };
  private gridBoxes: Box[] = [];
  private selectedQuery = -1;
  private cursor = { query: 0, key: 0 };
  private gridFocus = 0;
  private tokenSpans: HTMLElement[] = [];

  constructor(host: TabContext) {
    super(host, 'attention-view', 'Attention heatmap', 'attention-tooltip');
    this.earlier = button('◀ Earlier', 'Analyse the tokens before this window', () => this.shiftWindow(-1));
    this.later = button('Later ▶', 'Analyse the tokens after this window', () => this.shiftWindow(1));
    const windowRow = element('div', 'toolbar model-window-row');
    windowRow.append(this.windowLine, this.earlier, this.later);
    const exports = this.exportControls({
      png: 'Save the heatmap with its legend as a PNG image',
      csv: 'Save the matrix on screen (this layer and head, raw weights) as CSV',
      json: 'Save this layer’s attention of every head as JSON',
    });
    const pickers = controlRow(label('Layer'), this.layerPicker.element, label('Head'), this.headPicker.element, this.gridBox.element);
    const toggles = controlRow(this.normaliseBox.element, this.logBox.element, this.sinkBox.element);

    const help = keyboardCanvas(
      this.canvas,
      'attention heatmap',
      'attention-help',
      'Rows are query tokens, columns the key tokens they attend to. Arrow keys move between cells, Home and End go to the row’s ends, Enter shows the row’s attention over the prompt text.',
    );
    this.legend.setAttribute('role', 'img');
    this.gridCanvas.tabIndex = 0;
    this.gridCanvas.setAttribute('role', 'img');
    this.gridCanvas.setAttribute('aria-roledescription', 'heads grid');
    this.textStrip.setAttribute('aria-label', 'The prompt text; with a query row picked, each token is highlighted by the attention it gets from the query');
    this.textStrip.setAttribute('role', 'group');

    const figure = element('div', 'attention-figure');
    figure.append(this.canvas, this.legend);
    const rowHeading = element('h2', 'model-heading');
    rowHeading.textContent = 'Attention of the picked query over the prompt';
    // Until the first tokens arrive (the model loading, a download awaiting consent) there is no layer or head to
    // pick: the controls appear with the data, so the panel never shows "Layer 1 of 1" for a model not yet known.
    this.content.append(windowRow, pickers, toggles, exports, figure, this.gridCanvas, rowHeading, this.rowNote, this.textStrip);
    this.panel.body.append(this.content, help, this.announcer, this.tooltip.element);

    this.canvas.addEventListener('pointermove', (event) => this.hover(event));
    this.canvas.addEventListener('pointerleave', () => this.tooltip.hide());
    this.canvas.addEventListener('click', (event) => this.clickCell(event));
    this.canvas.addEventListener('keydown', (event) => this.key(event));
    this.canvas.addEventListener('focus', () => this.draw());
    this.canvas.addEventListener('blur', () => {
      this.tooltip.hide();
      this.draw();
    });
    this.gridCanvas.addEventListener('click', (event) => this.clickGrid(event));
    this.gridCanvas.addEventListener('pointermove', (event) => this.hoverGrid(event));
    this.gridCanvas.addEventListener('pointerleave', () => this.tooltip.hide());
    this.gridCanvas.addEventListener('keydown', (event) => this.gridKey(event));
    this.textStrip.addEventListener('click', (event) => {
      const index = Number((event.target as HTMLElement).dataset?.token);
      if (Number.isInteger(index)) this.selectQuery(index);
    });
    this.renderControls();
  }

  protected forgetData(): void {
    this.attention = undefined;
    this.content.hidden = true;
  }

  setTokens(tokens: ModelTokensView): void {
    const samePrompt = this.tokens?.promptId === tokens.promptId && this.tokens.texts.length === tokens.texts.length;
    this.tokens = tokens;
    this.tokensGeneration++;
    this.attention = undefined;
    this.matrix = undefined;
    this.display = undefined;
    if (!samePrompt) {
      this.selectedQuery = -1;
      this.cursor = { query: 0, key: 0 };
    }
    this.options.layer = Math.min(this.options.layer, tokens.layers - 1);
    if (typeof this.options.head === 'number' && this.options.head >= tokens.heads) this.options.head = 'mean';
    this.panel.setEmpty(tokens.texts.length === 0 ? 'This prompt has no tokens to analyse.' : undefined);
    this.panel.setDrawn(false);
    this.renderControls();
    this.renderWindow();
    this.renderText();
    this.maybeRequest();
  }

  private show(attention: AttentionLayerView): void {
    const tokens = this.tokens;
    // An answer for another prompt, window or layer than the one now asked for is late: the newer one follows.
    if (!tokens || attention.promptId !== tokens.promptId || attention.n !== tokens.texts.length || attention.layer !== this.options.layer) return;
    if (attention.heads !== tokens.heads) return;
    performance.mark('promptlens:attention-show');
    this.attention = attention;
    this.recompute();
    this.draw();
    performance.measure('promptlens:attention-shown', 'promptlens:attention-show');
  }

  private setOption(change: Partial<AttentionOptions>): void {
    this.options = { ...this.options, ...change };
    this.renderControls();
    if (change.layer !== undefined) {
      this.attention = undefined;
      this.matrix = undefined;
      this.display = undefined;
      this.panel.setDrawn(false);
      this.maybeRequest();
      return;
    }
    this.recompute();
    this.draw();
  }

  protected maybeRequest(): void {
    const tokens = this.tokens;
    if (!this.visible || !this.panel.ready || !tokens || tokens.texts.length === 0 || this.attention) return;
    const key = `${this.tokensGeneration}:${this.options.layer}`;
    if (key === this.requested) return;
    this.requested = key;
    this.host.send('requestAttention', { promptId: tokens.promptId, layer: this.options.layer });
  }

  private renderControls(): void {
    this.content.hidden = this.tokens === undefined;
    const layers = this.tokens?.layers ?? 1;
    const heads = this.tokens?.heads ?? 1;
    this.layerPicker.setChoices(
      Array.from({ length: layers }, (_, layer) => ({ value: String(layer), label: `Layer ${layer + 1} of ${layers}` })),
      String(Math.min(this.options.layer, layers - 1)),
    );
    this.headPicker.setChoices(
      [
        { value: 'mean', label: `Mean of ${heads} heads` },
        { value: 'max', label: `Max of ${heads} heads` },
        ...Array.from({ length: heads }, (_, head) => ({ value: String(head), label: `Head ${head + 1}` })),
      ],
      String(this.options.head),
    );
    this.normaliseBox.set(this.options.normalise === 'row');
    this.logBox.set(this.options.scale === 'log');
    this.sinkBox.set(this.options.hideSink);
    this.gridBox.set(this.options.grid);
    this.gridCanvas.hidden = !this.options.grid;
  }

  private renderWindow(): void {
    const note = this.tokens ? windowNote(this.tokens) : undefined;
    const n = this.tokens?.texts.length ?? 0;
    this.windowLine.textContent = note ?? `All ${n.toLocaleString('en-US')} tokens of the prompt.`;
    this.windowLine.classList.toggle('truncated', note !== undefined);
    this.earlier.hidden = !this.tokens || this.tokens.windowStart === 0;
    this.later.hidden = !this.tokens || this.tokens.windowStart + n >= this.tokens.totalTokens;
  }

  private shiftWindow(direction: -1 | 1): void {
    const tokens = this.tokens;
    if (!tokens) return;
    const n = tokens.texts.length;
    const start = Math.max(0, Math.min(tokens.totalTokens - n, tokens.windowStart + direction * Math.max(1, Math.floor(n / 2))));
    this.host.send('setModelWindow', { promptId: tokens.promptId, start, count: n });
  }

  private renderText(): void {
    const tokens = this.tokens;
    this.tokenSpans = (tokens?.texts ?? []).map((text, index) => {
      const span = element('span', tokens!.dynamic[index] ? 'attention-token dynamic' : 'attention-token');
      span.textContent = text;
      span.dataset.token = String(index);
      return span;
    });
    this.textStrip.replaceChildren(...this.tokenSpans);
    this.renderRow();
  }

  private recompute(): void {
    const attention = this.attention;
    if (!attention) return;
    this.matrix = headMatrix(attention.weights, attention.heads, attention.n, this.options.head);
    this.display = displayMatrix(this.matrix, attention.n, this.options);
  }

  private sideFor(n: number): number {
    const available = Math.max(MIN_SIDE, this.panel.body.clientWidth - MARGIN_LEFT - 16);
    let side = Math.min(available, MAX_SIDE, Math.max(MIN_SIDE, n * MAX_CELL));
    // Whole pixels per cell where cells are big enough to see: every row and column the same size.
    if (side / n >= 2) side = Math.floor(side / n) * n;
    return Math.max(1, Math.floor(side));
  }

  protected draw(): void {
    const attention = this.attention;
    const display = this.display;
    if (!this.visible || !attention || !display || !this.tokens) return;
    performance.mark('promptlens:attention-draw-start');
    const n = attention.n;
    const colours = plotColours();
    const side = this.sideFor(n);
    this.box = { left: MARGIN_LEFT, top: MARGIN_TOP, size: side };
    const context = sizeCanvas(this.canvas, MARGIN_LEFT + side + 8, MARGIN_TOP + side + 8);
    context.fillStyle = cssColor(colours.background);
    context.fillRect(0, 0, MARGIN_LEFT + side + 8, MARGIN_TOP + side + 8);
    this.paintMatrix(context, display, this.box, colours);
    this.drawAxes(context, n, colours);
    this.drawMarks(context, n, colours);
    this.drawLegend(display, colours);
    if (this.options.grid) this.drawGrid(colours);
    const head = this.options.head;
    this.canvas.dataset.layer = String(attention.layer);
    this.canvas.dataset.head = String(head);
    this.canvas.dataset.n = String(n);
    this.canvas.dataset.side = String(side);
    this.canvas.setAttribute(
      'aria-label',
      `Attention heatmap, layer ${attention.layer + 1}, ${headLabel(head, attention.heads)}, ${n} by ${n} tokens, ${this.options.normalise === 'row' ? 'rows normalised' : 'raw weights'}, ${this.options.scale} colours${this.options.hideSink ? ', first-token sink hidden' : ''}.`,
    );
    this.panel.setDrawn(true);
    this.renderRow();
    performance.measure('promptlens:attention-draw', 'promptlens:attention-draw-start');
  }

  /** The one-pixel-per-cell image of `display`, drawn into `box` of `context`, then the mask hatched over it. */
  private paintMatrix(context: CanvasRenderingContext2D, display: DisplayMatrix, box: Box, colours: PlotColours): void {
    const n = display.n;
    if (this.offscreen.width !== n || this.offscreen.height !== n) {
      this.offscreen.width = n;
      this.offscreen.height = n;
    }
    const offscreenContext = this.offscreen.getContext('2d');
    if (!offscreenContext) return;
    if (!this.image || this.image.width !== n) this.image = offscreenContext.createImageData(n, n);
    paintCells(this.image.data, display, this.options.scale, colours);
    offscreenContext.putImageData(this.image, 0, 0);
    // Scaling up: blocks, never blurred cells. Scaling down (more cells than device pixels) averages instead of dropping rows.
    const ratio = this.canvas.width / parseFloat(this.canvas.style.width || '1');
    context.imageSmoothingEnabled = box.size * ratio < n;
    context.drawImage(this.offscreen, box.left, box.top, box.size, box.size);
    context.imageSmoothingEnabled = true;
    hatchMask(context, box, n, colours);
  }

  private drawAxes(context: CanvasRenderingContext2D, n: number, colours: PlotColours): void {
    const { left, top, size } = this.box;
    const cell = size / n;
    context.fillStyle = cssColor(colours.muted);
    context.font = canvasFont(10);
    context.textBaseline = 'middle';
    const offset = this.tokens?.windowStart ?? 0;
    for (const tick of axisTicks(n, cell, 40)) {
      const at = (tick + 0.5) * cell;
      context.textAlign = 'center';
      context.fillText(String(offset + tick), left + at, top - 8);
      context.textAlign = 'right';
      context.fillText(String(offset + tick), left - 4, top + at);
    }
    // The corner names the axes: rows are queries (top to bottom), columns keys (left to right).
    context.textAlign = 'left';
    context.fillText('query ↓  key →', 2, 6);
  }

  /** The picked query row and, while the heatmap has the focus, the keyboard's cell. */
  private drawMarks(context: CanvasRenderingContext2D, n: number, colours: PlotColours): void {
    const { left, top, size } = this.box;
    const cell = size / n;
    context.lineWidth = 2;
    if (this.selectedQuery >= 0 && this.selectedQuery < n) {
      context.strokeStyle = cssColor(colours.foreground);
      context.strokeRect(left - 1, top + this.selectedQuery * cell - 1, size + 2, cell + 2);
    }
    if (document.activeElement === this.canvas) {
      context.strokeStyle = cssColor(colours.accent);
      const { query, key } = this.cursor;
      context.strokeRect(left + key * cell - 1, top + query * cell - 1, Math.max(3, cell + 2), Math.max(3, cell + 2));
    }
  }

  private drawLegend(display: DisplayMatrix, colours: PlotColours): void {
    const width = Math.min(420, Math.max(240, this.box.size));
    const context = sizeCanvas(this.legend, width, LEGEND_HEIGHT);
    context.fillStyle = cssColor(colours.background);
    context.fillRect(0, 0, width, LEGEND_HEIGHT);
    drawHeatmapLegend(context, 0, 0, width, display, this.options, colours);
    const ticks = legendTicks(this.options.scale, display);
    this.legend.setAttribute(
      'aria-label',
      `Colour legend: dark purple is ${formatWeight(ticks[0].value)}, yellow is ${formatWeight(ticks[ticks.length - 1].value)} (${this.options.scale} scale); neutral hatched cells are future tokens, masked by causal attention${this.options.hideSink ? '; the first column, the attention sink, is hidden' : ''}.`,
    );
  }

  private drawGrid(colours: PlotColours): void {
    const attention = this.attention!;
    const n = attention.n;
    const width = Math.max(GRID_MIN_CELL, this.panel.body.clientWidth - 16);
    const layout = gridLayout(attention.heads, width, GRID_GAP, GRID_MIN_CELL);
    const labelHeight = 16;
    const totalWidth = layout.columns * layout.cell + (layout.columns - 1) * GRID_GAP;
    const totalHeight = layout.rows * (layout.cell + labelHeight + GRID_GAP);
    const context = sizeCanvas(this.gridCanvas, totalWidth, totalHeight);
    context.fillStyle = cssColor(colours.background);
    context.fillRect(0, 0, totalWidth, totalHeight);
    this.gridBoxes = [];
    for (let head = 0; head < attention.heads; head++) {
      const column = head % layout.columns;
      const row = Math.floor(head / layout.columns);
      const box = { left: column * (layout.cell + GRID_GAP), top: row * (layout.cell + labelHeight + GRID_GAP) + labelHeight, size: layout.cell };
      this.gridBoxes.push(box);
      const display = displayMatrix(headMatrix(attention.weights, attention.heads, n, head), n, this.options);
      this.paintMatrix(context, display, box, colours);
      const picked = this.options.head === head;
      context.fillStyle = cssColor(picked ? colours.foreground : colours.muted);
      context.font = canvasFont(11, picked ? 'bold' : '');
      context.textAlign = 'left';
      context.textBaseline = 'middle';
      context.fillText(`Head ${head + 1}${picked ? ' (shown above)' : ''}`, box.left, box.top - labelHeight / 2);
      if (picked || (document.activeElement === this.gridCanvas && this.gridFocus === head)) {
        context.strokeStyle = cssColor(picked ? colours.foreground : colours.accent);
        context.lineWidth = 2;
        context.strokeRect(box.left - 1, box.top - 1, box.size + 2, box.size + 2);
      }
    }
    this.gridCanvas.dataset.heads = String(attention.heads);
    this.gridCanvas.setAttribute('aria-label', `Every head of layer ${attention.layer + 1} as a small heatmap with the same colours; arrow keys move between heads, Enter shows one above.`);
  }

  private cellDescription(query: number, key: number): string[] {
    const tokens = this.tokens!;
    const offset = tokens.windowStart;
    const heading = `query #${offset + query} “${tokenLabel(tokens.texts[query])}” → key #${offset + key} “${tokenLabel(tokens.texts[key])}”`;
    const kind = cellKind(query, key, this.options.hideSink);
    if (kind === 'masked') return [heading, 'Masked: causal attention never looks at later tokens.'];
    const raw = this.matrix?.[query * tokens.texts.length + key] ?? 0;
    const what = headLabel(this.options.head, this.attention?.heads ?? 0);
    if (kind === 'hidden') return [heading, `First-token attention sink, hidden: weight ${formatWeight(raw)} (${what})`];
    const lines = [heading, `weight ${formatWeight(raw)} (${what}, layer ${this.options.layer + 1})`];
    if (this.options.normalise === 'row') lines.push(`${formatWeight(this.display?.values[query * tokens.texts.length + key] ?? 0)} of the row’s strongest key`);
    return lines;
  }

  private hover(event: PointerEvent): void {
    if (!this.attention) return;
    const rect = this.canvas.getBoundingClientRect();
    const cell = cellAt(event.clientX - rect.left, event.clientY - rect.top, this.box, this.attention.n);
    if (!cell) {
      this.tooltip.hide();
      return;
    }
    this.tooltip.show(this.cellDescription(cell.query, cell.key), event.clientX, event.clientY);
  }

  private clickCell(event: MouseEvent): void {
    if (!this.attention) return;
    const rect = this.canvas.getBoundingClientRect();
    const cell = cellAt(event.clientX - rect.left, event.clientY - rect.top, this.box, this.attention.n);
    if (!cell) return;
    this.cursor = cell;
    this.selectQuery(cell.query);
  }

  private selectQuery(query: number): void {
    this.selectedQuery = query;
    this.cursor = { query, key: Math.min(this.cursor.key, query) };
    this.draw();
  }

  private key(event: KeyboardEvent): void {
    const n = this.attention?.n ?? 0;
    if (n === 0) return;
    let { query, key } = this.cursor;
    switch (event.key) {
      case 'ArrowUp':
        query--;
        break;
      case 'ArrowDown':
        query++;
        break;
      case 'ArrowLeft':
        key--;
        break;
      case 'ArrowRight':
        key++;
        break;
      case 'Home':
        key = 0;
        break;
      case 'End':
        key = query;
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.selectQuery(query);
        this.announcer.textContent = `Row of query #${(this.tokens?.windowStart ?? 0) + query} highlighted over the prompt text.`;
        return;
      case 'Escape':
        this.tooltip.hide();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.cursor = { query: clamp(query, 0, n - 1), key: clamp(key, 0, n - 1) };
    this.draw();
    const lines = this.cellDescription(this.cursor.query, this.cursor.key);
    this.announcer.textContent = lines.join('. ');
    const rect = this.canvas.getBoundingClientRect();
    const cell = this.box.size / n;
    this.tooltip.show(lines, rect.left + this.box.left + (this.cursor.key + 0.5) * cell, rect.top + this.box.top + (this.cursor.query + 0.5) * cell);
  }

  private gridHead(event: MouseEvent): number {
    const rect = this.gridCanvas.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    return this.gridBoxes.findIndex((box) => x >= box.left && x < box.left + box.size && y >= box.top && y < box.top + box.size);
  }

  private clickGrid(event: MouseEvent): void {
    const head = this.gridHead(event);
    if (head >= 0) this.setOption({ head });
  }

  private hoverGrid(event: PointerEvent): void {
    const head = this.gridHead(event);
    if (head < 0) this.tooltip.hide();
    else this.tooltip.show([`Head ${head + 1}`, 'Click to show it in the heatmap above'], event.clientX, event.clientY);
  }

  private gridKey(event: KeyboardEvent): void {
    const heads = this.attention?.heads ?? 0;
    if (heads === 0) return;
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      event.preventDefault();
      this.gridFocus = (this.gridFocus + step + heads) % heads;
      this.announcer.textContent = `Head ${this.gridFocus + 1} of ${heads}`;
      this.draw();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.setOption({ head: this.gridFocus });
    }
  }

  /** The picked query's row as highlighting over the prompt text: the colour's strength is the cell's place on the scale. */
  private renderRow(): void {
    const query = this.selectedQuery;
    const display = this.display;
    const n = this.tokenSpans.length;
    if (query < 0 || !display || display.n !== n) {
      for (const span of this.tokenSpans) {
        span.className = span.className.replace(/ (query|future|sink)\b/g, '');
        span.style.removeProperty('--pl-weight');
        span.removeAttribute('title');
      }
      this.rowNote.textContent = 'Click a row of the heatmap (or press Enter on it) to see what that token attends to.';
      return;
    }
    const tokens = this.tokens!;
    for (let key = 0; key < n; key++) {
      const span = this.tokenSpans[key];
      const kind = cellKind(query, key, this.options.hideSink);
      span.classList.toggle('query', key === query);
      span.classList.toggle('future', kind === 'masked');
      span.classList.toggle('sink', kind === 'hidden');
      if (kind === 'value') {
        const value = display.values[query * n + key];
        span.style.setProperty('--pl-weight', String(Math.round(rampPosition(value, this.options.scale, display) * 100) / 100));
        span.title = `weight ${formatWeight(this.matrix?.[query * n + key] ?? 0)}`;
      } else {
        span.style.removeProperty('--pl-weight');
        span.title = kind === 'masked' ? 'after the query: masked' : 'attention sink (hidden)';
      }
    }
    this.rowNote.textContent = `Query #${tokens.windowStart + query} “${tokenLabel(tokens.texts[query])}”: what it attends to (${headLabel(this.options.head, this.attention?.heads ?? 0)}, layer ${this.options.layer + 1}); later tokens are masked.`;
  }

  protected exportData(format: 'csv' | 'json'): void {
    if (!this.tokens) return;
    this.host.send('exportModelData', { promptId: this.tokens.promptId, export: { view: 'attention', layer: this.options.layer, head: this.options.head, format } });
  }

  protected savePng(): void {
    const attention = this.attention;
    const display = this.display;
    const tokens = this.tokens;
    if (!attention || !display || !tokens) return;
    this.saveFigurePng(
      () => {
        const colours = plotColours();
        const note = windowNote(tokens);
        return {
          title: `Attention · layer ${attention.layer + 1} · ${headLabel(this.options.head, attention.heads)}`,
          lines: [
            `${this.options.normalise === 'row' ? 'rows normalised to their strongest key' : 'raw weights'} · ${this.options.scale} colours${this.options.hideSink ? ' · first-token sink hidden' : ''} · rows = query, columns = key`,
            ...(note ? [note] : []),
          ],
          image: this.canvas,
          legend: (context, left, top, width) => drawHeatmapLegend(context, left, top, Math.min(width, 420), display, this.options, colours),
        };
      },
    );
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

/** paintHeatmap with the theme's neutral colours for masked and hidden cells. */
function paintCells(pixels: Uint8ClampedArray, display: DisplayMatrix, scale: ColourScale, colours: PlotColours): void {
  paintHeatmap(pixels, display, scale, cellColours(colours.background, colours.foreground));
}

/** Diagonal hatching over the future keys (above the diagonal's staircase), where cells are big enough to show it. */
function hatchMask(context: CanvasRenderingContext2D, box: Box, n: number, colours: PlotColours): void {
  const cell = box.size / n;
  if (cell < 3 || n < 2) return;
  const { left, top, size } = box;
  context.save();
  context.beginPath();
  context.moveTo(left + cell, top);
  for (let query = 0; query < n - 1; query++) {
    context.lineTo(left + (query + 1) * cell, top + (query + 1) * cell);
    context.lineTo(left + (query + 2) * cell, top + (query + 1) * cell);
  }
  context.lineTo(left + size, top);
  context.closePath();
  context.clip();
  context.strokeStyle = cssColor(colours.foreground);
  context.globalAlpha = 0.25;
  context.lineWidth = 1;
  context.beginPath();
  for (let offset = -size; offset < size; offset += HATCH_SPACING) {
    context.moveTo(left + offset, top + size);
    context.lineTo(left + offset + size, top);
  }
  context.stroke();
  context.restore();
}

/** The legend: the colour ramp with its values, then swatches for masked and hidden cells. Returns its height. */
function drawHeatmapLegend(
  context: CanvasRenderingContext2D,
  left: number,
  top: number,
  width: number,
  display: DisplayMatrix,
  options: Pick<AttentionOptions, 'scale' | 'normalise' | 'hideSink'>,
  colours: PlotColours,
): number {
  const barHeight = 12;
  const barWidth = width - 2;
  for (let x = 0; x < barWidth; x++) {
    context.fillStyle = cssColor(rampColour(x / Math.max(1, barWidth - 1)));
    context.fillRect(left + x, top + 14, 1, barHeight);
  }
  context.font = canvasFont(10);
  context.textBaseline = 'middle';
  context.fillStyle = cssColor(colours.foreground);
  context.textAlign = 'left';
  context.fillText(`${options.normalise === 'row' ? 'share of the row’s strongest key' : 'attention weight'} (${options.scale} scale)`, left, top + 6);
  for (const tick of legendTicks(options.scale, display)) {
    const x = left + tick.position * (barWidth - 1);
    context.textAlign = tick.position === 0 ? 'left' : tick.position === 1 ? 'right' : 'center';
    context.fillText(formatWeight(tick.value), x, top + 14 + barHeight + 8);
  }
  const swatchTop = top + 14 + barHeight + 18;
  const cells = cellColours(colours.background, colours.foreground);
  const swatch = (x: number, colour: readonly [number, number, number], text: string, hatched: boolean): number => {
    context.fillStyle = cssColor(colour);
    context.fillRect(x, swatchTop, 12, 12);
    if (hatched) {
      context.save();
      context.strokeStyle = cssColor(colours.foreground);
      context.globalAlpha = 0.4;
      context.beginPath();
      context.moveTo(x, swatchTop + 12);
      context.lineTo(x + 12, swatchTop);
      context.stroke();
      context.restore();
    }
    context.fillStyle = cssColor(colours.foreground);
    context.textAlign = 'left';
    context.fillText(text, x + 16, swatchTop + 6);
    return x + 16 + context.measureText(text).width + 14;
  };
  let x = swatch(left, cells.masked, 'masked (future token)', true);
  if (options.hideSink) x = swatch(x, cells.hidden, 'first-token sink, hidden', false);
  return swatchTop + 12 - top;
}
