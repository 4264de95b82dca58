/**
 * The attention heatmap's arithmetic and pixels, without the DOM: picking or aggregating heads, row
 * normalisation, hiding the first-token attention sink, linear and log colour scales, and painting a matrix
 * into an RGBA buffer with one pixel per cell (the view puts it on an offscreen canvas with putImageData and
 * scales it up without smoothing, so a 1,024 × 1,024 matrix is one pass over a Uint32Array).
 *
 * Cells are of three kinds. `masked`: a future key (key > query), which causal attention never looks at —
 * drawn in a neutral colour and hatched, never as a zero weight. `hidden`: the first key when the sink is
 * hidden. `value`: everything else, coloured by its weight, where 0 is the low end of the colour ramp.
 */
import { mix, type Rgb } from '../../ui/colors';

/** One head (0-based), or every head of the layer combined. */
export type HeadChoice = number | 'mean' | 'max';

export type Normalisation = 'raw' | 'row';
export type ColourScale = 'linear' | 'log';
export type CellKind = 'value' | 'masked' | 'hidden';

export interface DisplayOptions {
  normalise: Normalisation;
  hideSink: boolean;
}

/** The matrix as drawn: values of `value` cells, NaN for masked and hidden ones, and the range the colours span. */
export interface DisplayMatrix {
  n: number;
  values: Float32Array;
  /** Largest value cell (0 when there is none). */
  max: number;
  /** Smallest positive value cell (0 when there is none): the log scale's floor when it is above max / 10^LOG_DECADES. */
  minPositive: number;
}

/** The log scale spans at most this many powers of ten below the maximum; weights under that share the lowest colour. */
export const LOG_DECADES = 4;

/**
 * One head's [n, n] matrix out of a layer's [heads, n, n] weights, or the element-wise mean or max over the
 * heads. A single head is a view into `weights` (no copy); mean and max are new arrays, computed over the
 * causal half only (key ≤ query): the rest is masked, so it is left 0 and never read.
 */
export function headMatrix(weights: Float32Array, heads: number, n: number, choice: HeadChoice): Float32Array {
  const size = n * n;
  if (typeof choice === 'number') {
    const head = Math.max(0, Math.min(heads - 1, choice));
    return weights.subarray(head * size, (head + 1) * size);
  }
  const result = new Float32Array(size);
  if (heads === 0) return result;
  const isMax = choice === 'max';
  for (let query = 0; query < n; query++) {
    const row = query * n;
    for (let key = 0; key <= query; key++) {
      let combined = weights[row + key];
      for (let offset = size + row + key; offset < heads * size; offset += size) {
        const value = weights[offset];
        if (isMax) {
          if (value > combined) combined = value;
        } else combined += value;
      }
      result[row + key] = isMax ? combined : combined / heads;
    }
  }
  return result;
}

/** What is drawn at (query, key): causal attention never looks ahead, so key > query is masked before anything else. */
export function cellKind(query: number, key: number, hideSink: boolean): CellKind {
  if (key > query) return 'masked';
  if (hideSink && key === 0) return 'hidden';
  return 'value';
}

/**
 * The values to colour. `row`: each query row divided by its largest visible weight, so the strongest key
 * of every row is full colour however many keys share the row's attention (without the sink, what is left).
 * `raw`: the weights as the model computed them.
 */
export function displayMatrix(matrix: Float32Array, n: number, options: DisplayOptions): DisplayMatrix {
  const values = new Float32Array(n * n);
  let max = 0;
  let minPositive = Number.POSITIVE_INFINITY;
  const firstKey = options.hideSink ? 1 : 0;
  for (let query = 0; query < n; query++) {
    const row = query * n;
    let rowMax = 0;
    for (let key = firstKey; key <= query; key++) if (matrix[row + key] > rowMax) rowMax = matrix[row + key];
    const factor = options.normalise === 'row' && rowMax > 0 ? 1 / rowMax : 1;
    if (firstKey > 0) values[row] = Number.NaN;
    for (let key = firstKey; key <= query; key++) {
      const value = matrix[row + key] * factor;
      values[row + key] = value;
      if (value > max) max = value;
      if (value > 0 && value < minPositive) minPositive = value;
    }
    values.fill(Number.NaN, row + query + 1, row + n);
  }
  return { n, values, max, minPositive: Number.isFinite(minPositive) ? minPositive : 0 };
}

/** The log scale's lowest value: the smallest weight present, but no more than LOG_DECADES below the maximum. */
function logFloor(display: Pick<DisplayMatrix, 'max' | 'minPositive'>): number {
  return Math.max(display.minPositive, display.max / 10 ** LOG_DECADES);
}

/** Where `value` falls on the colour ramp, 0..1. */
export function rampPosition(value: number, scale: ColourScale, display: Pick<DisplayMatrix, 'max' | 'minPositive'>): number {
  const { max } = display;
  if (!(max > 0) || !(value > 0)) return 0;
  if (scale === 'linear') return Math.min(1, value / max);
  const floor = logFloor(display);
  if (value <= floor) return 0;
  if (floor >= max) return 1;
  return Math.min(1, Math.log(value / floor) / Math.log(max / floor));
}

/**
 * Viridis (matplotlib's default sequential map, https://bids.github.io/colormap/) at nine stops: it reads in
 * order by lightness alone, so it survives greyscale printing and the common colour-vision deficiencies, and
 * no stop of it is the neutral grey that masked cells use in any theme.
 */
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 73, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [253, 231, 37],
];

const RAMP_SIZE = 256;

