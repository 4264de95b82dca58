// Cache predictor throughput: 1,000 turns of 8,000 tokens each (target < 1 s, issue 4), against a
// naive baseline that compares every request with every earlier one, in the same run.
import { cacheProfile, commonPrefixLength, predictConversation, type ConversationRequest } from '../src/core/cache';
import { fixed, median, timeRuns } from './stats';

const TURNS = 1000;
const TOKENS = 8000;

/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same conversation. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Requests that share a 2,000-token system prefix, then continue an earlier request (any of them)
 * for a random length before their own tokens: the shape of branching agent conversations.
 */
function conversation(): ConversationRequest[] {
  const next = random(4);
  const requests: Int32Array[] = [];
  let fresh = 1_000_000;
  for (let turn = 0; turn < TURNS; turn++) {
    const tokens = new Int32Array(TOKENS);
    for (let i = 0; i < 2000; i++) tokens[i] = i;
    let i = 2000;
    if (turn > 0) {
      const parent = requests[Math.floor(next() * turn)];
      const shared = 2000 + Math.floor(next() * 6000);
      for (; i < shared; i++) tokens[i] = parent[i];
    }
    for (; i < TOKENS; i++) tokens[i] = fresh++;
    requests.push(tokens);
  }
  return requests.map((tokens, index) => ({
    rendered: { api: 'openai-chat', model: 'gpt-4o', tokens, parts: [{ start: 0, end: tokens.length, part: { kind: 'message', index: 0, path: 'messages[0].content' } }], blocks: [], tools: [], notes: [] },
    timestamp: index * 1000,
  }));
}

/** The naive way: the longest common prefix of each request with every earlier one. */
function pairwise(requests: ConversationRequest[]): number[] {
  return requests.map((request, index) => {
    let best = 0;
    for (let earlier = 0; earlier < index; earlier++) best = Math.max(best, commonPrefixLength(requests[earlier].rendered.tokens, request.rendered.tokens));
    return best;
  });
}

export interface CacheBenchResult {
  turns: number;
  tokensPerTurn: number;
  predictorMs: number;
  pairwiseMs: number;
  /** Both found the same longest shared prefix on every turn. */
  agree: boolean;
}

export function benchCache(): CacheBenchResult {
  console.log(`\n## Cache predictor (${TURNS.toLocaleString('en-US')} turns × ${TOKENS.toLocaleString('en-US')} tokens, OpenAI automatic profile)`);
  const requests = conversation();
  let predicted: number[] = [];
  const predictor = timeRuns(3, () => {
    predicted = predictConversation(requests, { profile: cacheProfile('openai-automatic') }).turns.map((turn) => turn.reusedPrefix);
  });
  let naive: number[] = [];
  const baseline = timeRuns(1, () => {
    naive = pairwise(requests);
  });
  const result: CacheBenchResult = {
    turns: TURNS,
    tokensPerTurn: TOKENS,
    predictorMs: median(predictor),
    pairwiseMs: median(baseline),
    agree: predicted.every((length, index) => length === naive[index]),
  };
  console.log(`predictor (radix trie, whole profile incl. TTL, minimum, rounding, causes): ${fixed(result.predictorMs)} ms median of 3 (target < 1,000 ms)`);
  console.log(`naive pairwise longest common prefix only: ${fixed(result.pairwiseMs)} ms (${fixed(result.pairwiseMs / result.predictorMs)}× slower)`);
  console.log(`same longest shared prefix on every turn: ${result.agree ? 'yes' : 'NO'}`);
  return result;
}
