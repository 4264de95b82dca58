/**
 * Renders a request body to the token sequence the provider's model sees, with a map from token
 * runs back to the request's parts. Only equality of tokens matters for caching, so framing and
 * special tokens are negative ids; text is encoded with the model's tokenizer.
 *
 * Tool and response schemas are serialised with JSON.stringify in the key order given: providers
 * render them in that order, so a key-order difference is a cache break there and here [OAI-cookbook
 * "tools, schemas and their ordering"; reference §15 B, C]. Open-model chat templates
 * (tokenizer_config.json rendered with @huggingface/jinja) are a later step.
 */
import type { Tokenizer } from '../tokenize';
import type { BlockSpan, PartSpan, RenderedRequest, RequestApi, RequestPart } from './types';

/** Synthetic token ids for framing. Values only need to differ from each other and from real ids. */
const T = {
  start: -1, // <|start|>
  message: -2, // <|message|>
  end: -3, // <|end|>
  name: -4,
  toolInit: -5,
  toolsEnd: -6,
  schema: -7,
  setting: -8,
  block: -9,
} as const;

/**
 * OpenAI Chat Completions overhead for gpt-3.5-turbo-0613 / gpt-4 / gpt-4o: 3 tokens per message,
 * 1 per name, every reply primed with <|start|>assistant<|message|>; functions: 7 per function,
 * 12 after the list [openai/openai-cookbook examples/How_to_count_tokens_with_tiktoken.ipynb].
 * The cookbook calls these "an estimate, not a timeless guarantee" (reference §14).
 */
export const OPENAI_OVERHEAD = { perMessage: 3, perName: 1, replyPriming: 3, perFunction: 7, afterFunctions: 12 } as const;

/** Encodes with a per-session memo: a conversation resends the same messages every turn. */
export function memoEncoder(tokenizer: Tokenizer): (text: string) => number[] {
  const memo = new Map<string, number[]>();
  return (text) => {
    let ids = memo.get(text);
    if (!ids) {
      ids = tokenizer.encode(text);
      memo.set(text, ids);
    }
    return ids;
  };
}

