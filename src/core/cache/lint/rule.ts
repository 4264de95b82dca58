/** What a lint rule holds, the warning it gives, and what a rule's own check is handed. */
import type { LineIndex } from '../../extract/positions';
import type { Prompt, Range } from '../../prompt/types';
import type { PromptCacheOptions } from '../predict/promptCache';
import type { CacheProfile } from '../providers/profile';
import type { CacheFix } from './fix';
import type { CacheWarningKind } from './rules';

export interface CacheWarning {
  kind: CacheWarningKind;
  severity: 'warning' | 'info';
  /** Says how many tokens per call it moves out of cache and the cost per day at the volume. */
  message: string;
  /** What to underline: the dynamic part, or the expression. */
  range: Range;
  promptId: string;
  tokensPerCall: number;
  /** USD per day at callsPerDay; undefined when the model has no price. */
  costPerDay?: number;
  /** Moves the dynamic part after the static part where that is safe. */
  fix?: CacheFix;
}

export interface CacheLintOptions extends PromptCacheOptions {
  /** A static part shorter than this after the dynamic part is not worth a warning (default 256). */
  minStaticTokens?: number;
}

export const DEFAULT_MIN_STATIC_TOKENS = 256;

/** One document's lint run: what every check needs, made once. */
export interface LintContext {
  options: CacheLintOptions;
  profile: CacheProfile;
  encode: (text: string) => number[];
  lines: LineIndex;
  documentText: string;
  callsPerDay: number;
  /** USD saved per cached input token; undefined when the model has no price. */
  saving: number | undefined;
  /** The prompt's first simulated call: its tokens, and where the prompt's text starts in it (rendered once per prompt). */
  layoutOf(prompt: Prompt): { totalTokens: number; contentStart: number };
}

/**
 * One warning code: what it advises and whether moving text fixes it. The placement checks
 * (./placement.ts) report a dynamic part before long static text under the rule that
 * RULE_OF_VOLATILITY names for its kind; `scan` is a rule's own check over the whole document.
 */
export interface LintRule {
  kind: CacheWarningKind;
  /** Moving the dynamic part after the static text fixes it: the warning offers that move as its quick fix. */
  movable: boolean;
  /** The advice that ends the message. */
  advice: string;
  /** The advice for a message placed before a long static message, where it differs from `advice`. */
  messageAdvice?: string;
  scan?(prompts: readonly Prompt[], context: LintContext): CacheWarning[];
}
