import { LineIndex } from '../extract/positions';
import type { Position, Prompt, Range } from './types';

/**
 * The text of a prompt as the visualizer tokenizes it, and the way back from an offset in that text to
 * the source the user wrote. Static segments hold decoded text (`\n` is two source characters but one
 * text character; dedent and `.strip()` drop source characters; `{{` in a format string is one brace),
 * so each static segment is aligned with its source by walking the literal's escapes.
 */

interface LaidOutSegment {
  kind: 'static' | 'dynamic';
  /** Where this segment's text starts and ends in the prompt text. */
  start: number;
  end: number;
  /** Dynamic segments: true when the user typed a value that stands in for the placeholder. */
  filled: boolean;
}

export interface PromptTextLayout {
  text: string;
  segments: LaidOutSegment[];
}

/** Static text verbatim; each dynamic part as the value the user typed for it (by segment index) or as its placeholder. */
export function layoutPromptText(prompt: Prompt, values: Readonly<Record<number, string>> = {}): PromptTextLayout {
  const pieces: string[] = [];
  const segments: LaidOutSegment[] = [];
  let offset = 0;
  prompt.segments.forEach((segment, index) => {
    const value = segment.kind === 'dynamic' ? values[index] : undefined;
    const text = value ?? segment.text;
    pieces.push(text);
    segments.push({ kind: segment.kind, start: offset, end: offset + text.length, filled: value !== undefined });
    offset += text.length;
  });
  return { text: pieces.join(''), segments };
}

/** Reads the source text of a range; the editor passes `document.getText`, tests and the CLI the file text. */
export type SourceReader = (range: Range) => string;

export function sourceReader(documentText: string): SourceReader {
  const lines = new LineIndex(documentText);
  const offsetOf = (position: Position) => lines.lineStart(position.line) + position.character;
  return (range) => documentText.slice(offsetOf(range.start), offsetOf(range.end));
}

/**
 * Maps between offsets of a laid-out prompt text and positions in the prompt's source document.
 * Built once per prompt version and layout; each static segment is aligned lazily, on first use.
 */
export class PromptSourceMap {
  private readonly alignments = new Map<number, Alignment>();

  constructor(
    private readonly prompt: Prompt,
    private readonly layout: PromptTextLayout,
    private readonly readSource: SourceReader,
  ) {}

  /**
   * The source range that produced text[start, end). A boundary inside a static segment maps to the
   * escape or character that produced it; inside a filled dynamic part, to the whole placeholder.
   * Offsets outside the text are clamped to it.
   */
  toSourceRange(start: number, end: number): Range {
    const length = this.layout.text.length;
    const from = clamp(Math.min(start, end), 0, length);
    const to = clamp(Math.max(start, end), 0, length);
    const startAt = this.sourcePosition(from, 'start');
    const endAt = this.sourcePosition(to, 'end');
    return comparePositions(startAt, endAt) <= 0 ? { start: startAt, end: endAt } : { start: startAt, end: startAt };
  }

  /** The offset in the prompt text of a source position, or -1 when the position is in no segment (quotes, `+`, outside). */
  toTextOffset(position: Position): number {
    const segments = this.prompt.segments;
    // A position between two segments belongs to the one it starts; the end of the last segment still counts.
    let index = segments.findIndex((segment) => within(position, segment.range) && comparePositions(position, segment.range.end) < 0);
    if (index < 0) index = segments.findIndex((segment) => within(position, segment.range));
    if (index < 0) return -1;
    const segment = segments[index];
    const laid = this.layout.segments[index];
    const source = this.readSource(segment.range);
    const sourceOffset = offsetWithin(source, segment.range.start, position);
    if (segment.kind === 'dynamic') {
      return laid.filled ? laid.start : laid.start + Math.min(sourceOffset, laid.end - laid.start);
    }
    return laid.start + this.alignment(index).textOffsetAt(sourceOffset);
  }

  private sourcePosition(offset: number, side: 'start' | 'end'): Position {
    const laid = this.layout.segments;
    if (laid.length === 0) return this.prompt.range.start;
    // A start belongs to the segment it opens, an end to the segment it closes; empty segments hold no text.
    let index = laid.findIndex((segment) =>
      side === 'start' ? segment.start <= offset && offset < segment.end : segment.start < offset && offset <= segment.end,
    );
    if (index < 0) {
      index = side === 'start' ? laid.length - 1 : 0;
      const segment = this.prompt.segments[index].range;
      return side === 'start' ? segment.end : segment.start;
    }
    const segment = this.prompt.segments[index];
    const relative = offset - laid[index].start;
    const source = this.readSource(segment.range);
    let sourceOffset: number;
    if (segment.kind === 'dynamic') {
      // A typed value has no source of its own: any part of it selects the whole placeholder.
      if (laid[index].filled) sourceOffset = side === 'start' ? 0 : source.length;
      else sourceOffset = Math.min(relative, source.length);
    } else {
      const alignment = this.alignment(index);
      sourceOffset = side === 'start' ? alignment.sourceStartOf(relative) : alignment.sourceEndOf(relative - 1);
    }
    return positionAfter(segment.range.start, source, sourceOffset);
  }

