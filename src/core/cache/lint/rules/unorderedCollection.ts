/**
 * `unordered-collection`: a value built from a set or a listing in no fixed order (os.listdir, Object.keys)
 * comes out in another order on another call or process. Reported for such a dynamic part before static
 * text, and, by its own scan, for tool lists and schemas built that way: they render before every prompt.
 */
import { formatCount, formatUsd } from '../../../../../common/format';
import type { Prompt, Range } from '../../../prompt/types';
import { cacheableAt } from '../../predict/promptCache';
import { VOLATILITY_PATTERNS } from '../../volatility';
import type { CacheWarning, LintContext, LintRule } from '../rule';

const ADVICE = 'Sort it (sorted(...), .sort()) before it goes into the prompt.';

/** `tools=`, `functions:`, `response_format=`, `json_schema:` and the start of their value. */
const SCHEMA_ARGUMENT = /\b(tools|functions|response_format|json_schema|schema|input_schema|parameters)\s*[=:]\s*/g;
const UNORDERED = VOLATILITY_PATTERNS.filter((pattern) => pattern.kind === 'unordered');

/** Tool lists and schemas built from unordered collections, anywhere in the document: they render before every prompt. */
function collectionWarnings(prompts: readonly Prompt[], context: LintContext): CacheWarning[] {
  const { documentText, lines, profile, options } = context;
  const warnings: CacheWarning[] = [];
  if (prompts.length === 0) return warnings;
  for (const match of documentText.matchAll(SCHEMA_ARGUMENT)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = valueEnd(documentText, start);
    const value = documentText.slice(start, end);
    if (/\bsorted\s*\(|\.sort\s*\(/.test(value)) continue;
    if (!UNORDERED.some((pattern) => pattern.test.test(value))) continue;
    const range = lines.rangeOf(start, end);
    const prompt = nearestPrompt(prompts, range);
    const layout = context.layoutOf(prompt);
    const staticPrefix = prompt.segments.findIndex((segment) => segment.kind === 'dynamic');
    const prefixText = prompt.segments.slice(0, staticPrefix < 0 ? prompt.segments.length : staticPrefix).map((segment) => segment.text).join('');
    const prefixTokens = layout.contentStart + context.encode(prefixText).length;
    const tokensPerCall = cacheableAt(profile, options.model.id, prefixTokens, layout.totalTokens, options.engine).max;
    const costPerDay = context.saving === undefined ? undefined : tokensPerCall * context.callsPerDay * context.saving;
    const cost = costPerDay === undefined ? `no price for ${options.model.id}` : `${formatUsd(costPerDay)}/day at ${formatCount(context.callsPerDay)} calls/day on ${options.model.id}`;
    const strong = /(?<![\w.])(?:frozen)?set\s*\(|\{[^{}:]*\bfor\b/.test(value);
    const warning: CacheWarning = {
      kind: 'unordered-collection',
      severity: strong ? 'warning' : 'info',
      message: `${match[1]} built from ${strong ? 'a set, whose order varies between processes (string hashing is randomised)' : 'a collection in no guaranteed order (a guess from the expression)'}: tools and schemas are rendered before the prompt, so another order moves them${tokensPerCall > 0 ? ` and at least ${formatCount(tokensPerCall)} prompt tokens per call (${cost})` : ' and everything after them'} out of the cache. ${ADVICE}`,
      range,
      promptId: prompt.id,
      tokensPerCall,
    };
    if (costPerDay !== undefined) warning.costPerDay = costPerDay;
    warnings.push(warning);
  }
  return warnings;
}

/** End of an argument's value: the first top-level `,` `)` `}` or end of line outside brackets, quotes skipped roughly. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length && i < start + 2000; i++) {
    const char = text[i];
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      if (depth === 0) return i;
      depth--;
    } else if (depth === 0 && (char === ',' || char === '\n' || char === ';')) return i;
    else if (char === '"' || char === "'" || char === '`') {
      const close = text.indexOf(char, i + 1);
      if (close < 0) return i;
      i = close;
    }
  }
  return Math.min(text.length, start + 2000);
}

/** The prompt nearest to a range, by lines: the request that the tools go with, as far as the text tells. */
function nearestPrompt(prompts: readonly Prompt[], range: Range): Prompt {
  const distance = (prompt: Prompt) =>
    prompt.range.end.line < range.start.line ? range.start.line - prompt.range.end.line : prompt.range.start.line > range.end.line ? prompt.range.start.line - range.end.line : 0;
  return prompts.reduce((best, prompt) => (distance(prompt) < distance(best) ? prompt : best), prompts[0]);
}

export const unorderedCollection: LintRule = {
  kind: 'unordered-collection',
  movable: false, // fixed where the value is made: sorting
  advice: ADVICE,
  scan: collectionWarnings,
};
