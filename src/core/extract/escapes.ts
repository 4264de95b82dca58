/**
 * What decoding string-literal escapes shares across languages, so static segments hold the text the
 * model actually receives (each dialect in ./dialects/ names its own sequences). Line breaks inside
 * literals are normalised to `\n` (Python reads source with universal newlines; ECMAScript normalises
 * CR LF and CR in template literals).
 */

export function normalizeNewlines(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n');
}

export function codePointText(hex: string): string | undefined {
  const value = parseInt(hex, 16);
  // A lone surrogate (\ud800) is kept as a lone UTF-16 unit, like the language itself would.
  if (!Number.isFinite(value) || value > 0x10ffff) return undefined;
  return value <= 0xffff ? String.fromCharCode(value) : String.fromCodePoint(value);
}

/**
 * A decoder for one language: `sequence` matches a backslash and captures the escape's body (a newline
 * among the alternatives), `decodeBody` gives the text of any other body than that backslash-newline,
 * which continues the line in every language here.
 */
export function escapeDecoder(sequence: RegExp, decodeBody: (body: string, whole: string) => string): (raw: string) => string {
  return (raw) => {
    const text = normalizeNewlines(raw);
    if (text.indexOf('\\') < 0) return text;
    return text.replace(sequence, (whole, body: string) => (body === '\n' ? '' : decodeBody(body, whole)));
  };
}
