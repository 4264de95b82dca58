/**
 * A small JSON parser that remembers where every value was written (JSON.parse forgets), so a prompt
 * found in a messages file can point at its string in the file. Strict RFC 8259, no comments.
 */

export type JsonValue =
  | { type: 'object'; start: number; end: number; entries: Array<{ key: string; value: JsonValue }> }
  | { type: 'array'; start: number; end: number; items: JsonValue[] }
  /** `start`/`end` include the quotes. */
  | { type: 'string'; start: number; end: number; value: string }
  | { type: 'number' | 'boolean' | 'null'; start: number; end: number };

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses `text.slice(from, to)` as one JSON value; offsets in the result are offsets into `text`. */
export function parseJson(text: string, from = 0, to = text.length): JsonValue {
  let pos = from;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(`${message} at offset ${pos - from}`, pos);
  };
  const skipWhitespace = () => {
    while (pos < to && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\n' || text[pos] === '\r')) pos++;
  };
  const expect = (char: string) => {
    if (text[pos] !== char || pos >= to) fail(`expected '${char}'`);
    pos++;
  };

  const parseString = (): { value: string; start: number; end: number } => {
    const start = pos;
    expect('"');
    let value = '';
    let chunkStart = pos;
    while (pos < to && text[pos] !== '"') {
      const char = text[pos];
      if (char === '\\') {
        value += text.slice(chunkStart, pos);
        const escape = text[pos + 1];
        if (escape === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
          value += String.fromCharCode(parseInt(hex, 16)); // lone surrogates are kept, like JSON.parse
          pos += 6;
        } else if (escape !== undefined && escape in ESCAPES) {
          value += ESCAPES[escape];
          pos += 2;
        } else {
          fail('invalid escape');
        }
        chunkStart = pos;
      } else if (char < ' ') {
        fail('control character in string');
      } else {
        pos++;
      }
    }
    if (pos >= to) fail('unterminated string');
    value += text.slice(chunkStart, pos);
    pos++;
    return { value, start, end: pos };
  };

  const parseValue = (): JsonValue => {
    skipWhitespace();
    const start = pos;
    const char = text[pos];
    if (pos >= to) fail('unexpected end of input');
    if (char === '{') {
      pos++;
      const entries: Array<{ key: string; value: JsonValue }> = [];
      skipWhitespace();
      if (text[pos] === '}') {
        pos++;
        return { type: 'object', start, end: pos, entries };
      }
      for (;;) {
        skipWhitespace();
        const key = parseString().value;
        skipWhitespace();
        expect(':');
        entries.push({ key, value: parseValue() });
        skipWhitespace();
        if (text[pos] === ',') pos++;
        else {
          expect('}');
          return { type: 'object', start, end: pos, entries };
        }
      }
    }
    if (char === '[') {
      pos++;
      const items: JsonValue[] = [];
      skipWhitespace();
      if (text[pos] === ']') {
        pos++;
        return { type: 'array', start, end: pos, items };
      }
      for (;;) {
        items.push(parseValue());
        skipWhitespace();
        if (text[pos] === ',') pos++;
        else {
          expect(']');
          return { type: 'array', start, end: pos, items };
        }
      }
    }
    if (char === '"') return { type: 'string', ...parseString() };
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, Math.min(to, pos + 64)));
    if (!literal) fail(`unexpected character '${char}'`);
    pos += literal![0].length;
    const word = literal![0];
    const type = word === 'null' ? 'null' : word === 'true' || word === 'false' ? 'boolean' : 'number';
    return { type, start, end: pos };
  };

  const value = parseValue();
  skipWhitespace();
  if (pos < to) fail('unexpected text after the value');
  return value;
}