/** A stable negative id for content we do not tokenize (images, files, audio): equal inputs, equal token. */
function placeholderId(value: unknown): number {
  const text = JSON.stringify(value) ?? '';
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return -1000 - ((hash >>> 0) % 1_000_000_000);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/** The cache_control / prompt_cache_breakpoint markers are not content: moving one does not change the prefix. */
function withoutMarkers(value: unknown): unknown {
  if (!isObject(value)) return value;
  const { cache_control: _c, prompt_cache_breakpoint: _b, ...rest } = value;
  return rest;
}

class Builder {
  /** A growing typed buffer, not a number[]: a long conversation renders millions of tokens per log, and a
   *  boxed-number array of that size spent more time in garbage collection than in rendering. */
  private buffer = new Int32Array(4096);
  length = 0;
  readonly parts: PartSpan[] = [];
  readonly blocks: BlockSpan[] = [];
  readonly notes: string[] = [];

  constructor(private readonly encode: (text: string) => number[]) {}

  get tokens(): Int32Array {
    return this.buffer.slice(0, this.length);
  }

  push(part: RequestPart, ids: readonly number[], text?: string): void {
    if (ids.length === 0) return;
    const start = this.length;
    if (start + ids.length > this.buffer.length) {
      const grown = new Int32Array(Math.max(this.buffer.length * 2, start + ids.length));
      grown.set(this.buffer.subarray(0, start));
      this.buffer = grown;
    }
    this.buffer.set(ids, start);
    this.length = start + ids.length;
    const last = this.parts[this.parts.length - 1];
    if (last && last.end === start && samePart(last.part, part)) {
      last.end = this.length;
      if (text !== undefined) last.text = (last.text ?? '') + text;
    } else this.parts.push(text === undefined ? { start, end: this.length, part } : { start, end: this.length, part, text });
  }

  text(part: RequestPart, text: string): void {
    this.push(part, this.encode(text), text);
  }

  block(path: string, marker: unknown, empty = false, defaultTtl: '5m' | '30m' = '5m'): void {
    const block: BlockSpan = { end: this.length, path };
    const ttl = isObject(marker) && (marker.ttl === '1h' || marker.ttl === '5m' || marker.ttl === '30m') ? marker.ttl : defaultTtl;
    if (marker !== undefined && marker !== null && marker !== false) block.breakpoint = { ttl };
    if (empty) block.uncacheable = true;
    this.blocks.push(block);
  }
}

function samePart(a: RequestPart, b: RequestPart): boolean {
  return a.kind === b.kind && a.index === b.index && a.field === b.field && a.partIndex === b.partIndex && a.path === b.path;
}

/** Renders the content of an OpenAI message (string or content parts). */
function openAiContent(b: Builder, content: unknown, base: RequestPart): void {
  if (typeof content === 'string') {
    b.text(base, content);
    return;
  }
  if (!Array.isArray(content)) {
    if (content !== undefined && content !== null) b.text(base, asText(content));
    return;
  }
  content.forEach((item, partIndex) => {
    const part: RequestPart = { ...base, partIndex, path: `${base.path}[${partIndex}]` };
    if (!isObject(item)) {
      b.text(part, asText(item));
    } else if (typeof item.text === 'string') {
      b.text({ ...part, field: 'text', path: `${part.path}.text` }, item.text);
    } else if (typeof item.refusal === 'string') {
      b.text(part, item.refusal);
    } else {
      // Images, audio, files: token counts depend on size and detail; one placeholder token keyed by the content
      // (and `detail`, which changes tokenization [OAI-guide]) keeps equality without inventing a count.
      b.push(part, [placeholderId(withoutMarkers(item))]);
      b.notes.push(`${part.path}: ${String(item.type ?? 'non-text')} content counted as one placeholder token`);
    }
    // GPT-5.6+: an explicit `prompt_cache_breakpoint` on a content block [OAI-guide].
    if (isObject(item) && item.prompt_cache_breakpoint) b.block(part.path, item.prompt_cache_breakpoint, false, '30m');
  });
}

interface OpenAiMessage {
  role: string;
  content?: unknown;
  name?: unknown;
  extra: Array<[string, unknown]>;
  path: string;
}

function renderOpenAiMessages(b: Builder, messages: OpenAiMessage[], encode: (text: string) => number[], explicitOnly: boolean): void {
  messages.forEach((message, index) => {
    const base: RequestPart = { kind: 'message', index, role: message.role, path: message.path };
    const overhead: RequestPart = { kind: 'overhead', index, role: message.role, path: message.path };
    b.push(overhead, [T.start]);
    b.push({ ...base, field: 'role', path: `${message.path}.role` }, encode(message.role));
    if (typeof message.name === 'string') {
      b.push({ ...overhead, field: 'name' }, [T.name]);
      b.text({ ...base, field: 'name', path: `${message.path}.name` }, message.name);
    }
    b.push(overhead, [T.message]);
    openAiContent(b, message.content, { ...base, field: 'content', path: `${message.path}.content` });
    for (const [field, value] of message.extra) b.text({ ...base, field, path: `${message.path}.${field}` }, asText(value));
    b.push(overhead, [T.end]);
    // GPT-5.6+: a managed breakpoint sits on the latest message unless mode is explicit [OAI-guide].
    const latest = index === messages.length - 1;
    b.block(message.path, latest && !explicitOnly ? { ttl: '30m' } : undefined, false, '30m');
  });
  const priming: RequestPart = { kind: 'reply-priming', path: '(reply priming)' };
  b.push(priming, [T.start, ...encode('assistant'), T.message]);
}

function renderSettings(b: Builder, settings: Array<[string, unknown]>): void {
  for (const [key, value] of settings) {
    if (value === undefined) continue;
    b.push({ kind: 'settings', name: key, path: key }, [T.setting]);
    b.text({ kind: 'settings', name: key, path: key }, `${key}=${JSON.stringify(value)}`);
  }
}

function renderOpenAiTools(b: Builder, tools: unknown[], path: string): void {
  tools.forEach((tool, index) => {
    const name = isObject(tool) ? String((isObject(tool.function) ? tool.function.name : tool.name) ?? '') : '';
    const part: RequestPart = { kind: 'tool', index, name, path: `${path}[${index}]` };
    b.push({ ...part, kind: 'overhead' }, new Array(OPENAI_OVERHEAD.perFunction).fill(T.toolInit));
    b.text(part, JSON.stringify(withoutMarkers(tool)) ?? '');
  });
  if (tools.length > 0) b.push({ kind: 'overhead', path }, new Array(OPENAI_OVERHEAD.afterFunctions).fill(T.toolsEnd));
}

function renderSchema(b: Builder, schema: unknown, path: string): void {
  if (schema === undefined) return;
  b.push({ kind: 'response-schema', path }, [T.schema]);
  b.text({ kind: 'response-schema', path }, JSON.stringify(schema) ?? '');
}

const retentionOf = (body: Record<string, unknown>) =>
  body.prompt_cache_retention === '24h' || body.prompt_cache_retention === 'in_memory' ? body.prompt_cache_retention : undefined;

const explicitOnlyOf = (body: Record<string, unknown>) => isObject(body.prompt_cache_options) && body.prompt_cache_options.mode === 'explicit';

function finish(b: Builder, api: RequestApi, body: Record<string, unknown>, tools: unknown[], responseSchema: unknown, extra: Partial<RenderedRequest> = {}): RenderedRequest {
  return {
    api,
    model: typeof body.model === 'string' ? body.model : '',
    tokens: b.tokens,
    parts: b.parts,
    blocks: b.blocks,
    tools,
    responseSchema,
    notes: b.notes,
    ...extra,
  };
}

export function renderOpenAiChat(body: Record<string, unknown>, encode: (text: string) => number[]): RenderedRequest {
  const b = new Builder(encode);
  const tools = Array.isArray(body.tools) ? body.tools : Array.isArray(body.functions) ? body.functions : [];
  // Reasoning effort and verbosity change the rendered prompt: a cache break [OAI-cookbook §5; OAI-diag reasons].
  renderSettings(b, [['reasoning_effort', body.reasoning_effort], ['verbosity', body.verbosity]]);
  // Tools and schemas go before the instructions [OAI-cookbook]; the schema is a prefix to the system message [OAI-guide].
  renderOpenAiTools(b, tools, Array.isArray(body.tools) ? 'tools' : 'functions');
  const format = isObject(body.response_format) ? body.response_format : undefined;
  const schema = format && format.type === 'json_schema' ? format.json_schema : format;
  renderSchema(b, schema, 'response_format');
  const messages: OpenAiMessage[] = [];
  (Array.isArray(body.messages) ? body.messages : []).forEach((raw, index) => {
    const path = `messages[${index}]`;
    if (!isObject(raw)) {
      b.notes.push(`${path} is not an object; rendered as text`);
      messages.push({ role: 'user', content: asText(raw), extra: [], path });
      return;
    }
    const extra: Array<[string, unknown]> = [];
    // xAI drops the cache when reasoning_content is omitted [XAI-doc multi-turn]: it is part of the prefix.
    for (const field of ['reasoning_content', 'tool_calls', 'function_call', 'tool_call_id'] as const) if (raw[field] !== undefined) extra.push([field, raw[field]]);
    messages.push({ role: typeof raw.role === 'string' ? raw.role : 'user', content: raw.content, name: raw.name, extra, path });
  });
  renderOpenAiMessages(b, messages, encode, explicitOnlyOf(body));
  return finish(b, 'openai-chat', body, tools, schema, { retention: retentionOf(body), explicitOnly: explicitOnlyOf(body) });
}

export function renderOpenAiResponses(body: Record<string, unknown>, encode: (text: string) => number[]): RenderedRequest {
  const b = new Builder(encode);
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const reasoning = isObject(body.reasoning) ? body.reasoning.effort : undefined;
  const text = isObject(body.text) ? body.text : undefined;
  renderSettings(b, [['reasoning.effort', reasoning], ['text.verbosity', text?.verbosity]]);
  renderOpenAiTools(b, tools, 'tools');
  const schema = text && isObject(text.format) && text.format.type === 'json_schema' ? text.format : undefined;
  renderSchema(b, schema, 'text.format');
  const messages: OpenAiMessage[] = [];
  if (typeof body.instructions === 'string') messages.push({ role: 'developer', content: body.instructions, extra: [], path: 'instructions' });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input, extra: [], path: 'input' });
  else if (Array.isArray(body.input)) {
    body.input.forEach((item, index) => {
      const path = `input[${index}]`;
      if (!isObject(item)) return void messages.push({ role: 'user', content: asText(item), extra: [], path });
      if (typeof item.role === 'string') return void messages.push({ role: item.role, content: item.content, extra: [], path });
      // function_call, function_call_output, reasoning items: their fields in the given order, minus the type.
      const { type, ...fields } = item;
      messages.push({ role: String(type ?? 'item'), extra: Object.entries(fields), path });
    });
  }
  if (typeof body.previous_response_id === 'string') {
    b.notes.push('previous_response_id: the earlier turns live on the server and are not in this body; only the body is rendered');
  }
  renderOpenAiMessages(b, messages, encode, explicitOnlyOf(body));
  return finish(b, 'openai-responses', body, tools, schema, { retention: retentionOf(body), explicitOnly: explicitOnlyOf(body) });
}