  private alignment(index: number): Alignment {
    let alignment = this.alignments.get(index);
    if (!alignment) {
      alignment = alignDecoded(this.readSource(this.prompt.segments[index].range), this.prompt.segments[index].text);
      this.alignments.set(index, alignment);
    }
    return alignment;
  }
}

/** For each character of a decoded text, the source offsets [start, end) of what produced it. */
export interface Alignment {
  /** Source offset where text character `i` starts; `text.length` maps to the end of the source. */
  sourceStartOf(i: number): number;
  /** Source offset where text character `i` ends; -1 maps to the start of the source. */
  sourceEndOf(i: number): number;
  /** The text offset of the first character produced at or after source offset `sourceOffset`. */
  textOffsetAt(sourceOffset: number): number;
}

// How far past a character the walk looks for the source that produced it before deciding the source
// has none (say, a decoding step this module does not know). Dedent margins are far shorter.
const RESYNC_WINDOW = 512;

/**
 * Aligns a decoded literal with its source by walking the source one unit at a time (an escape sequence,
 * a CR LF pair, a doubled brace, or one character). Each unit either produces the next text characters
 * (decoded, or verbatim as in a raw string) or produced nothing (removed indentation, a line continuation,
 * the quotes between concatenated literals). Linear in the length of the literal.
 */
export function alignDecoded(source: string, text: string): Alignment {
  if (source === text) return identityAlignment(text.length);
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  let s = 0;
  let t = 0;
  while (t < text.length && s < source.length) {
    const unitEnd = nextUnitEnd(source, s);
    const produced = producedText(source, s, unitEnd, text, t);
    if (produced !== undefined) {
      mark(starts, ends, t, produced, s, unitEnd);
      t += produced.length;
      s = unitEnd;
      continue;
    }
    // Nothing matched: skip source that produced no text, unless the text character has no source
    // nearby at all, in which case it is given the current source position and the walk goes on.
    const resumeAt = findProducer(source, s, text, t);
    if (resumeAt === undefined) {
      starts[t] = s;
      ends[t] = s;
      t++;
    } else {
      s = resumeAt;
    }
  }
  // Text the source ran out for (it should not happen) stays at the end of the literal.
  for (; t < text.length; t++) {
    starts[t] = source.length;
    ends[t] = source.length;
  }
  return {
    sourceStartOf: (i) => (i >= text.length ? source.length : i < 0 ? 0 : starts[i]),
    sourceEndOf: (i) => (i < 0 ? 0 : i >= text.length ? source.length : ends[i]),
    textOffsetAt: (sourceOffset) => firstAtOrAfter(ends, sourceOffset),
  };
}

function identityAlignment(length: number): Alignment {
  return {
    sourceStartOf: (i) => clamp(i, 0, length),
    sourceEndOf: (i) => clamp(i + 1, 0, length),
    textOffsetAt: (sourceOffset) => clamp(sourceOffset, 0, length),
  };
}

/** A unit's characters: one text character per source character when it is verbatim, else the whole unit for each. */
function mark(starts: Int32Array, ends: Int32Array, t: number, produced: string, unitStart: number, unitEnd: number): void {
  const verbatim = produced.length === unitEnd - unitStart;
  for (let k = 0; k < produced.length; k++) {
    starts[t + k] = verbatim ? unitStart + k : unitStart;
    ends[t + k] = verbatim ? unitStart + k + 1 : unitEnd;
  }
}

/** Escape bodies of Python and ECMAScript string literals (see the escape decoders in src/core/extract/dialects/). */
const ESCAPE_BODY = /\r\n|[\s\S]|/y;
const LONG_ESCAPES: readonly RegExp[] = [/u\{[0-9a-fA-F]+\}/y, /u[0-9a-fA-F]{4}/y, /U[0-9a-fA-F]{8}/y, /x[0-9a-fA-F]{2}/y, /N\{[^}\n]*\}/y, /[0-7]{1,3}/y];

