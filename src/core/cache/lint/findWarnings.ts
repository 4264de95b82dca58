/**
 * Cache-busting patterns in a document's prompts: a value that changes between calls
 * before a long static part (in the same prompt, or in the message before a long static message),
 * collections in no fixed order, JSON in the data's key order, varying
 * whitespace, tool lists built from unordered collections [reference §15 A, B, C]. Every warning says
 * how many tokens per call the pattern keeps out of the cache under the model's profile (minimum and
 * granularity applied) and what that costs per day at the configured volume.
 *
 * The patterns are read from source text, not evaluated: they are heuristics, and the messages say
 * so where the signal is weak (severity info). The rules, one per warning code, are in ./rules/.
 */
import type { ModelInfo } from '../../catalog';
import { LineIndex } from '../../extract/positions';
import type { Prompt } from '../../prompt/types';
import { DEFAULT_CALLS_PER_DAY, profileForModel, renderedLayout } from '../predict/promptCache';
import type { CacheProfile } from '../providers/profile';
import { sharedEncoder } from '../render/encodeMemo';
import { messageOrderWarnings, promptWarnings } from './placement';
import type { CacheLintOptions, CacheWarning, LintContext } from './rule';
import { LINT_RULES } from './rules';

/** USD saved per cached input token: the input price minus the cache-read price (catalogue, else the profile's multiplier). */
function savingPerToken(model: ModelInfo, profile: CacheProfile): number | undefined {
  const price = model.price;
  if (!price) return undefined;
  const read = price.cachedInput ?? price.input * (profile.multipliers.read ?? 1);
  return Math.max(0, price.input - read) / 1_000_000;
}

/** Every cache-busting pattern in the prompts of one document. Never throws; a prompt it cannot read gives no warning. */
export function findCacheWarnings(documentText: string, prompts: readonly Prompt[], options: CacheLintOptions): CacheWarning[] {
  const warnings: CacheWarning[] = [];
  try {
    const profile = options.profile ?? profileForModel(options.model).profile;
    const layouts = new Map<Prompt, { totalTokens: number; contentStart: number }>();
    const context: LintContext = {
      options,
      profile,
      encode: sharedEncoder(options.tokenizer),
      lines: new LineIndex(documentText),
      documentText,
      callsPerDay: Math.max(0, options.callsPerDay ?? DEFAULT_CALLS_PER_DAY),
      saving: savingPerToken(options.model, profile),
      layoutOf: (prompt) => {
        let layout = layouts.get(prompt);
        if (!layout) layouts.set(prompt, (layout = renderedLayout(prompt, { ...options, profile }, profile)));
        return layout;
      },
    };
    const warned = new Set<string>();
    for (const prompt of prompts) {
      try {
        if (!prompt.segments.some((segment) => segment.kind === 'dynamic')) continue;
        const found = promptWarnings(prompt, context.layoutOf(prompt), context);
        if (found.length > 0) warned.add(prompt.id);
        warnings.push(...found);
      } catch {
        // Half-typed code can give odd segments; that prompt simply gets no warning this time.
      }
    }
    warnings.push(...messageOrderWarnings(prompts, warned, context));
    for (const rule of Object.values(LINT_RULES)) if (rule.scan) warnings.push(...rule.scan(prompts, context));
  } catch {
    // Never throw out of the linter: it runs on every document change.
  }
  return warnings;
}
