/**
 * Follows the VS Code theme: reads the editor colours from the --vscode-* variables on <body>, computes the
 * token palette for them (colors.ts) and publishes it as --pl-token-N variables (set through the CSSOM, which
 * the webview's CSP allows), again whenever VS Code switches theme by changing <body>'s class.
 */
import { DEFAULT_THEME_COLORS, cssColor, parseColor, themeKindOf, tokenPalette, type Rgb, type ThemeKind } from './colors';

export interface ThemeColors {
  kind: ThemeKind;
  background: Rgb;
  foreground: Rgb;
  palette: Rgb[];
}

let current: ThemeColors | undefined;

function readTheme(): ThemeColors {
  const body = document.body;
  const kind = themeKindOf(Array.from(body.classList));
  const style = getComputedStyle(body);
  const fallback = DEFAULT_THEME_COLORS[kind];
  const background = parseColor(style.getPropertyValue('--vscode-editor-background')) ?? fallback.background;
  const foreground = parseColor(style.getPropertyValue('--vscode-editor-foreground')) ?? fallback.foreground;
  return { kind, background, foreground, palette: tokenPalette(background, foreground, kind) };
}

function publish(theme: ThemeColors): void {
  const style = document.body.style;
  theme.palette.forEach((color, index) => style.setProperty(`--pl-token-${index}`, cssColor(color)));
}

/** The theme in effect; computed on first use. */
export function currentTheme(): ThemeColors {
  current ??= readTheme();
  return current;
}

/** Publishes the palette now and after every theme change; `onChange` runs after each change. */
export function followTheme(onChange: () => void): void {
  publish(currentTheme());
  new MutationObserver(() => {
    current = readTheme();
    publish(current);
    onChange();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