/** Anthropic content blocks: each is one lookback block; `cache_control` on it is a breakpoint [ANT-doc]. */
function anthropicBlock(b: Builder, block: unknown, part: RequestPart): void {
  b.push({ ...part, kind: 'overhead' }, [T.block]);
  if (typeof block === 'string') {
    b.text(part, block);
    b.block(part.path, undefined, block === '');
    return;
  }
  if (!isObject(block)) {
    b.text(part, asText(block));
    b.block(part.path, undefined);
    return;
  }
  const type = String(block.type ?? '');
  let empty = false;
  if (type === 'text') {
    const text = typeof block.text === 'string' ? block.text : '';
    empty = text === ''; // empty text blocks cannot be cached [ANT-doc]
    b.text({ ...part, field: 'text', path: `${part.path}.text` }, text);
  } else if (type === 'thinking' || type === 'redacted_thinking') {
    b.text({ ...part, field: type, path: part.path }, asText(block.thinking ?? block.data ?? ''));
  } else if (type === 'tool_use') {
    b.text({ ...part, field: 'tool_use', path: part.path }, `${asText(block.name)}${JSON.stringify(block.input ?? {})}`);
  } else if (type === 'tool_result') {
    const content = block.content;
    const text = Array.isArray(content) ? content.map((item) => (isObject(item) && typeof item.text === 'string' ? item.text : asText(item))).join('') : asText(content ?? '');
    b.text({ ...part, field: 'tool_result', path: part.path }, text);
  } else {
    b.push(part, [placeholderId(withoutMarkers(block))]);
    b.notes.push(`${part.path}: ${type || 'untyped'} block counted as one placeholder token`);
  }
  b.block(part.path, block.cache_control, empty);
}

