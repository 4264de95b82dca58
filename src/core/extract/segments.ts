import type { DynamicSyntax, Segment } from '../prompt/types';
import type { LineIndex } from './positions';

/** A segment while it is being built: offsets instead of line/character, converted once at the end. */
export interface RawSegment {
  kind: 'static' | 'dynamic';
  text: string;
  start: number;
  end: number;
  expression?: string;
  syntax?: DynamicSyntax;
}

/** Which placeholders to look for inside static text. `plain` finds none. */
export type TextSyntax = 'format' | 'jinja' | 'mustache' | 'plain';

interface Placeholder {
  start: number;
  end: number;
  /** `undefined` for template comments, which render to nothing and are dropped. */
  expression: string | undefined;
}

// A str.format / LangChain f-string field: name or index, attribute/index access, conversion, spec.
// (https://docs.python.org/3/library/string.html#format-string-syntax)
const FORMAT_FIELD = /^\s*((?:[A-Za-z_]\w*|\d+)?(?:\.[A-Za-z_]\w*|\[[^\]{}]*\])*)\s*(?:![rsa])?(?::[^{}]*)?\s*$/;

function findFormatFields(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if ((char === '{' || char === '}') && text[i + 1] === char) {
      i++; // `{{` and `}}` are literal braces
      continue;
    }
    if (char !== '{') continue;
    const close = text.indexOf('}', i + 1);
    if (close < 0) break;
    const body = text.slice(i + 1, close);
    const field = body.indexOf('{') < 0 ? FORMAT_FIELD.exec(body) : null;
    if (field) {
      found.push({ start: i, end: close + 1, expression: field[1].trim() });
      i = close;
    }
  }
  return found;
}

const JINJA_TAG = /\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g;
const MUSTACHE_TAG = /\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g;

function findJinjaTags(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(JINJA_TAG)) {
    const tag = match[0];
    const start = match.index ?? 0;
    // Whitespace control markers (`{{-`, `-%}`, `{%+`) are syntax, not part of the expression.
    const inner = tag.slice(2, -2).replace(/^[-+~]/, '').replace(/[-+~]$/, '').trim();
    found.push({ start, end: start + tag.length, expression: tag.startsWith('{#') ? undefined : inner });
  }
  return found;
}

function findMustacheTags(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of text.matchAll(MUSTACHE_TAG)) {
    const tag = match[0];
    const start = match.index ?? 0;
    const triple = tag.startsWith('{{{');
    let inner = tag.slice(triple ? 3 : 2, triple ? -3 : -2).replace(/^~|~$/g, '').trim();
    if (inner.startsWith('!')) {
      found.push({ start, end: start + tag.length, expression: undefined });
      continue;
    }
    if (inner.startsWith('&')) inner = inner.slice(1).trim();
    found.push({ start, end: start + tag.length, expression: inner });
  }
  return found;
}

function findPlaceholders(text: string, syntax: TextSyntax): Placeholder[] {
  if (text.indexOf('{') < 0) return [];
  switch (syntax) {
    case 'format':
      return findFormatFields(text);
    case 'jinja':
      return findJinjaTags(text);
    case 'mustache':
      return findMustacheTags(text);
    case 'plain':
      return [];
  }
}

