import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION } from '../../../../../common/protocol/index';
import { MAX_PASTED_CONVERSATION, parseHostMessage, parseWebviewMessage } from '../../../../../common/protocol/validate';
import { cacheTurnView } from '../../../../support/cacheTurn';

/** A cache turn with every optional field; `overrides` may make it invalid. */
function cacheTurn(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...cacheTurnView({
      divergence: { tokenIndex: 1990, where: 'messages[1].content (user message)', previousWhere: 'messages[1].content (user message)', before: 'key?', after: 'key at once?' },
      causes: [{ kind: 'prefix-changed', message: 'the user message differs', tokensLost: 16 }],
      cost: { withCache: { min: 0.0026, max: 0.0026 }, withoutCache: 0.005 },
      actual: { inputTokens: 2006, cachedTokens: 1920, source: 'prompt_tokens_details.cached_tokens (subset of prompt_tokens)' },
      error: 0,
    }),
    ...overrides,
  };
}

function cacheMessage(overrides: Record<string, unknown> = {}, turns: unknown[] = [cacheTurn()]): Record<string, unknown> {
  return {
    type: 'cache',
    version: PROTOCOL_VERSION,
    providers: [{ value: 'openai', label: 'openai · OpenAI automatic prefix caching' }],
    provider: 'openai',
    pasted: false,
    result: {
      source: { kind: 'log', title: 'requests.jsonl', detail: '3 logged requests' },
      profile: { id: 'openai-automatic', label: 'OpenAI automatic prefix caching', notes: [] },
      turns,
      summary: {
        turns: 1,
        inputTokens: 2006,
        cached: { min: 1920, max: 1920 },
        cachedShare: { min: 0.957, max: 0.957 },
        cost: { withCache: { min: 0.0026, max: 0.0026 }, withoutCache: 0.005 },
        saved: { min: -0.0001, max: 0.0024 },
        topCauses: [{ kind: 'prefix-changed', turns: 1, tokensLost: 16 }],
        actual: { turns: 1, cachedTokens: 1920, meanAbsoluteError: 0 },
      },
      notices: ['line 3: no "model"'],
    },
    ...overrides,
  };
}

test('a cache message with a prediction, or with the reason there is none, is accepted as is', () => {
  const message = cacheMessage();
  assert.equal(parseHostMessage(message), message);
  const empty = cacheMessage({ result: undefined, reason: 'Open a request log' });
  assert.equal(parseHostMessage(empty), empty);
  const bare = cacheMessage({}, [cacheTurn({ line: undefined, reusedFrom: undefined, divergence: undefined, actual: undefined, error: undefined, cost: {} })]);
  assert.equal(parseHostMessage(bare), bare, 'optional fields may be absent');
});

test('a cache message with both or neither of result and reason is rejected', () => {
  assert.equal(parseHostMessage(cacheMessage({ reason: 'both' })), undefined);
  assert.equal(parseHostMessage(cacheMessage({ result: undefined })), undefined);
});

test('a cache message may instead say how far a prediction is, and only that, with done never past total', () => {
  const progress = cacheMessage({ result: undefined, progress: { done: 250, total: 1001 } });
  assert.equal(parseHostMessage(progress), progress);
  const reading = cacheMessage({ result: undefined, progress: { done: 0, total: 0 } });
  assert.equal(parseHostMessage(reading), reading, 'total 0: the log is still being read');
  assert.equal(parseHostMessage(cacheMessage({ progress: { done: 1, total: 2 } })), undefined, 'progress next to a result');
  assert.equal(parseHostMessage(cacheMessage({ result: undefined, reason: 'why', progress: { done: 1, total: 2 } })), undefined, 'progress next to a reason');
  for (const bad of [{ done: 3, total: 2 }, { done: -1, total: 2 }, { done: 1.5, total: 2 }, { done: 1 }, 'half'] as unknown[]) {
    assert.equal(parseHostMessage(cacheMessage({ result: undefined, progress: bad })), undefined, JSON.stringify(bad));
  }
});

test('a cache turn with an impossible number or a missing field is rejected', () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ['range backwards', { cached: { min: 10, max: 5 } }],
    ['negative tokens', { uncached: { min: -1, max: 3 } }],
    ['fractional tokens', { inputTokens: 2.5 }],
    ['unknown certainty', { certainty: 'sure' }],
    ['cause without message', { causes: [{ kind: 'prefix-changed', tokensLost: 1 }] }],
    ['divergence without excerpt', { divergence: { tokenIndex: 3, before: 'a' } }],
    ['cost not a number', { cost: { withoutCache: 'free' } }],
    ['actual without source', { actual: { cachedTokens: 3 } }],
    ['notes not text', { notes: [1] }],
    ['model missing', { model: undefined }],
  ];
  for (const [what, change] of bad) assert.equal(parseHostMessage(cacheMessage({}, [cacheTurn(change)])), undefined, what);
  const summary = (cacheMessage().result as { summary: Record<string, unknown> }).summary;
  const withShare = cacheMessage();
  (withShare.result as { summary: unknown }).summary = { ...summary, cachedShare: { min: 0.5, max: 1.5 } };
  assert.equal(parseHostMessage(withShare), undefined, 'a share above 100%');
  assert.equal(parseHostMessage(cacheMessage({ providers: [{ value: 'openai' }] })), undefined, 'provider choice without label');
  assert.equal(parseHostMessage(cacheMessage({ pasted: 'no' })), undefined);
});

test('the cache view’s requests to the host are checked: known tab, short provider name, bounded paste', () => {
  const message = (body: Record<string, unknown>) => ({ version: PROTOCOL_VERSION, ...body });
  assert.ok(parseWebviewMessage(message({ type: 'setTab', tab: 'cache' })));
  assert.ok(parseWebviewMessage(message({ type: 'setTab', tab: 'tokens' })));
  assert.equal(parseWebviewMessage(message({ type: 'setTab', tab: 'settings' })), undefined);
  assert.ok(parseWebviewMessage(message({ type: 'setCacheProvider', provider: 'anthropic' })));
  assert.equal(parseWebviewMessage(message({ type: 'setCacheProvider', provider: '' })), undefined);
  assert.equal(parseWebviewMessage(message({ type: 'setCacheProvider', provider: 'x'.repeat(65) })), undefined);
  assert.ok(parseWebviewMessage(message({ type: 'setCacheInput', text: '[{"role":"user","content":"hi"}]' })));
  assert.ok(parseWebviewMessage(message({ type: 'setCacheInput', text: null })));
  assert.equal(parseWebviewMessage(message({ type: 'setCacheInput', text: 42 })), undefined);
  assert.equal(parseWebviewMessage(message({ type: 'setCacheInput', text: 'x'.repeat(MAX_PASTED_CONVERSATION + 1) })), undefined);
});