export function renderAnthropic(body: Record<string, unknown>, encode: (text: string) => number[]): RenderedRequest {
  const b = new Builder(encode);
  const tools = Array.isArray(body.tools) ? body.tools : [];
  // Order tools → system → messages [ANT-doc].
  tools.forEach((tool, index) => {
    const part: RequestPart = { kind: 'tool', index, name: isObject(tool) ? String(tool.name ?? '') : '', path: `tools[${index}]` };
    b.push({ ...part, kind: 'overhead' }, [T.block]);
    b.text(part, JSON.stringify(withoutMarkers(tool)) ?? '');
    b.block(part.path, isObject(tool) ? tool.cache_control : undefined);
  });
  if (typeof body.system === 'string') anthropicBlock(b, body.system, { kind: 'system', index: 0, path: 'system' });
  else if (Array.isArray(body.system)) body.system.forEach((block, index) => anthropicBlock(b, block, { kind: 'system', index, path: `system[${index}]` }));
  // tool_choice and thinking keep tools and system cached but invalidate messages [ANT-doc invalidation matrix].
  renderSettings(b, [['tool_choice', body.tool_choice], ['thinking', body.thinking], ['output_config', body.output_config]]);
  (Array.isArray(body.messages) ? body.messages : []).forEach((raw, index) => {
    const path = `messages[${index}]`;
    const message = isObject(raw) ? raw : { role: 'user', content: asText(raw) };
    const role = typeof message.role === 'string' ? message.role : 'user';
    const base: RequestPart = { kind: 'message', index, role, field: 'content', path: `${path}.content` };
    b.push({ kind: 'overhead', index, role, path }, [T.start]);
    b.push({ kind: 'message', index, role, field: 'role', path: `${path}.role` }, encode(role));
    b.push({ kind: 'overhead', index, role, path }, [T.message]);
    if (Array.isArray(message.content)) message.content.forEach((block, partIndex) => anthropicBlock(b, block, { ...base, partIndex, path: `${path}.content[${partIndex}]` }));
    else anthropicBlock(b, message.content ?? '', base);
  });
  const top = isObject(body.cache_control) ? body.cache_control : undefined;
  const automaticBreakpoint = top ? { ttl: top.ttl === '1h' ? ('1h' as const) : ('5m' as const) } : undefined;
  return finish(b, 'anthropic-messages', body, tools, undefined, { automaticBreakpoint });
}

