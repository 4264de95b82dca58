/**
 * How a token's text is shown: partial UTF-8 characters as their bytes (`<0xE2>`), whitespace made visible
 * on request (· space, → tab, ↵ newline), control characters always as their Unicode control pictures
 * (they would otherwise be invisible or break the layout), and how many monospace cells the result takes.
 */
const VISIBLE_SPACE = '·';
const VISIBLE_TAB = '→';
const VISIBLE_NEWLINE = '↵';
/** Shown for a token with neither text nor bytes, so it still has something to click. */
const EMPTY_TOKEN = '∅';

/** `<0xE2><0x80>`: the bytes of a token that is only part of a UTF-8 character. */
export function byteLabel(bytes: readonly number[]): string {
  let label = '';
  for (const byte of bytes) label += `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;
  return label;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const NEEDS_CHANGE_HIDDEN = /[\u0000-\u001f\u007f]/;
const NEEDS_CHANGE_SHOWN = /[\u0000-\u0020\u007f]/;
const controlPicture = (char: string) => (char === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + char.charCodeAt(0)));

/**
 * The text drawn for a token: `text` is its span of the prompt, `bytes` given only for a token that is part of
 * a UTF-8 character (drawn as its bytes). Newlines stay `\n` (the layout breaks lines there); with whitespace
 * shown a newline is preceded by ↵, else by a plain space so a newline-only token still has a cell to colour
 * and click. Tabs become one arrow or four spaces: a fixed width keeps the layout a pure function of the text.
 */
export function displayText(text: string, bytes: readonly number[] | undefined, showWhitespace: boolean): string {
  if (bytes !== undefined) return byteLabel(bytes);
  if (text === '') return EMPTY_TOKEN;
  // Most tokens need no change: answer them without building new strings (a prompt can have 100k tokens).
  if (!(showWhitespace ? NEEDS_CHANGE_SHOWN : NEEDS_CHANGE_HIDDEN).test(text)) return text;
  let shown = text.replace(CONTROL, controlPicture);
  if (showWhitespace) {
    shown = shown.replace(/ /g, VISIBLE_SPACE).replace(/\t/g, VISIBLE_TAB).replace(/\r/g, '␍').replace(/\n/g, `${VISIBLE_NEWLINE}\n`);
  } else {
    shown = shown.replace(/\t/g, '    ').replace(/\r/g, '').replace(/\n/g, ' \n');
  }
  return shown;
}

/** Characters that never take more than one cell: the common case, checked with one regular expression. */
const NARROW = /^[\u0020-\u02ff\u2190-\u21ff\u2400-\u2426\u00b7∅]*$/;

/** Monospace cells of one code point: East Asian wide and emoji take two, combining marks and joiners none. */
function cellsOf(codePoint: number): number {
  if ((codePoint >= 0x0300 && codePoint <= 0x036f) || codePoint === 0x200d || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Monospace cells that `text` (no newlines) takes. */
export function cellWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  let cells = 0;
  for (const char of text) cells += cellsOf(char.codePointAt(0)!);
  return cells;
}

/**
 * Splits `text` (no newlines) after at most `cells` cells, never inside a surrogate pair: returns the UTF-16
 * length of the head. Always takes at least one code point, so a layout loop always advances.
 */
export function fitCells(text: string, cells: number): number {
  let used = 0;
  let index = 0;
  while (index < text.length) {
    const codePoint = text.codePointAt(index)!;
    const width = cellsOf(codePoint);
    if (used + width > cells && index > 0) break;
    used += width;
    index += codePoint > 0xffff ? 2 : 1;
  }
  return index;
}
