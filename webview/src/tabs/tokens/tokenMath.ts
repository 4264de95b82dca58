/**
 * Pure computations over token columns: where splits differ from the reference column, which tokens cover an
 * offset, which lie in a dynamic segment, their UTF-8 byte ranges, and the exported JSON.
 */
import type { PartialToken, SegmentView, TokenColumn } from '../../../../common/protocol/index';

/** The token spans of a column (TokenColumn has them): token k covers text[starts[k], ends[k]). */
export interface Spans {
  starts: ArrayLike<number>;
  ends: ArrayLike<number>;
}

/** A flag per text offset (0..textLength): 1 where a token of `tokens` starts or ends. A byte map, not a Set: 100k tokens mark it in about a millisecond. */
export function boundaries(tokens: Spans, textLength: number): Uint8Array {
  const marks = new Uint8Array(textLength + 1);
  const { starts, ends } = tokens;
  for (let k = 0; k < starts.length; k++) {
    marks[starts[k]] = 1;
    marks[ends[k]] = 1;
  }
  return marks;
}

/**
 * For each token of `tokens`: 1 when it splits the text differently from the reference column, i.e. its start
 * or end is not a boundary there, else 0.
 */
export function differingTokens(tokens: Spans, reference: Uint8Array): Uint8Array {
  const { starts, ends } = tokens;
  const flags = new Uint8Array(starts.length);
  for (let k = 0; k < starts.length; k++) {
    if (reference[starts[k]] !== 1 || reference[ends[k]] !== 1) flags[k] = 1;
  }
  return flags;
}

/** Index of the first token whose end is after `offset` (tokens sorted by start, as tokenizers emit them). */
function firstEndingAfter(ends: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ends[middle] <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The indexes of the tokens at a text offset: those covering it (several when tokens split one character),
 * else the last token ending exactly there (a cursor at the end of the text). Empty when outside the text.
 */
export function tokensAt(tokens: Spans, offset: number): number[] {
  const { starts, ends } = tokens;
  const count = starts.length;
  if (offset < 0 || count === 0) return [];
  const found: number[] = [];
  for (let k = firstEndingAfter(ends, offset); k < count && starts[k] <= offset; k++) {
    if (ends[k] > offset) found.push(k);
  }
  if (found.length === 0 && ends[count - 1] === offset) found.push(count - 1);
  return found;
}

/** For each token, the index of the dynamic segment it overlaps, or -1. Segments sorted by start. */
export function dynamicSegmentOf(tokens: Spans, segments: readonly SegmentView[]): Int32Array {
  const { starts, ends } = tokens;
  const result = new Int32Array(starts.length).fill(-1);
  const dynamic = segments.map((segment, index) => ({ segment, index })).filter(({ segment }) => segment.kind === 'dynamic');
  if (dynamic.length === 0) return result;
  let next = 0;
  for (let k = 0; k < starts.length; k++) {
    const start = starts[k];
    const end = ends[k];
    while (next < dynamic.length && dynamic[next].segment.end <= start && dynamic[next].segment.end !== dynamic[next].segment.start) next++;
    for (let d = next; d < dynamic.length && dynamic[d].segment.start <= end; d++) {
      const { segment, index } = dynamic[d];
      const overlaps = start < segment.end && segment.start < end;
      const atEmptySegment = segment.start === segment.end && start <= segment.start && segment.start < end;
      if (overlaps || atEmptySegment) {
        result[k] = index;
        break;
      }
    }
  }
  return result;
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** The bytes of each partial-character token, by token index. */
export function partialBytes(partial: readonly PartialToken[]): Map<number, readonly number[]> {
  return new Map(partial.map((token) => [token.index, token.bytes]));
}

/**
 * UTF-8 byte offsets [start, end) of every token in `text`. Tokens that split one character share its UTF-16
 * span; they get consecutive byte ranges inside it, in token order. Lone surrogates count as U+FFFD (3 bytes),
 * as TextEncoder writes them.
 */
export function byteRanges(text: string, tokens: Spans & { partial: readonly PartialToken[] }): Array<[number, number]> {
  // UTF-8 offset of every UTF-16 offset: computed once, so the whole pass is linear in text + tokens.
  const byteAt = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index)!;
    const isLoneSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
    const units = codePoint > 0xffff ? 2 : 1;
    byteAt[index] = bytes;
    if (units === 2) byteAt[index + 1] = bytes;
    bytes += isLoneSurrogate ? 3 : utf8Length(codePoint);
    index += units;
  }
  byteAt[text.length] = bytes;
  const partial = partialBytes(tokens.partial);
  const { starts, ends } = tokens;
  const ranges: Array<[number, number]> = [];
  let previousEnd = 0;
  let previousTextEnd = -1;
  for (let k = 0; k < starts.length; k++) {
    let start = byteAt[starts[k]];
    // The next part of a character another token started: continue after that token's bytes.
    if (previousTextEnd > starts[k] && previousEnd > start) start = previousEnd;
    // The host sends bytes only for tokens holding part of a character: their byte count is exact.
    const own = partial.get(k);
    const end = own !== undefined ? Math.min(start + own.length, byteAt[ends[k]]) : Math.max(start, byteAt[ends[k]]);
    ranges.push([start, end]);
    previousEnd = end;
    previousTextEnd = ends[k];
  }
  return ranges;
}

/** What "Copy tokens as JSON" puts on the clipboard: every column's tokens with their text and byte ranges. */
export function tokensJson(title: string, text: string, columns: readonly TokenColumn[]): string {
  const exported = {
    prompt: title,
    columns: columns.map((column) => {
      const ranges = byteRanges(text, column);
      const partial = partialBytes(column.partial);
      const special = new Set(column.special);
      return {
        model: column.modelId,
        tokenizer: column.tokenizer,
        approximate: column.approximate,
        tokens: Array.from(column.ids, (id, k) => {
          const bytes = partial.get(k);
          return {
            id,
            // A partial character has no text of its own: its bytes say what it is.
            text: bytes ? '' : text.slice(column.starts[k], column.ends[k]),
            ...(bytes ? { bytes } : {}),
            ...(special.has(k) ? { special: true } : {}),
            byteRange: ranges[k],
            textRange: [column.starts[k], column.ends[k]],
          };
        }),
      };
    }),
  };
  return JSON.stringify(exported, null, 2);
}