/** The colour at ramp position `t` (0..1). */
export function rampColour(t: number): Rgb {
  const scaled = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const low = Math.min(VIRIDIS.length - 2, Math.floor(scaled));
  return mix(VIRIDIS[low + 1], VIRIDIS[low], scaled - low);
}

/** An RGBA pixel packed for a little-endian Uint32Array over ImageData (every browser VS Code runs on). */
export function packPixel([r, g, b]: Rgb): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

let ramp: Uint32Array | undefined;

/** The ramp as RAMP_SIZE packed pixels, built once. */
function rampPixels(): Uint32Array {
  if (!ramp) {
    ramp = new Uint32Array(RAMP_SIZE);
    for (let k = 0; k < RAMP_SIZE; k++) ramp[k] = packPixel(rampColour(k / (RAMP_SIZE - 1)));
  }
  return ramp;
}

export interface CellColours {
  masked: Rgb;
  hidden: Rgb;
}

/** Neutral cell colours from the theme: masked a faint tint of the foreground, hidden a stronger one. */
export function cellColours(background: Rgb, foreground: Rgb): CellColours {
  return { masked: mix(foreground, background, 0.1), hidden: mix(foreground, background, 0.3) };
}

/**
 * Paints `display` into `pixels` (RGBA, n × n, row = query, column = key): one pass, one 32-bit write per
 * cell. NaN cells are masked (key > query) or hidden (the sink column).
 */
export function paintHeatmap(pixels: Uint8ClampedArray, display: DisplayMatrix, scale: ColourScale, colours: CellColours): void {
  const { n, values, max } = display;
  const out = new Uint32Array(pixels.buffer, pixels.byteOffset, n * n);
  const lut = rampPixels();
  const masked = packPixel(colours.masked);
  const hidden = packPixel(colours.hidden);
  const top = RAMP_SIZE - 1;
  const floor = logFloor(display);
  const logScale = scale === 'log' && max > floor;
  // Linear: value × factor; log: (ln value − ln floor) × factor. Either way an index into the ramp.
  const factor = !(max > 0) ? 0 : logScale ? top / Math.log(max / floor) : top / max;
  const logFloorValue = Math.log(floor);
  for (let query = 0; query < n; query++) {
    const row = query * n;
    // Above the diagonal: future keys, one fill per row.
    out.fill(masked, row + query + 1, row + n);
    for (let key = 0; key <= query; key++) {
      const cell = row + key;
      const value = values[cell];
      if (value !== value) out[cell] = hidden;
      else if (!logScale) out[cell] = lut[Math.min(top, Math.max(0, Math.round(value * factor)))];
      else out[cell] = value > floor ? lut[Math.min(top, Math.round((Math.log(value) - logFloorValue) * factor))] : lut[0];
    }
  }
}

export interface Box {
  left: number;
  top: number;
  /** Side of the square drawing of the matrix. */
  size: number;
}

/** The cell under a point (client or canvas coordinates, as `box`), or undefined outside the matrix. */
export function cellAt(x: number, y: number, box: Box, n: number): { query: number; key: number } | undefined {
  if (n <= 0 || box.size <= 0) return undefined;
  const column = Math.floor(((x - box.left) / box.size) * n);
  const row = Math.floor(((y - box.top) / box.size) * n);
  if (column < 0 || row < 0 || column >= n || row >= n) return undefined;
  return { query: row, key: column };
}

/** Small multiples: as many columns as fit `width` with cells of at least `minCell` px, rows balanced, and the cell size. */
export function gridLayout(count: number, width: number, gap: number, minCell: number): { columns: number; rows: number; cell: number } {
  if (count <= 0) return { columns: 0, rows: 0, cell: 0 };
  const fit = Math.max(1, Math.min(count, Math.floor((width + gap) / (minCell + gap))));
  const rows = Math.ceil(count / fit);
  // 12 heads in 5 columns would leave a last row of 2: 4 columns of 3 rows use the same height, evenly.
  const columns = Math.ceil(count / rows);
  const cell = Math.max(1, Math.floor((width - gap * (columns - 1)) / columns));
  return { columns, rows, cell };
}

/** Token indexes to label along an axis: a round step so labels sit at least `minSpacing` px apart. */
export function axisTicks(n: number, pixelsPerCell: number, minSpacing: number): number[] {
  if (n <= 0 || pixelsPerCell <= 0) return [];
  const raw = minSpacing / pixelsPerCell;
  const steps = [1, 2, 5];
  let step = 1;
  for (let power = 1; ; power *= 10) {
    const found = steps.find((base) => base * power >= raw);
    if (found !== undefined) {
      step = found * power;
      break;
    }
  }
  const ticks: number[] = [];
  for (let index = 0; index < n; index += step) ticks.push(index);
  return ticks;
}

/** Legend labels for the ramp: its ends and middle in linear, each power of ten in log. */
export function legendTicks(scale: ColourScale, display: Pick<DisplayMatrix, 'max' | 'minPositive'>): Array<{ position: number; value: number }> {
  if (!(display.max > 0)) return [{ position: 0, value: 0 }];
  if (scale === 'linear') return [0, 0.5, 1].map((position) => ({ position, value: position * display.max }));
  const floor = logFloor(display);
  const ticks = [{ position: 0, value: floor }];
  for (let power = Math.ceil(Math.log10(floor)); 10 ** power < display.max; power++) {
    const value = 10 ** power;
    if (value > floor * 1.5) ticks.push({ position: rampPosition(value, 'log', display), value });
  }
  ticks.push({ position: 1, value: display.max });
  return ticks;
}

/** A weight for people: 3 significant digits, scientific below 0.001. */
export function formatWeight(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) < 0.001) return value.toExponential(1);
  return value.toPrecision(3).replace(/\.?0+$/, '');
}
