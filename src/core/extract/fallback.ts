import type { Prompt } from '../prompt/types';
import type { LineIndex } from './positions';
import { looksLikePromptText } from './rules';
import type { NameRule } from './rules';
import { toSegments } from './segments';

/**
 * Degraded detection for when a grammar is unavailable: `NAME = "..."`, `name: "..."` and `"content": "..."`
 * with a plain literal. No concatenation, no calls, no placeholders — the caller adds a notice saying so.
 */
const ASSIGNED_LITERAL = /(?:^|[^\w$])([A-Za-z_$][\w$]*)["']?\s*(?:\+?=|:)\s*(?:[rRuUbBfF]{1,2}(?=["']))?("""|'''|"|'|`)/g;

export function extractWithRegex(decodeEscapes: (raw: string) => string, source: string, lines: LineIndex, names: NameRule): Prompt[] {
  const prompts: Prompt[] = [];
  ASSIGNED_LITERAL.lastIndex = 0;
  for (let match = ASSIGNED_LITERAL.exec(source); match; match = ASSIGNED_LITERAL.exec(source)) {
    const [, name, quote] = match;
    const contentStart = match.index + match[0].length;
    const contentEnd = findClosingQuote(source, contentStart, quote);
    if (contentEnd < 0) continue;
    ASSIGNED_LITERAL.lastIndex = contentEnd + quote.length;
    const isMessage = name === 'content';
    if (!isMessage && !names.matches(name)) continue;
    const raw = source.slice(contentStart, contentEnd);
    const text = decodeEscapes(raw);
    if (!isMessage && !looksLikePromptText(text)) continue;
    const range = lines.rangeOf(contentStart - quote.length, contentEnd + quote.length);
    const kind = isMessage ? 'message' : 'string';
    prompts.push({
      id: `${kind}@${range.start.line}:${range.start.character}`,
      kind,
      range,
      reason: isMessage ? 'message:role=unknown' : `name:${name}`,
      segments: toSegments([{ kind: 'static', text, start: contentStart, end: contentEnd }], lines),
    });
  }
  return prompts;
}

/** Index of the closing delimiter, or -1 when the literal is unterminated (half-typed code). */
function findClosingQuote(source: string, from: number, quote: string): number {
  const singleLine = quote.length === 1 && quote !== '`';
  for (let i = from; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      i++;
    } else if (singleLine && (char === '\n' || char === '\r')) {
      return -1;
    } else if (source.startsWith(quote, i)) {
      return i;
    }
  }
  return -1;
}
