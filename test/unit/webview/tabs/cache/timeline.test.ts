import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barSegments, costRow, costTotalRow, formatActual, progressText, summaryItems, tooltipContent, turnDescription } from '../../../../../webview/src/tabs/cache/timeline';
import type { CacheSummaryView } from '../../../../../common/protocol/index';
import { cacheTurnView as turn } from '../../../../support/cacheTurn';

test('a bar splits the input into cached, uncertain, written and uncached, relative to the largest turn', () => {
  const certain = barSegments(turn(), 4012);
  assert.deepEqual(certain.map((segment) => [segment.kind, segment.tokens]), [['cached', 1920], ['uncached', 86]]);
  assert.equal(certain.reduce((sum, segment) => sum + segment.percent, 0), 50);
  // Anthropic-like uncertainty: 0–1,024 cached, 0–1,024 written, so 1,024 tokens are open.
  const open = barSegments(turn({ inputTokens: 1500, cached: { min: 0, max: 1024 }, written: { min: 0, max: 1024 }, uncached: { min: 476, max: 1500 } }), 1500);
  assert.deepEqual(open.map((segment) => [segment.kind, segment.tokens]), [['uncertain', 1024], ['uncached', 476]]);
  assert.equal(open.reduce((sum, segment) => sum + segment.tokens, 0), 1500);
  const cold = barSegments(turn({ turn: 1, cached: { min: 0, max: 0 }, written: { min: 1024, max: 1024 }, uncached: { min: 982, max: 982 } }), 2006);
  assert.deepEqual(cold.map((segment) => segment.kind), ['written', 'uncached']);
  assert.deepEqual(barSegments(turn({ inputTokens: 0, cached: { min: 0, max: 0 }, uncached: { min: 0, max: 0 } }), 0), []);
});

test('a row’s accessible name and tooltip say what is reused, where the prefix diverges and why', () => {
  const withDivergence = turn({
    divergence: { tokenIndex: 1990, where: 'messages[3].content (user message)', previousWhere: 'messages[3].content (user message)', before: 'Will the old key', after: 'Does the new key' },
    actual: { inputTokens: 2006, cachedTokens: 1792, source: 'prompt_tokens_details.cached_tokens' },
    error: -128,
  });
  const description = turnDescription(withDivergence);
  assert.match(description, /^Turn 2; 2,006 input tokens; ≤1,920 cached; 0 written; 86 uncached; reuses 1,990 tokens of turn 1; actual cached 1,792 \(−128\); granularity: /);
  const tip = tooltipContent(withDivergence);
  assert.equal(tip.heading, 'Turn 2 · line 2');
  assert.equal(tip.divergence?.where, 'First divergent token: 1,990, in messages[3].content (user message)');
  assert.equal(tip.divergence?.before, 'Will the old key');
  assert.deepEqual(tip.causes, ['granularity: OpenAI caches in steps of 128 tokens']);
  assert.ok(tip.facts.some(([label, value]) => label === 'actual cached' && value.startsWith('1,792 (−128)')));
  const moved = tooltipContent(turn({ divergence: { tokenIndex: 5, where: 'tools[0] (tool get_time)', previousWhere: 'messages[0].content (system message)', before: 'a', after: 'b' } }));
  assert.match(moved.divergence!.where, /in tools\[0\] \(tool get_time\); turn 1 had messages\[0\]\.content \(system message\) there$/);
});

test('the first turn’s cold start is said once, not as a cause to fix when there is another', () => {
  const cold = turn({ turn: 1, reusedFrom: undefined, causes: [{ kind: 'cold-start', message: 'no earlier request', tokensLost: 0 }] });
  assert.deepEqual(tooltipContent(cold).causes, ['cold start: no earlier request']);
  const both = turn({ causes: [{ kind: 'cold-start', message: 'x', tokensLost: 0 }, { kind: 'model-changed', message: 'turn 1 is another model', tokensLost: 40 }] });
  assert.deepEqual(tooltipContent(both).causes, ['model changed: turn 1 is another model']);
});

test('actual usage: a signed error, or unknown when the usage has no cached field', () => {
  assert.equal(formatActual(turn()), undefined);
  assert.equal(formatActual(turn({ actual: { cachedTokens: 2048, source: 's' }, error: 128 })), '2,048 (+128)');
  assert.equal(formatActual(turn({ actual: { cachedTokens: 1920, source: 's' }, error: 0 })), '1,920');
  assert.equal(formatActual(turn({ actual: { inputTokens: 3, source: 's' } })), 'unknown');
});

test('the cost table has a row per turn and a total, with the actual column only when asked', () => {
  assert.deepEqual(costRow(turn(), false), ['2', '$0.0026', '$0.0050', '$0.0024', '2,006', '≤1,920', '0', '86']);
  assert.equal(costRow(turn(), true)[8], '–');
  assert.deepEqual(costRow(turn({ cost: {} }), false).slice(1, 4), ['no price', 'no price', 'no price']);
  const summary: CacheSummaryView = {
    turns: 3,
    inputTokens: 6000,
    cached: { min: 1920, max: 3840 },
    cachedShare: { min: 0.32, max: 0.64 },
    cost: { withCache: { min: 0.01, max: 0.012 }, withoutCache: 0.015 },
    saved: { min: 0.003, max: 0.005 },
    topCauses: [{ kind: 'cold-start', turns: 1, tokensLost: 0 }, { kind: 'prefix-changed', turns: 2, tokensLost: 300 }],
  };
  assert.deepEqual(costTotalRow(summary, false), ['Total', '$0.0100–$0.0120', '$0.0150', '$0.0030–$0.0050', '6,000', '1,920–3,840', '', '']);
  const items = new Map(summaryItems(summary));
  assert.equal(items.get('cached'), '1,920–3,840 (32%–64%)');
  assert.equal(items.get('top causes'), 'prefix changed (2 turns, 300 tokens)');
  assert.equal(items.has('actual'), false);
});

test('while a log is predicted the view says which turn it is at, then that the prefixes are being matched', () => {
  assert.equal(progressText({ done: 0, total: 0 }), 'Predicting…');
  assert.equal(progressText({ done: 0, total: 1001 }), 'Predicting… turn 1 of 1,001');
  assert.equal(progressText({ done: 250, total: 1001 }), 'Predicting… turn 251 of 1,001');
  assert.equal(progressText({ done: 1001, total: 1001 }), 'Predicting… matching the prefixes of 1,001 turns');
});
