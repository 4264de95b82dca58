/** AWS Bedrock cache checkpoints: Anthropic's breakpoint rules with Bedrock's own minimums and checkpoint spacing [BR-doc]. */
import { ANTHROPIC_MINIMUMS, anthropicTtl, NO_CACHE_CONTROL } from './anthropic';
import type { CacheProfile } from './profile';
import { exactly, lookup } from './rules';
import type { TokenRange } from '../types';

/** Bedrock per-model minimums (early-2026 text) [BR-doc]; Anthropic says they are equal everywhere [ANT-skill], so both are kept. */
const BEDROCK_MINIMUMS: Array<[RegExp, TokenRange]> = [
  [/(opus|fable|mythos)-5/, exactly(512)],
  [/opus-4-5|opus-4-6|haiku-4-5/, exactly(4096)],
  [/sonnet-4-5/, { min: 1024, max: 4096 }],
  [/sonnet-4-6|opus-4(?!-\d(?:\D|$))|opus-4-0|3-7-sonnet|3-5-sonnet/, exactly(1024)],
  [/nova/, exactly(1024)],
];

export const bedrock: CacheProfile = {
  id: 'bedrock',
  label: 'AWS Bedrock cache checkpoints',
  shortName: 'Bedrock',
  providerNames: ['bedrock', 'aws'],
  fallbackTokenizer: 'hf:claude',
  requestApi: 'anthropic-messages',
  matching: 'breakpoints',
  certainty: 'exact',
  minimum: (model) => {
    const bedrockMinimum = lookup(BEDROCK_MINIMUMS, model, { min: 512, max: 4096 });
    const anthropic = lookup(ANTHROPIC_MINIMUMS, model, bedrockMinimum);
    return { min: Math.min(bedrockMinimum.min, anthropic.min), max: Math.max(bedrockMinimum.max, anthropic.max) };
  },
  hit: (lcp) => exactly(lcp),
  ttl: ({ breakpointTtl }) => anthropicTtl(breakpointTtl), // 5 min default, 1 h for listed models, reset on hit [BR-doc]
  breakpoints: {
    max: 4, // [BR-doc]
    overLimit: 'reject',
    lookback: 20, // "~20-block lookback for Claude" [BR-doc]
    minimumPerCheckpoint: true, // another minimum's worth of tokens after the previous checkpoint [BR-doc]
    unmarked: NO_CACHE_CONTROL,
  },
  multipliers: { read: 0.1, write5m: 1.25, write1h: 2 }, // model-specific on Bedrock; Claude's multipliers as the default
  usage: 'excludes',
  keyScoped: false,
  notes: ['Each Bedrock checkpoint needs another minimum\'s worth of tokens after the previous one [BR-doc].'],
};
