/**
 * End-to-end check of the llama.cpp profile against a real engine: llama.cpp (node-llama-cpp's prebuilt
 * CPU binary from npm) runs a multi-turn conversation in ONE context sequence, which is one llama.cpp
 * server slot, on a tiny model the test writes itself (test/engine/makeTinyGguf.ts). For each turn the
 * test records how many prompt tokens the engine kept from its KV cache and how many it evaluated, as the
 * engine reports them, and compares them with `predictConversation` under the llama.cpp profile.
 *
 * node-llama-cpp's `LlamaCompletion` applies the same rule as llama-server [reference §13]: keep the
 * longest common prefix of the slot and the prompt, and always evaluate at least the last prompt token
 * for its logits (it pops the last token before aligning the sequence, node-llama-cpp
 * src/evaluator/LlamaCompletion.ts; llama-server decrements `n_past` when it equals the prompt length,
 * tools/server/server-context.cpp "need to evaluate at least 1 token to generate logits").
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cacheProfile, commonPrefixLength, predictConversation, type ConversationRequest, type PartSpan, type RenderedRequest } from '../../../../../src/core/cache';
import { tinyVocabulary, writeTinyGguf } from '../../../../engine/makeTinyGguf';

type NodeLlamaCpp = typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } });
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;
type LlamaModel = Awaited<ReturnType<Llama['loadModel']>>;
type LlamaContextSequence = ReturnType<Awaited<ReturnType<LlamaModel['createContext']>>['getSequence']>;
type Token = ReturnType<LlamaModel['tokenize']>[number];

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What the engine did with one request, read from its own state. */
interface EngineTurn {
  promptTokens: number;
  /** `nextTokenIndex` of the sequence when evaluation of the prompt starts: KV cells kept from earlier turns. */
  reused: number;
  /** Prompt tokens handed to the evaluator after the kept prefix. */
  evaluated: number;
  /** Tokens the token meter counted for this request (prompt tokens evaluated plus generated tokens fed back). */
  metered: number;
  /** The sequence's tokens once the request is done: what the slot holds for the next one. */
  slotAfter: Token[];
}

const MODEL = 'prompt-lens-tiny-test';
const profile = cacheProfile('llama.cpp');

let engine: { llama: Llama; model: LlamaModel; nodeLlamaCpp: NodeLlamaCpp } | undefined;
let skipReason: string | undefined;
let folder: string | undefined;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'prompt-lens-engine-'));
  const modelPath = join(folder, 'tiny.gguf');
  writeTinyGguf(modelPath);
  // A dynamic import: node-llama-cpp is an ES module and the tests compile to CommonJS.
  const nodeLlamaCpp: NodeLlamaCpp = await import('node-llama-cpp');
  let llama: Llama;
  try {
    // Only the prebuilt binary that npm installed (@node-llama-cpp/<platform>): never a download or a
    // build from source at run time; CPU only; one thread, as the test machines share few cores.
    llama = await nodeLlamaCpp.getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      maxThreads: 1,
      logLevel: nodeLlamaCpp.LlamaLogLevel.error,
    });
  } catch (error) {
    // Linux x64 is where CI runs and where the binary must load; anywhere else the missing binary is a skip.
    if (process.platform === 'linux' && process.arch === 'x64') throw error;
    skipReason = `node-llama-cpp has no loadable prebuilt binary for ${process.platform}-${process.arch}: ${(error as Error).message}`;
    return;
  }
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  engine = { llama, model, nodeLlamaCpp };
});

