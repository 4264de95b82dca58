/**
 * Decoding of string-literal escapes, so static segments hold the text the model actually receives.
 * Line breaks inside literals are normalised to `\n` (Python reads source with universal newlines;
 * ECMAScript normalises CR LF and CR in template literals).
 */

const SIMPLE_PYTHON_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

const SIMPLE_JS_ESCAPES: Record<string, string> = {
  b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0',
};

export function normalizeNewlines(text: string): string {
  return text.indexOf('\r') < 0 ? text : text.replace(/\r\n?/g, '\n');
}

function codePointText(hex: string): string | undefined {
  const value = parseInt(hex, 16);
  // A lone surrogate (\ud800) is kept as a lone UTF-16 unit, like the language itself would.
  if (!Number.isFinite(value) || value > 0x10ffff) return undefined;
  return value <= 0xffff ? String.fromCharCode(value) : String.fromCodePoint(value);
}

/** Python escape sequences (https://docs.python.org/3/reference/lexical_analysis.html#escape-sequences).
 *  `\N{NAME}` is kept verbatim: resolving Unicode names would need the whole name table. */
export function decodePythonEscapes(raw: string): string {
  const text = normalizeNewlines(raw);
  if (text.indexOf('\\') < 0) return text;
  return text.replace(
    /\\(\n|[0-7]{1,3}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/gs,
    (whole, body: string) => {
      if (body === '\n') return ''; // backslash-newline continues the line
      if (body in SIMPLE_PYTHON_ESCAPES) return SIMPLE_PYTHON_ESCAPES[body];
      if (/^[0-7]/.test(body)) return String.fromCharCode(parseInt(body, 8));
      if (body[0] === 'x' || body[0] === 'u' || body[0] === 'U') return codePointText(body.slice(1)) ?? whole;
      return whole; // unknown escapes keep their backslash in Python
    },
  );
}

/** ECMAScript escape sequences (https://tc39.es/ecma262/#sec-literals-string-literals). */
export function decodeJsEscapes(raw: string): string {
  const text = normalizeNewlines(raw);
  if (text.indexOf('\\') < 0) return text;
  return text.replace(
    /\\(\n|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/gs,
    (whole, body: string) => {
      if (body === '\n') return '';
      if (body in SIMPLE_JS_ESCAPES) return SIMPLE_JS_ESCAPES[body];
      if (body.startsWith('u{')) return codePointText(body.slice(2, -1)) ?? whole;
      if (body[0] === 'u' || body[0] === 'x') return codePointText(body.slice(1)) ?? whole;
      if (/^[0-7]/.test(body)) return String.fromCharCode(parseInt(body, 8)); // legacy octal (sloppy mode)
      return body; // `\q` is just `q` in JavaScript
    },
  );
}
