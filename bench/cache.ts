// Cache predictor throughput: 1,000 turns of 8,000 tokens each (target < 1 s), against a
// naive baseline that compares every request with every earlier one, in the same run. Then a whole log as
// the visualizer and `promptlens cache` predict it: a 1,000-turn growing conversation rendered to tokens and
// predicted, against rendering every request from scratch (the renderer without its RenderMemo).
import { isDeepStrictEqual } from 'node:util';
import { cacheProfile, commonPrefixLength, memoEncoder, predictConversation, predictLog, renderRequest, type ConversationRequest } from '../src/core/cache';
import { readConversation } from '../src/core/cache/log/conversation';
import { loadCatalog } from '../src/core/catalog';
import { loadTokenizer } from '../src/core/tokenize';
import { seededRandom } from '../test/support/seededRandom';
import { mixedText } from './corpus';
import { fixed, median, timeRuns } from './stats';

const TURNS = 1000;
const TOKENS = 8000;

/**
 * Requests that share a 2,000-token system prefix, then continue an earlier request (any of them)
 * for a random length before their own tokens: the shape of branching agent conversations.
 */
function conversation(): ConversationRequest[] {
  // Seeded, so every run measures the same conversation.
  const next = seededRandom(4);
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

export async function benchCache(): Promise<CacheBenchResult & { log: LogBenchResult }> {
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
  return { ...result, log: await benchLog() };
}

const LOG_TURNS = 1000;

/**
 * One conversation written down as a single body, as examples/conversation.json: a system prompt, then user
 * and assistant messages of mixed prose, code and JSON. Read, it is one request per assistant reply plus
 * the last user turn, each resending every earlier message.
 */
function growingConversation(): string {
  const text = mixedText(400_000);
  const slice = (start: number, length: number) => text.slice(start % 300_000, (start % 300_000) + length);
  const messages: unknown[] = [{ role: 'system', content: slice(0, 2000) }];
  for (let turn = 0; turn < LOG_TURNS; turn++) {
    messages.push({ role: 'user', content: `Turn ${turn}: ${slice(turn * 997, 150)}` }, { role: 'assistant', content: slice(turn * 1_531 + 50_000, 200) });
  }
  messages.push({ role: 'user', content: 'One more question.' });
  return JSON.stringify({ model: 'gpt-4o', messages });
}

export interface LogBenchResult {
  requests: number;
  renderedTokens: number;
  memoMs: number;
  freshMs: number;
  predictorMs: number;
  /** Both paths gave the same prediction, turn by turn. */
  same: boolean;
}

async function benchLog(): Promise<LogBenchResult> {
  console.log(`\n## ${LOG_TURNS.toLocaleString('en-US')}-turn growing conversation from a log: render + predict (gpt-4o, o200k_base, OpenAI automatic profile)`);
  const catalog = loadCatalog();
  const tokenizer = await loadTokenizer('o200k_base');
  const log = readConversation(growingConversation());
  const options = { profile: cacheProfile('openai-automatic'), findModel: (id: string) => catalog.find(id), decode: (ids: number[]) => tokenizer.decode(ids) };
  let memoised: ReturnType<typeof predictConversation> | undefined;
  const memo = timeRuns(3, () => {
    const { notices: _notices, ...prediction } = predictLog(log, { ...options, defaultModel: 'gpt-4o', tokenizerFor: () => tokenizer });
    memoised = prediction;
  });
  let rendered: ConversationRequest[] = [];
  let fresh: ReturnType<typeof predictConversation> | undefined;
  const freshRuns = timeRuns(1, () => {
    const encode = memoEncoder(tokenizer);
    rendered = log.requests.map((request) => ({ rendered: renderRequest(request.api, { ...request.body, model: 'gpt-4o' }, encode), line: request.line }));
    fresh = predictConversation(rendered, options);
  });
  const predictor = timeRuns(1, () => predictConversation(rendered, options));
  const renderedTokens = rendered.reduce((sum, request) => sum + request.rendered.tokens.length, 0);
  const result: LogBenchResult = {
    requests: log.requests.length,
    renderedTokens,
    memoMs: median(memo),
    freshMs: median(freshRuns),
    predictorMs: median(predictor),
    same: isDeepStrictEqual(memoised, fresh),
  };
  const rate = (ms: number) => `${fixed(renderedTokens / (ms / 1000) / 1e6, 2)}M tokens/s`;
  console.log(`${result.requests.toLocaleString('en-US')} requests, ${fixed(renderedTokens / 1e6, 1)}M rendered tokens in all (last request ${rendered.at(-1)?.rendered.tokens.length.toLocaleString('en-US')})`);
  console.log(`each message rendered once (RenderMemo), then predicted: ${fixed(result.memoMs)} ms median of 3 (${rate(result.memoMs)})`);
  console.log(`every request rendered from scratch, then predicted: ${fixed(result.freshMs)} ms (${rate(result.freshMs)}; ${fixed(result.freshMs / result.memoMs)}× slower)`);
  console.log(`of either, the predictor alone: ${fixed(result.predictorMs)} ms`);
  console.log(`same prediction on every turn: ${result.same ? 'yes' : 'NO'}`);
  return result;
}
