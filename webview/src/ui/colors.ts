/**
 * Token colours: a stable colour class per token id, and the palette those classes map to in the current theme.
 *
 * Hues: the Okabe–Ito set, chosen to stay distinguishable under the common colour-vision deficiencies
 * (Okabe & Ito, "Color Universal Design", https://jfly.uni-koeln.de/color/). Black is left out: it is a
 * background or text colour in some theme. Each hue comes in two lightness levels, so a neighbour of a
 * different class differs in lightness as well as in hue far more often than not; the few neighbours that
 * share a class get a drawn boundary (see `sameClass`).
 *
 * The palette is computed against the theme's actual editor background and foreground (VS Code's
 * --vscode-* variables), blending each hue into the background only as far as the text keeps its contrast,
 * so light, dark and high-contrast themes all stay readable.
 */

export type Rgb = readonly [number, number, number];
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** Okabe–Ito hues (sRGB), https://jfly.uni-koeln.de/color/#pallet — orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple. */
const OKABE_ITO: readonly Rgb[] = [
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
  [240, 228, 66],
  [0, 114, 178],
  [213, 94, 0],
  [204, 121, 167],
];

/** Seven hues × two lightness levels. */
export const COLOR_CLASSES = OKABE_ITO.length * 2;

/**
 * The colour class of a token id: the same id always gets the same class, in every column, prompt and session.
 * Knuth's multiplicative hash spreads consecutive ids (common for neighbouring tokens) over all classes.
 */
export function colorClass(id: number): number {
  return (Math.imul(id >>> 0, 2654435761) >>> 0) % COLOR_CLASSES;
}

/** Whether two neighbouring tokens would look the same, so their boundary must be drawn explicitly. */
export function sameClass(previousId: number | undefined, id: number): boolean {
  return previousId !== undefined && colorClass(previousId) === colorClass(id);
}

/** WCAG 2 relative luminance, https://www.w3.org/TR/WCAG21/#dfn-relative-luminance */
export function luminance([r, g, b]: Rgb): number {
  const linear = (channel: number) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio, https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio */
export function contrast(a: Rgb, b: Rgb): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

export function mix(color: Rgb, background: Rgb, amount: number): Rgb {
  return [0, 1, 2].map((k) => Math.round(color[k] * amount + background[k] * (1 - amount))) as unknown as Rgb;
}

/** Parses the colour formats VS Code writes into its --vscode-* variables: #rgb, #rgba, #rrggbb, #rrggbbaa, rgb(a)(). */
export function parseColor(text: string): Rgb | undefined {
  const value = text.trim();
  const hex = /^#([0-9a-f]{3,8})$/i.exec(value);
  if (hex) {
    const digits = hex[1];
    if (digits.length === 3 || digits.length === 4) return [0, 1, 2].map((k) => parseInt(digits[k] + digits[k], 16)) as unknown as Rgb;
    if (digits.length === 6 || digits.length === 8) return [0, 2, 4].map((k) => parseInt(digits.slice(k, k + 2), 16)) as unknown as Rgb;
    return undefined;
  }
  const functional = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(value);
  if (functional) return [1, 2, 3].map((k) => Math.min(255, Math.round(Number(functional[k])))) as unknown as Rgb;
  return undefined;
}

export function cssColor([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** WCAG AA for body text; high-contrast themes ask for AAA. */
function minimumContrast(kind: ThemeKind): number {
  return kind === 'high-contrast' || kind === 'high-contrast-light' ? 7 : 4.5;
}

/** How much of the hue each level starts from before contrast limits it. High-contrast themes get faint fills and drawn borders. */
function startingAmounts(kind: ThemeKind): [number, number] {
  return kind === 'high-contrast' || kind === 'high-contrast-light' ? [0.3, 0.15] : [0.5, 0.25];
}

/** The strongest blend of `hue` into `background`, at most `amount`, on which `foreground` text keeps `minimum` contrast. */
function readableBlend(hue: Rgb, background: Rgb, foreground: Rgb, amount: number, minimum: number): number {
  let blend = amount;
  while (blend > 0.04 && contrast(mix(hue, background, blend), foreground) < minimum) blend -= 0.02;
  return blend;
}

/**
 * The fill of every colour class (index = colorClass) for text in `foreground` on `background`.
 * Even classes are the stronger level of a hue, odd classes the lighter one: class 2h and 2h+1 share hue h.
 */
export function tokenPalette(background: Rgb, foreground: Rgb, kind: ThemeKind): Rgb[] {
  const minimum = minimumContrast(kind);
  const [strong, soft] = startingAmounts(kind);
  const palette: Rgb[] = [];
  for (const hue of OKABE_ITO) {
    const strongBlend = readableBlend(hue, background, foreground, strong, minimum);
    // The second level stays clearly lighter than the first, even where contrast pulled the first one down.
    const softBlend = Math.min(readableBlend(hue, background, foreground, soft, minimum), strongBlend * 0.5);
    palette.push(mix(hue, background, strongBlend), mix(hue, background, softBlend));
  }
  return palette;
}

/** The theme kind from the classes VS Code puts on <body>. */
export function themeKindOf(bodyClasses: Iterable<string>): ThemeKind {
  const classes = new Set(bodyClasses);
  if (classes.has('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.has('vscode-high-contrast')) return 'high-contrast';
  if (classes.has('vscode-light')) return 'light';
  return 'dark';
}

/** Fallback editor colours per theme kind (VS Code's default themes), for when a variable is missing. */
export const DEFAULT_THEME_COLORS: Record<ThemeKind, { background: Rgb; foreground: Rgb }> = {
  light: { background: [255, 255, 255], foreground: [59, 59, 59] },
  dark: { background: [31, 31, 31], foreground: [204, 204, 204] },
  'high-contrast': { background: [0, 0, 0], foreground: [255, 255, 255] },
  'high-contrast-light': { background: [255, 255, 255], foreground: [41, 41, 41] },
};
