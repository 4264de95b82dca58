/** A cache turn as the host sends it to the webview: the second request of a log, 1,920 of 2,006 tokens cached by OpenAI. */
import type { CacheTurnView } from '../../common/protocol/index';

export function cacheTurnView(overrides: Partial<CacheTurnView> = {}): CacheTurnView {
  return {
    turn: 2,
    line: 2,
    model: 'gpt-4o',
    inputTokens: 2006,
    reusedPrefix: 1990,
    reusedFrom: 1,
    cached: { min: 1920, max: 1920 },
    written: { min: 0, max: 0 },
    uncached: { min: 86, max: 86 },
    certainty: 'eligible',
    causes: [{ kind: 'granularity', message: 'OpenAI caches in steps of 128 tokens', tokensLost: 70 }],
    cost: { withCache: { min: 0.002615, max: 0.002615 }, withoutCache: 0.005015 },
    notes: [],
    ...overrides,
  };
}
