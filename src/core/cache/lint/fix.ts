/**
 * The quick fix for a dynamic part before a long static part: move the line (or sentence) that holds
 * it to the end of the same literal, so the static text becomes the cached prefix [reference §15 A].
 * Only offered where moving source text verbatim is safe: every segment of the prompt is inside ONE
 * template literal or f-string (or one plain/format string), so quoting and escapes stay valid; no
 * positional `{}` fields (their order is their meaning); no template blocks (`{% %}`, `{{#…}}`); the moved
 * line keeps the indentation of the lines around it (dedent still sees a common indent). Never applied
 * here: the editor shows it as a code action with the preview, and the user applies it.
 */
import { LineIndex } from '../../extract/positions';
import type { Prompt, Range } from '../../prompt/types';
import { shorten } from '../../../../common/text';

export interface CacheFix {
  title: string;
  /** Non-overlapping edits of the document, in document order. */
  edits: Array<{ range: Range; newText: string }>;
  /** The literal's source before and after the fix, for a preview. */
  preview?: { before: string; after: string };
}

interface Span {
  start: number;
  end: number;
}

/** Offsets of `range` in `text`, or undefined when the range is outside it (a stale prompt). */
export function offsetsOf(lines: LineIndex, text: string, range: Range): Span | undefined {
  const start = lines.lineStart(range.start.line) + range.start.character;
  const end = lines.lineStart(range.end.line) + range.end.character;
  if (range.start.line >= lines.lineCount || range.end.line >= lines.lineCount || start > end || end > text.length) return undefined;
  return { start, end };
}

/** Line breaks inside literal source: real newlines and `\n` escapes (an odd run of backslashes before `n`). */
function lineBreaks(source: string): Span[] {
  const breaks: Span[] = [];
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\r' && source[i + 1] === '\n') {
      breaks.push({ start: i, end: i + 2 });
      i++;
    } else if (char === '\n' || char === '\r') {
      breaks.push({ start: i, end: i + 1 });
    } else if (char === '\\') {
      if (source[i + 1] === 'n') breaks.push({ start: i, end: i + 2 });
      i++; // an escape: its next character is never a break of its own
    }
  }
  return breaks;
}