function nextUnitEnd(source: string, s: number): number {
  const char = source[s];
  if (char === '\\' && s + 1 < source.length) {
    for (const pattern of LONG_ESCAPES) {
      pattern.lastIndex = s + 1;
      if (pattern.test(source)) return pattern.lastIndex;
    }
    ESCAPE_BODY.lastIndex = s + 1;
    ESCAPE_BODY.test(source);
    return ESCAPE_BODY.lastIndex;
  }
  if (char === '\r' && source[s + 1] === '\n') return s + 2;
  if ((char === '{' || char === '}') && source[s + 1] === char) return s + 2;
  // A surrogate pair is one character of text as well as of source.
  const code = source.charCodeAt(s);
  if (code >= 0xd800 && code <= 0xdbff && s + 1 < source.length) {
    const next = source.charCodeAt(s + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return s + 2;
  }
  return s + 1;
}

/** What a source unit can stand for in the text, most likely first. */
function readings(unit: string): string[] {
  if (unit.length === 1) return [unit];
  if (unit === '\r\n') return ['\n', unit];
  if (unit === '{{' || unit === '}}') return [unit[0], unit];
  if (unit[0] !== '\\') return [unit]; // a surrogate pair
  const body = unit.slice(1);
  const decoded = decodeEscape(body);
  // `\q`: Python keeps the backslash, ECMAScript drops it; a raw string keeps the whole unit.
  return decoded === undefined ? [body, unit] : [decoded, unit];
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', '`': '`', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0', $: '$', '{': '{', '}': '}',
};

function decodeEscape(body: string): string | undefined {
  if (body === '\n' || body === '\r\n' || body === '\r') return ''; // a backslash at the end of a line continues it
  if (body in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body];
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCharCode(parseInt(body, 8));
  const hex = /^(?:u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2}))$/.exec(body);
  if (hex) {
    const value = parseInt(hex[1] ?? hex[2] ?? hex[3] ?? hex[4], 16);
    if (value > 0x10ffff) return undefined;
    return value <= 0xffff ? String.fromCharCode(value) : String.fromCodePoint(value);
  }
  return undefined;
}

/**
 * The reading of source[s, unitEnd) that the text has at t. When several fit (`{{` as `{` or as `{{`), the
 * one after which the next source unit also fits the text wins, so a doubled brace or a backslash in a raw
 * string does not shift the rest of the literal by one.
 */
function producedText(source: string, s: number, unitEnd: number, text: string, t: number): string | undefined {
  const unit = source.slice(s, unitEnd);
  const fitting = readings(unit).filter((reading) => reading !== '' || unit[0] === '\\').filter((reading) => text.startsWith(reading, t));
  if (fitting.length === 0) return undefined;
  if (fitting.length === 1) return fitting[0];
  return fitting.find((reading) => continues(source, unitEnd, text, t + reading.length)) ?? fitting[0];
}

function continues(source: string, s: number, text: string, t: number): boolean {
  if (s >= source.length || t >= text.length) return s >= source.length && t >= text.length;
  const unitEnd = nextUnitEnd(source, s);
  return readings(source.slice(s, unitEnd)).some((reading) => reading !== '' && text.startsWith(reading, t));
}

/** The source offset of the next unit (within RESYNC_WINDOW) that can produce text[t], if any. */
function findProducer(source: string, s: number, text: string, t: number): number | undefined {
  const limit = Math.min(source.length, s + RESYNC_WINDOW);
  for (let at = nextUnitEnd(source, s); at < limit; at = nextUnitEnd(source, at)) {
    const unitEnd = nextUnitEnd(source, at);
    if (readings(source.slice(at, unitEnd)).some((reading) => reading !== '' && text.startsWith(reading, t))) return at;
  }
  return undefined;
}

/** The smallest index whose end lies beyond `sourceOffset` (ends never decrease), or the length when none does. */
function firstAtOrAfter(ends: Int32Array, sourceOffset: number): number {
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ends[middle] <= sourceOffset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The position `offset` characters into `source`, which starts at `start`; CR LF, LF and CR each end a line. */
function positionAfter(start: Position, source: string, offset: number): Position {
  let line = start.line;
  let lineStart = -start.character;
  const end = Math.min(offset, source.length);
  for (let i = 0; i < end; i++) {
    const code = source.charCodeAt(i);
    if (code === 13 && source.charCodeAt(i + 1) === 10) {
      if (i + 1 >= end) break; // between CR and LF: still on the line the pair ends
      i++;
    }
    if (code === 10 || code === 13) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: end - lineStart };
}

/** How many characters of `source` (which starts at `start`) come before `position`. */
function offsetWithin(source: string, start: Position, position: Position): number {
  if (position.line === start.line) return clamp(position.character - start.character, 0, source.length);
  let line = start.line;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code === 13 && source.charCodeAt(i + 1) === 10) i++;
    if (code === 10 || code === 13) {
      line++;
      if (line === position.line) return clamp(i + 1 + position.character, 0, source.length);
    }
  }
  return source.length;
}

function within(position: Position, range: Range): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