after(async () => {
  await engine?.llama.dispose();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

/** A ChatML-style rendering, tokenized piece by piece so each message's tokens are known. */
function render(model: LlamaModel, messages: readonly Message[]): { tokens: Token[]; rendered: RenderedRequest } {
  const tokens: Token[] = [];
  const parts: PartSpan[] = [];
  const push = (text: string, part: PartSpan['part']) => {
    const ids = model.tokenize(text, true);
    parts.push({ start: tokens.length, end: tokens.length + ids.length, part, text });
    tokens.push(...ids);
  };
  push('<|bos|>', { kind: 'overhead', path: 'bos' });
  messages.forEach((message, index) => {
    const path = `messages[${index}]`;
    push(`<|im_start|>${message.role}\n`, { kind: 'overhead', index, role: message.role, path });
    push(message.content, { kind: message.role === 'system' ? 'system' : 'message', index, field: 'content', role: message.role, path: `${path}.content` });
    push('<|im_end|>\n', { kind: 'overhead', index, role: message.role, path });
  });
  push('<|im_start|>assistant\n', { kind: 'reply-priming', path: 'reply' });
  return { tokens, rendered: renderedFrom(tokens, parts) };
}

function renderedFrom(tokens: readonly Token[], parts: PartSpan[]): RenderedRequest {
  return { api: 'openai-chat', model: MODEL, tokens: Int32Array.from(tokens.map(Number)), parts, blocks: [], tools: [], notes: [] };
}

/**
 * Sends one prompt to the slot through node-llama-cpp's own completion path, which aligns the sequence
 * with the prompt (erasing what differs) and evaluates the rest. The spy on `evaluate` reads the
 * sequence's state at the moment evaluation starts; greedy sampling keeps the run deterministic.
 */
async function complete(sequence: LlamaContextSequence, prompt: readonly Token[], reply: { maxTokens: number; tokenBias: InstanceType<NodeLlamaCpp['TokenBias']> }): Promise<EngineTurn> {
  const { LlamaCompletion } = engine!.nodeLlamaCpp;
  const completion = new LlamaCompletion({ contextSequence: sequence });
  const starts: Array<{ reused: number; evaluated: number }> = [];
  const evaluate = sequence.evaluate;
  sequence.evaluate = function (this: LlamaContextSequence, tokens, options) {
    starts.push({ reused: sequence.nextTokenIndex, evaluated: tokens.length });
    return evaluate.call(this, tokens, options);
  };
  const meter = sequence.tokenMeter.getState();
  try {
    await completion.generateCompletionWithMeta(prompt.slice(), { ...reply, temperature: 0 });
  } finally {
    sequence.evaluate = evaluate;
  }
  assert.equal(starts.length, 1, 'one evaluation per request (no context shift)');
  const used = sequence.tokenMeter.diff(meter);
  return { promptTokens: prompt.length, ...starts[0], metered: used.usedInputTokens + used.usedOutputTokens, slotAfter: sequence.contextTokens.slice() };
}

/** Every token but the end-of-generation ones is banned: the reply ends at once, its one sampled token never decoded. */
function endsAtOnce(model: LlamaModel) {
  const { TokenBias } = engine!.nodeLlamaCpp;
  const ordinary = tinyVocabulary().tokens.map((_, id) => id as Token).filter((id) => !model.isEogToken(id));
  return { maxTokens: 1, tokenBias: new TokenBias(model.tokenizer).set(ordinary, 'never') };
}

const REPLY_TOKENS = 6;

/** A reply of `REPLY_TOKENS` "!" tokens: a logit bias far above the random model's logits makes the choice certain. */
function exclamations(model: LlamaModel) {
  const { TokenBias } = engine!.nodeLlamaCpp;
  const [bang] = model.tokenize('!');
  return { bang, reply: { maxTokens: REPLY_TOKENS, tokenBias: new TokenBias(model.tokenizer).set(bang, { logit: 1000 }) } };
}

const SYSTEM = (time: string) => `You are a helpful assistant. The time is ${time}. Answer the user's question with a short sentence.`;

test('llama.cpp profile: predicted cached tokens equal the prefix the engine reuses, turn by turn', async (t) => {
  if (skipReason) return t.skip(skipReason);
  const { model } = engine!;
  const context = await model.createContext({ contextSize: 512, sequences: 1, threads: 1 });
  const sequence = context.getSequence();
  try {
    const u1: Message = { role: 'user', content: 'What is the weather like today in the city?' };
    const a1: Message = { role: 'assistant', content: 'It is sunny and warm.' };
    const u2: Message = { role: 'user', content: 'And what time is it now?' };
    const a2: Message = { role: 'assistant', content: 'It is ten o\'clock in the morning.' };
    const u3: Message = { role: 'user', content: 'Please summarise the conversation so far.' };
    const system = { role: 'system', content: SYSTEM('10:00') } satisfies Message;
    const edited = { role: 'system', content: SYSTEM('10:05') } satisfies Message;
    const conversation: Array<{ label: string; messages: Message[] }> = [
      { label: 'first request', messages: [system, u1] },
      { label: 'next turn appends', messages: [system, u1, a1, u2] },
      { label: 'next turn appends', messages: [system, u1, a1, u2, a2, u3] },
      { label: 'identical resend', messages: [system, u1, a1, u2, a2, u3] },
      { label: 'timestamp in the system prompt changed', messages: [edited, u1, a1, u2, a2, u3] },
      { label: 'next turn after the edit', messages: [edited, u1, a1, u2, a2, u3, { role: 'assistant', content: 'You asked about the weather and the time.' }, { role: 'user', content: 'Thank you.' }] },
      { label: 'history cut back to an earlier turn', messages: [edited, u1, a1, { role: 'user', content: 'Is it warm?' }] },
    ];

    const requests: ConversationRequest[] = [];
    const observed: EngineTurn[] = [];
    for (const turn of conversation) {
      const { tokens, rendered } = render(model, turn.messages);
      observed.push(await complete(sequence, tokens, endsAtOnce(model)));
      requests.push({ rendered });
    }
    const predicted = predictConversation(requests, { profile, engine: { slots: 1 } }).turns;

    const rows = conversation.map((turn, i) => ({
      turn: i + 1,
      label: turn.label,
      promptTokens: observed[i].promptTokens,
      engineReused: observed[i].reused,
      engineEvaluated: observed[i].evaluated,
      predictedCached: predicted[i].cached,
    }));
    t.diagnostic(JSON.stringify(rows));

    for (const [i, turn] of observed.entries()) {
      const label = `turn ${i + 1} (${conversation[i].label})`;
      // The engine's own counters agree with each other: kept + evaluated = the prompt, and the token
      // meter counted exactly the evaluated prompt tokens (the one sampled token is never fed back).
      assert.equal(turn.reused + turn.evaluated, turn.promptTokens, label);
      // The reply was the end-of-text token, sampled but never decoded: the slot holds exactly the
      // prompt, which is what the predictor assumes it holds.
      assert.deepEqual(turn.slotAfter, Array.from(requests[i].rendered.tokens), `${label}: slot after the request`);
      assert.equal(turn.metered, turn.evaluated, label);
      // The replies in these requests were written by the test, not generated by the engine, so the slot
      // never held them: the engine's reuse is the low end of the range, which counts a sent-back reply
      // as possibly still in the slot (see the next test), and exact where no reply follows.
      assert.equal(predicted[i].cached.min, turn.reused, `${label}: predicted cached vs engine reuse`);
      assert.equal(predicted[i].uncached.max, turn.evaluated, `${label}: predicted uncached vs engine evaluation`);
      const ranged = predicted[i].cached.max > predicted[i].cached.min;
      assert.equal(predicted[i].certainty, ranged ? 'eligible' : 'exact', label);
      if (ranged) assert.equal(conversation[i].messages.at(-2)?.role, 'assistant', `${label}: only a sent-back reply widens the range`);
    }

    // What the sequence looks like to a user, not only that the two sides agree.
    assert.equal(observed[0].reused, 0, 'cold start');
    assert.equal(observed[1].reused, observed[0].promptTokens, 'an appended turn reuses the whole previous prompt');
    assert.equal(observed[3].reused, observed[3].promptTokens - 1, 'an identical resend reuses all but the last token');
    const timestampAt = requests[4].rendered.parts.find((part) => part.part.path === 'messages[0].content')!;
    assert.ok(observed[4].reused > timestampAt.start && observed[4].reused < timestampAt.end, 'the edit drops reuse inside the system prompt');
    assert.equal(predicted[4].divergence?.part?.path, 'messages[0].content', 'the divergence is reported in the system prompt');
    assert.ok(observed[6].reused < observed[6].promptTokens - 1 && observed[6].reused > timestampAt.end, 'a cut-back history reuses up to the first changed message');
  } finally {
    await context.dispose();
  }
});

test('llama.cpp slot keeps the generated reply: the profile rule holds over the slot the engine really holds', async (t) => {
  if (skipReason) return t.skip(skipReason);
  const { model } = engine!;
  const context = await model.createContext({ contextSize: 512, sequences: 1, threads: 1 });
  const sequence = context.getSequence();
  try {
    const system = { role: 'system', content: SYSTEM('10:00') } satisfies Message;
    const question = { role: 'user', content: 'What is the weather like today in the city?' } satisfies Message;
    const first = render(model, [system, question]);
    const { bang, reply } = exclamations(model);
    const answer = await complete(sequence, first.tokens, reply);
    // The engine decoded every sampled token but the last one into the slot, as llama-server does
    // (`update_batch` pushes each sampled token into the slot before decoding it; the token sampled when
    // the limit is reached is never decoded, tools/server/server-context.cpp).
    const decodedReply = answer.slotAfter.slice(first.tokens.length);
    assert.deepEqual(answer.slotAfter.slice(0, first.tokens.length), first.tokens, 'the slot starts with the prompt');
    assert.deepEqual(decodedReply, new Array(REPLY_TOKENS - 1).fill(bang), 'the slot holds the reply but its last token');

    // The client sends the whole reply back as the assistant message, then a new question.
    const follow = model.tokenize('<|im_end|>\n<|im_start|>user\nAnd what time is it now?<|im_end|>\n<|im_start|>assistant\n', true);
    const second = [...first.tokens, ...new Array<Token>(REPLY_TOKENS).fill(bang), ...follow]; // the first prompt already ends with the assistant header
    const turn = await complete(sequence, second, endsAtOnce(model));

    const slotLcp = commonPrefixLength(Int32Array.from(answer.slotAfter.map(Number)), Int32Array.from(second.map(Number)));
    assert.deepEqual(profile.hit(slotLcp, second.length, MODEL, {}), { min: turn.reused, max: turn.reused }, 'profile rule over the real slot content');
    assert.equal(turn.reused, first.tokens.length + decodedReply.length, 'the reply stays cached');

    // A request log has the reply's text, not the ids the engine generated: the predictor counts the
    // sent-back reply as reusable up to its length, so the engine's reuse must fall inside the range.
    const replyPart: PartSpan = { start: first.tokens.length, end: first.tokens.length + REPLY_TOKENS, part: { kind: 'message', index: 2, field: 'content', role: 'assistant', path: 'messages[2].content' } };
    const prediction = predictConversation(
      [{ rendered: first.rendered }, { rendered: renderedFrom(second, [...first.rendered.parts, replyPart]) }],
      { profile, engine: { slots: 1 } },
    ).turns[1];
    assert.equal(prediction.cached.min, first.tokens.length, 'at least the previous prompt');
    assert.ok(prediction.cached.min <= turn.reused && turn.reused <= prediction.cached.max, `engine reuse ${turn.reused} inside the predicted ${prediction.cached.min}–${prediction.cached.max}`);
    assert.equal(prediction.certainty, 'eligible');
    t.diagnostic(JSON.stringify({ promptTokens: second.length, engineReused: turn.reused, predictedCached: prediction.cached, decodedReply: decodedReply.length }));
  } finally {
    await context.dispose();
  }
});