const BLOCK_TAG = /\{%|\{\{\s*[#/^]|\{#/;
const SENTENCE_END = /[.!?](?=[ \t]|$)/g;

/** Leading spaces and tabs of the source line that starts at `start`. */
const indentAt = (source: string, start: number) => /^[ \t]*/.exec(source.slice(start))?.[0] ?? '';

/**
 * The fix that moves the dynamic segment `segmentIndex` of `prompt`, with the text of its line (or
 * sentence), after the static text; undefined where that is not safe or would not lengthen the static prefix.
 */
export function moveAfterStaticFix(documentText: string, prompt: Prompt, segmentIndex: number, lines = new LineIndex(documentText)): CacheFix | undefined {
  const segments = prompt.segments;
  const target = segments[segmentIndex];
  if (!target || target.kind !== 'dynamic' || segments.length < 2) return undefined;
  // Concatenation operands (`"a" + name`) and positional format fields cannot move on their own.
  if (segments.some((segment) => segment.kind === 'dynamic' && (segment.syntax === 'expression' || (segment.syntax === 'format' && /^\d*$/.test(segment.expression ?? ''))))) return undefined;
  const spans: Span[] = [];
  for (const segment of segments) {
    const span = offsetsOf(lines, documentText, segment.range);
    if (!span) return undefined;
    // One literal: each segment starts where the previous one ended (a concatenation leaves quotes between them).
    if (spans.length > 0 && spans[spans.length - 1].end !== span.start) return undefined;
    spans.push(span);
  }
  if (documentText.slice(spans[segmentIndex].start, spans[segmentIndex].end) !== target.text) return undefined;
  const base = spans[0].start;
  const source = documentText.slice(base, spans[spans.length - 1].end);
  const local = spans.map((span) => ({ start: span.start - base, end: span.end - base }));
  const dynamic = local[segmentIndex];
  // The static text the fix brings forward ends at the next dynamic part outside the moved text (or the end).
  const dynamicStarts = local.filter((_, index) => segments[index].kind === 'dynamic').map((span) => span.start);
  const runEnd = (after: number) => dynamicStarts.find((start) => start >= after) ?? source.length;

  const moved = lineUnit(source, dynamic, runEnd) ?? sentenceUnit(source, dynamic, runEnd);
  if (!moved) return undefined;
  const { unit, removal, separator } = moved;
  const text = source.slice(unit.start, unit.end);
  if (BLOCK_TAG.test(text)) return undefined;
  // The moved text must hold whole placeholders.
  for (const [index, span] of local.entries()) {
    if (segments[index].kind === 'dynamic' && span.start < unit.end && span.end > unit.start && (span.start < unit.start || span.end > unit.end)) return undefined;
  }

  const remaining = source.slice(0, removal.start) + source.slice(removal.end);
  const insertAt = endOfText(remaining);
  const after = `${remaining.slice(0, insertAt)}${separator}${text}${remaining.slice(insertAt)}`;
  const insertInSource = insertAt + (removal.end - removal.start);
  if (insertInSource < removal.end) return undefined;
  const name = shorten(target.text, 40, 37);
  return {
    title: `Move ${name} after the static text (keeps the prompt's prefix cacheable)`,
    edits: [
      { range: lines.rangeOf(base + removal.start, base + removal.end), newText: '' },
      { range: lines.rangeOf(base + insertInSource, base + insertInSource), newText: `${separator}${text}` },
    ],
    preview: { before: source, after },
  };
}

interface Unit {
  /** The text that moves (without its line break). */
  unit: Span;
  /** What is deleted: the unit and the break(s) after it. */
  removal: Span;
  /** Put between the old end of the text and the moved unit. */
  separator: string;
}

/** The whole source line of the dynamic part, with the blank lines after it; only if static text follows on later lines. */
function lineUnit(source: string, dynamic: Span, runEnd: (after: number) => number): Unit | undefined {
  const breaks = lineBreaks(source);
  const before = breaks.filter((found) => found.end <= dynamic.start).pop();
  const start = before ? before.end : 0;
  const afterIndex = breaks.findIndex((found) => found.start >= dynamic.end);
  if (afterIndex < 0) return undefined;
  const end = breaks[afterIndex].start;
  // Swallow the break and the blank lines after it; the same run separates the unit from the text when it moves.
  let removalEnd = breaks[afterIndex].end;
  for (let i = afterIndex + 1; i < breaks.length && source.slice(removalEnd, breaks[i].start).trim() === ''; i++) removalEnd = breaks[i].end;
  if (!bringsForward(source, dynamic, end, removalEnd, runEnd)) return undefined;
  // The moved line must be indented like the line it will follow, or dedent/cleandoc would see another margin.
  const lastLine = lastNonBlankLineStart(source, breaks);
  if (indentAt(source, start) !== indentAt(source, lastLine)) return undefined;
  return { unit: { start, end }, removal: { start, end: removalEnd }, separator: breakRun(source, breaks, afterIndex, removalEnd) };
}

/** The line breaks of the run, without the indentation of the blank lines between them: they now end the literal's text. */
function breakRun(source: string, breaks: Span[], first: number, removalEnd: number): string {
  return breaks.slice(first).filter((found) => found.end <= removalEnd).map((found) => source.slice(found.start, found.end)).join('');
}

function lastNonBlankLineStart(source: string, breaks: Span[]): number {
  let start = 0;
  for (const found of breaks) if (source.slice(found.end).trim() !== '') start = found.end;
  return start;
}

/** The sentence of the dynamic part within its line, when static text follows it on the same line. */
function sentenceUnit(source: string, dynamic: Span, runEnd: (after: number) => number): Unit | undefined {
  const breaks = lineBreaks(source);
  const lineStart = breaks.filter((found) => found.end <= dynamic.start).pop()?.end ?? 0;
  const lineEnd = breaks.find((found) => found.start >= dynamic.end)?.start ?? source.length;
  let start = lineStart;
  for (const match of source.slice(lineStart, dynamic.start).matchAll(SENTENCE_END)) start = lineStart + (match.index ?? 0) + 1;
  while (start < dynamic.start && /[ \t]/.test(source[start])) start++;
  SENTENCE_END.lastIndex = 0;
  const endMatch = SENTENCE_END.exec(source.slice(dynamic.end, lineEnd));
  if (!endMatch) return undefined;
  const end = dynamic.end + (endMatch.index ?? 0) + 1;
  let removalEnd = end;
  while (removalEnd < lineEnd && /[ \t]/.test(source[removalEnd])) removalEnd++;
  if (removalEnd === end) return undefined; // no space after the sentence: nothing to separate it by
  if (!bringsForward(source, dynamic, end, removalEnd, runEnd)) return undefined;
  return { unit: { start, end }, removal: { start, end: removalEnd }, separator: ' ' };
}

/** True when more static text moves up into the prefix than moves away with the dynamic part. */
function bringsForward(source: string, dynamic: Span, unitEnd: number, removalEnd: number, runEnd: (after: number) => number): boolean {
  return source.slice(removalEnd, runEnd(removalEnd)).trim().length > unitEnd - dynamic.end;
}

/** Offset just after the last character of text that is not whitespace or a `\n` escape (the literal's tail stays last). */
function endOfText(source: string): number {
  let end = source.length;
  for (;;) {
    if (end > 0 && /\s/.test(source[end - 1])) end--;
    else if (end > 1 && source[end - 1] === 'n' && source[end - 2] === '\\' && !escapedBackslash(source, end - 2)) end -= 2;
    else return end;
  }
}

/** True when the backslash at `index` is itself escaped (preceded by an odd run of backslashes). */
function escapedBackslash(source: string, index: number): boolean {
  let count = 0;
  for (let i = index - 1; i >= 0 && source[i] === '\\'; i--) count++;
  return count % 2 === 1;
}