/** For generic text (Markdown prompts, messages files): Jinja when it uses Jinja-only tags, else Mustache. */
export function guessDoubleBraceSyntax(text: string): TextSyntax {
  return /\{%|\{#/.test(text) ? 'jinja' : 'mustache';
}

export function unescapeFormatBraces(text: string): string {
  return text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
}

function dynamicSyntaxOf(syntax: TextSyntax): DynamicSyntax {
  return syntax === 'plain' ? 'expression' : syntax;
}

/**
 * Splits literal source text into static and placeholder segments. Placeholders are searched in the
 * source text (they never contain escapes), and each static stretch between them is decoded on its own,
 * so every segment keeps its exact source range.
 */
export function segmentsFromSource(
  raw: string,
  rawStart: number,
  decode: (chunk: string) => string,
  syntax: TextSyntax,
): RawSegment[] {
  const segments: RawSegment[] = [];
  let cursor = 0;
  const pushStatic = (from: number, to: number) => {
    if (to <= from) return;
    let text = decode(raw.slice(from, to));
    if (syntax === 'format') text = unescapeFormatBraces(text);
    segments.push({ kind: 'static', text, start: rawStart + from, end: rawStart + to });
  };
  for (const placeholder of findPlaceholders(raw, syntax)) {
    pushStatic(cursor, placeholder.start);
    if (placeholder.expression !== undefined) {
      segments.push({
        kind: 'dynamic',
        text: raw.slice(placeholder.start, placeholder.end),
        start: rawStart + placeholder.start,
        end: rawStart + placeholder.end,
        expression: placeholder.expression,
        syntax: dynamicSyntaxOf(syntax),
      });
    }
    cursor = placeholder.end;
  }
  pushStatic(cursor, raw.length);
  return segments;
}

/**
 * Like `segmentsFromSource`, for values whose decoded text cannot be mapped back to the source character
 * by character (YAML folded and indented scalars). Placeholders are found in the decoded text and then
 * located verbatim in the source; one that cannot be found stays part of the static text.
 */
export function segmentsFromDecoded(
  decoded: string,
  source: string,
  sourceStart: number,
  sourceEnd: number,
  syntax: TextSyntax,
): RawSegment[] {
  const segments: RawSegment[] = [];
  let decodedCursor = 0;
  let sourceCursor = sourceStart;
  for (const placeholder of findPlaceholders(decoded, syntax)) {
    const tag = decoded.slice(placeholder.start, placeholder.end);
    const at = source.indexOf(tag, sourceCursor);
    if (at < 0 || at + tag.length > sourceEnd) continue;
    if (placeholder.start > decodedCursor) {
      const text = decoded.slice(decodedCursor, placeholder.start);
      segments.push({ kind: 'static', text, start: sourceCursor, end: at });
    }
    if (placeholder.expression !== undefined) {
      segments.push({
        kind: 'dynamic',
        text: tag,
        start: at,
        end: at + tag.length,
        expression: placeholder.expression,
        syntax: dynamicSyntaxOf(syntax),
      });
    }
    decodedCursor = placeholder.end;
    sourceCursor = at + tag.length;
  }
  if (decodedCursor < decoded.length) {
    segments.push({ kind: 'static', text: decoded.slice(decodedCursor), start: sourceCursor, end: sourceEnd });
  }
  return segments;
}

const DYNAMIC_STAND_IN = '\u0001';

/**
 * `textwrap.dedent` applied to what the model will see: whitespace-only lines lose their whitespace and
 * the margin common to all other lines is removed. A dynamic segment counts as non-whitespace text.
 * Ranges stay as written; only static texts change.
 */
export function dedentSegments(segments: RawSegment[]): RawSegment[] {
  const pieces = segments.map((s) => (s.kind === 'static' ? s.text : DYNAMIC_STAND_IN));
  const full = pieces.join('');
  const lines = full.split('\n');
  let margin: string | undefined;
  for (const line of lines) {
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.length === line.length) continue;
    if (margin === undefined) margin = indent;
    else {
      let common = 0;
      while (common < margin.length && common < indent.length && margin[common] === indent[common]) common++;
      margin = margin.slice(0, common);
    }
  }
  const removed = new Uint8Array(full.length);
  let lineStart = 0;
  for (const line of lines) {
    const blank = /^[ \t]*$/.test(line);
    const count = blank ? line.length : (margin ?? '').length;
    removed.fill(1, lineStart, lineStart + count);
    lineStart += line.length + 1;
  }
  return rebuildStaticTexts(segments, pieces, removed);
}

function rebuildStaticTexts(segments: RawSegment[], pieces: string[], removed: Uint8Array): RawSegment[] {
  const result: RawSegment[] = [];
  let offset = 0;
  segments.forEach((segment, i) => {
    const length = pieces[i].length;
    if (segment.kind === 'static') {
      let text = '';
      for (let j = 0; j < length; j++) if (!removed[offset + j]) text += segment.text[j];
      if (text) result.push({ ...segment, text });
    } else {
      result.push(segment);
    }
    offset += length;
  });
  return result;
}

/** `.strip()` / `.trim()` on the whole (possibly concatenated) value. */
export function stripSegments(segments: RawSegment[], ends: 'both' | 'start' | 'end'): RawSegment[] {
  const pieces = segments.map((s) => (s.kind === 'static' ? s.text : DYNAMIC_STAND_IN));
  const full = pieces.join('');
  const removed = new Uint8Array(full.length);
  if (ends !== 'end') {
    const leading = full.length - full.trimStart().length;
    removed.fill(1, 0, leading);
  }
  if (ends !== 'start') {
    const kept = full.trimEnd().length;
    removed.fill(1, kept, full.length);
  }
  return rebuildStaticTexts(segments, pieces, removed);
}

export function toSegments(rawSegments: RawSegment[], lines: LineIndex): Segment[] {
  return rawSegments.map((raw) => {
    const segment: Segment = { kind: raw.kind, text: raw.text, range: lines.rangeOf(raw.start, raw.end) };
    if (raw.kind === 'dynamic') {
      segment.expression = raw.expression ?? raw.text.trim();
      segment.syntax = raw.syntax ?? 'expression';
    }
    return segment;
  });
}