/** Which API a body is: Anthropic has a top-level `system`/content blocks or `max_tokens` with `messages` and no OpenAI roles. */
export function detectApi(body: Record<string, unknown>): RequestApi | undefined {
  if ('input' in body || 'instructions' in body) return 'openai-responses';
  if (!Array.isArray(body.messages)) return undefined;
  if ('system' in body || 'cache_control' in body || /claude|anthropic/i.test(String(body.model ?? ''))) return 'anthropic-messages';
  const usesAnthropicBlocks = body.messages.some(
    (message) => isObject(message) && Array.isArray(message.content) && message.content.some((block) => isObject(block) && ['tool_use', 'tool_result', 'thinking'].includes(String(block.type))),
  );
  return usesAnthropicBlocks ? 'anthropic-messages' : 'openai-chat';
}

export function renderRequest(api: RequestApi, body: Record<string, unknown>, encode: (text: string) => number[]): RenderedRequest {
  switch (api) {
    case 'openai-chat':
      return renderOpenAiChat(body, encode);
    case 'openai-responses':
      return renderOpenAiResponses(body, encode);
    default:
      return renderAnthropic(body, encode);
  }
}

/** The span that rendered token `index`, by binary search over the spans. */
export function spanAt(rendered: RenderedRequest, index: number): PartSpan | undefined {
  const parts = rendered.parts;
  let low = 0;
  let high = parts.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (parts[mid].end <= index) low = mid + 1;
    else if (parts[mid].start > index) high = mid - 1;
    else return parts[mid];
  }
  return undefined;
}

/** The request part that rendered token `index`. */
export function partAt(rendered: RenderedRequest, index: number): RequestPart | undefined {
  return spanAt(rendered, index)?.part;
}
