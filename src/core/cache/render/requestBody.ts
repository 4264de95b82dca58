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
import type { Tokenizer } from '../../tokenize';
import type { BlockSpan, PartSpan, RenderedRequest, RequestApi, RequestPart } from '../types';
import { isRecord } from '../../../../common/text';

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
const OPENAI_OVERHEAD = { perMessage: 3, perName: 1, replyPriming: 3, perFunction: 7, afterFunctions: 12 } as const;

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

const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');

/** The cache_control / prompt_cache_breakpoint markers are not content: moving one does not change the prefix. */
function withoutMarkers(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const { cache_control: _c, prompt_cache_breakpoint: _b, ...rest } = value;
  return rest;
}

/**
 * Renders kept across the requests of one log, for one encoder. A growing conversation resends the same
 * message objects at the same positions on every turn (readConversation splits one body into requests that
 * share them), so:
 *   - each message is encoded and framed once (a Chunk), and a later request at the same place copies it;
 *   - a request that renders what the previous one did, message for message, takes that request's tokens,
 *     spans and blocks as they are, copied in one piece where it first does something else (its new turn).
 * Rendering a log becomes linear in its distinct messages instead of quadratic. Both are exact: a chunk is
 * reused only for the same object at the same place (API, index, item, first token), and a request follows
 * the previous one only while its content is provably the same. Shared spans are read-only: no span is
 * extended across a message boundary. Holds no message alive (WeakMap).
 */
export class RenderMemo {
  private readonly chunks = new WeakMap<object, Chunk[]>();
  /** The last request rendered: the next one of a growing conversation repeats it before its new turn. */
  previous: Trace | undefined;

  constructor(readonly encode: (text: string) => number[]) {}

  find(source: object, api: MessageApi, index: number, item: number, start: number): Chunk | undefined {
    const list = this.chunks.get(source);
    if (!list) return undefined;
    for (const chunk of list) if (chunk.start === start && chunk.index === index && chunk.item === item && chunk.api === api) return chunk;
    return undefined;
  }

  store(chunk: Chunk): void {
    const list = this.chunks.get(chunk.source) ?? [];
    // A message rarely sits at more than one place in a log; a few kept places cover edits before it.
    if (list.length >= MAX_PLACES_PER_MESSAGE) list.shift();
    list.push(chunk);
    this.chunks.set(chunk.source, list);
  }
}

const MAX_PLACES_PER_MESSAGE = 4;

/** Which list a message comes from: its JSON path is `messages[item]` (Chat Completions, Anthropic) or `input[item]` (Responses). */
type MessageApi = 'chat' | 'responses' | 'anthropic';

/** One message rendered where it sits: its index among the rendered messages, `item` in the body's list, its first token. */
interface Chunk {
  source: object;
  api: MessageApi;
  index: number;
  item: number;
  start: number;
  tokens: Int32Array;
  /** Spans and blocks at absolute positions. */
  parts: PartSpan[];
  blocks: BlockSpan[];
  notes: string[];
}

/** Sizes of a render in progress: tokens, spans, blocks, notes. */
interface Counts {
  length: number;
  parts: number;
  blocks: number;
  notes: number;
}

/** A rendered request and how: what came before its first message, the chunk of each message and the sizes after it. */
interface Trace {
  tokens: Int32Array;
  parts: PartSpan[];
  blocks: BlockSpan[];
  notes: string[];
  first: Counts | undefined;
  chunks: Array<Chunk | undefined>;
  /** Counts after message k at [4k, 4k + 4): length, parts, blocks, notes (a flat array: one read per message). */
  after: number[];
}

class Builder {
  /** A growing typed buffer, not a number[]: a long conversation renders millions of tokens per log, and a
   *  boxed-number array of that size spent more time in garbage collection than in rendering. */
  private buffer: Int32Array;
  /** The absolute token position of buffer[0]: a message rendered for the memo starts where it sits in its request. */
  private readonly origin: number;
  /** Absolute position after the last token. */
  length: number;
  private parts: PartSpan[] = [];
  private blocks: BlockSpan[] = [];
  private notes: string[] = [];
  /** parts[0, sealed) end before a message boundary, which no span continues across; memo spans among them are shared. */
  private sealed = 0;
  /** Only on a request's own builder with a memo for its encoder. */
  private readonly memo: RenderMemo | undefined;
  /** What this request does, for the next one to follow. */
  private readonly trace: Omit<Trace, 'tokens' | 'parts' | 'blocks' | 'notes'> = { first: undefined, chunks: [], after: [] };
  /**
   * While set, this request has rendered exactly what the previous one had at these sizes: its content is
   * that request's, not copied yet (copy()).
   */
  private following: { previous: Trace; parts: number; blocks: number; notes: number } | undefined;

  constructor(
    private readonly encode: (text: string) => number[],
    memo?: RenderMemo,
    origin = 0,
  ) {
    this.origin = origin;
    this.length = origin;
    this.memo = memo && memo.encode === encode && origin === 0 ? memo : undefined;
    // Sized for the previous request of the log, so a growing conversation seldom copies its buffer.
    this.buffer = new Int32Array(Math.max(4096, Math.ceil((this.memo?.previous?.tokens.length ?? 0) * 1.25)));
  }

  /** The rendered request's content; the memo keeps it (and how it was made) for the next request. */
  done(): { tokens: Int32Array; parts: PartSpan[]; blocks: BlockSpan[]; notes: string[] } {
    this.copy();
    const content = { tokens: this.buffer.slice(0, this.length - this.origin), parts: this.parts, blocks: this.blocks, notes: this.notes };
    if (this.memo) this.memo.previous = { ...content, ...this.trace };
    return content;
  }

  private reserve(count: number): number {
    const at = this.length - this.origin;
    if (at + count > this.buffer.length) {
      const grown = new Int32Array(Math.max(this.buffer.length * 2, at + count));
      grown.set(this.buffer.subarray(0, at));
      this.buffer = grown;
    }
    return at;
  }

  push(part: RequestPart, ids: readonly number[], text?: string): void {
    if (ids.length === 0) return;
    this.copy();
    const start = this.length;
    const at = this.reserve(ids.length); // before reading this.buffer: reserve may replace it
    this.buffer.set(ids, at);
    this.length = start + ids.length;
    const last = this.parts.length > this.sealed ? this.parts[this.parts.length - 1] : undefined;
    if (last && last.end === start && samePart(last.part, part)) {
      last.end = this.length;
      if (text !== undefined) last.text = (last.text ?? '') + text;
    } else this.parts.push(text === undefined ? { start, end: this.length, part } : { start, end: this.length, part, text });
  }

  text(part: RequestPart, text: string): void {
    this.push(part, this.encode(text), text);
  }

  /** What could not be rendered exactly. */
  note(text: string): void {
    this.copy();
    this.notes.push(text);
  }

  block(path: string, marker: unknown, empty = false, defaultTtl: '5m' | '30m' = '5m'): void {
    const block: BlockSpan = { end: this.length, path };
    const ttl = isRecord(marker) && (marker.ttl === '1h' || marker.ttl === '5m' || marker.ttl === '30m') ? marker.ttl : defaultTtl;
    if (marker !== undefined && marker !== null && marker !== false) block.breakpoint = { ttl };
    if (empty) block.uncacheable = true;
    const following = this.following;
    if (following && sameBlock(following.previous.blocks[following.blocks], block)) following.blocks++;
    else {
      this.copy();
      this.blocks.push(block);
    }
  }

  /**
   * Renders one message with `render`: as the previous request did, when it rendered the same object at the same
   * place and everything before it the same; else copied from the memo when the object was rendered at this
   * place before; else afresh. Without a memo or an object, in place. Either way the message's spans start and
   * end with it, so a copied render is the render it would get afresh.
   */
  message(source: unknown, api: MessageApi, index: number, item: number, render: (b: Builder) => void): void {
    const memo = this.memo;
    if (memo && this.trace.first === undefined) this.startFollowing(memo);
    const call = this.trace.chunks.length;
    const following = this.following;
    if (following) {
      // Everything so far is the previous request's, so this message starts where its message did.
      const chunk = following.previous.chunks[call];
      if (chunk && chunk.source === source && chunk.index === index && chunk.item === item && chunk.api === api) {
        const after = following.previous.after;
        this.length = after[4 * call];
        following.parts = after[4 * call + 1];
        following.blocks = after[4 * call + 2];
        following.notes = after[4 * call + 3];
        this.trace.chunks.push(chunk);
        this.trace.after.push(this.length, following.parts, following.blocks, following.notes);
        return;
      }
      this.copy();
    }
    this.sealed = this.parts.length;
    let chunk: Chunk | undefined;
    if (memo && typeof source === 'object' && source !== null) {
      chunk = memo.find(source, api, index, item, this.length);
      if (!chunk) {
        const own = new Builder(this.encode, undefined, this.length);
        render(own);
        chunk = { source, api, index, item, start: this.length, ...own.done() };
        memo.store(chunk);
      }
      const at = this.reserve(chunk.tokens.length);
      this.buffer.set(chunk.tokens, at);
      this.length = chunk.start + chunk.tokens.length;
      for (const span of chunk.parts) this.parts.push(span);
      for (const block of chunk.blocks) this.blocks.push(block);
      for (const note of chunk.notes) this.notes.push(note);
    } else render(this);
    this.sealed = this.parts.length;
    if (memo) {
      this.trace.chunks.push(chunk);
      this.trace.after.push(this.length, this.parts.length, this.blocks.length, this.notes.length);
    }
  }

  /** At the first message: follow the previous request if everything rendered before its first message was the same. */
  private startFollowing(memo: RenderMemo): void {
    this.trace.first = { length: this.length, parts: this.parts.length, blocks: this.blocks.length, notes: this.notes.length };
    const previous = memo.previous;
    const first = previous?.first;
    if (!previous || !first || first.length !== this.length || first.parts !== this.parts.length || first.blocks !== this.blocks.length || first.notes !== this.notes.length) return;
    for (let i = 0; i < this.length; i++) if (this.buffer[i] !== previous.tokens[i]) return;
    if (!this.parts.every((span, i) => sameSpan(span, previous.parts[i]))) return;
    if (!this.blocks.every((block, i) => sameBlock(block, previous.blocks[i])) || !this.notes.every((note, i) => note === previous.notes[i])) return;
    this.following = { previous, parts: first.parts, blocks: first.blocks, notes: first.notes };
  }

  /** Stops following: this request's content so far, taken from the previous request in one piece. */
  private copy(): void {
    const following = this.following;
    if (!following) return;
    this.following = undefined;
    const { previous } = following;
    if (this.buffer.length < this.length) this.buffer = new Int32Array(Math.ceil(this.length * 1.25));
    this.buffer.set(previous.tokens.subarray(0, this.length));
    this.parts = previous.parts.slice(0, following.parts);
    this.blocks = previous.blocks.slice(0, following.blocks);
    this.notes = previous.notes.slice(0, following.notes);
    this.sealed = this.parts.length;
  }
}

function sameSpan(a: PartSpan, b: PartSpan): boolean {
  return a.start === b.start && a.end === b.end && a.text === b.text && samePart(a.part, b.part);
}

function sameBlock(a: BlockSpan | undefined, b: BlockSpan): boolean {
  return a !== undefined && a.end === b.end && a.path === b.path && a.uncacheable === b.uncacheable && a.breakpoint?.ttl === b.breakpoint?.ttl && a.breakpoint?.automatic === b.breakpoint?.automatic;
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
    if (!isRecord(item)) {
      b.text(part, asText(item));
    } else if (typeof item.text === 'string') {
      b.text({ ...part, field: 'text', path: `${part.path}.text` }, item.text);
    } else if (typeof item.refusal === 'string') {
      b.text(part, item.refusal);
    } else {
      // Images, audio, files: token counts depend on size and detail; one placeholder token keyed by the content
      // (and `detail`, which changes tokenization [OAI-guide]) keeps equality without inventing a count.
      b.push(part, [placeholderId(withoutMarkers(item))]);
      b.note(`${part.path}: ${String(item.type ?? 'non-text')} content counted as one placeholder token`);
    }
    // GPT-5.6+: an explicit `prompt_cache_breakpoint` on a content block [OAI-guide].
    if (isRecord(item) && item.prompt_cache_breakpoint) b.block(part.path, item.prompt_cache_breakpoint, false, '30m');
  });
}

interface OpenAiMessage {
  role: string;
  content?: unknown;
  name?: unknown;
  extra: Array<[string, unknown]>;
  path: string;
  /** The body's object this message was read from, and its index in the body's list: what the memo keys its render by. */
  source?: object;
  item?: number;
}

function renderOpenAiMessages(b: Builder, api: 'chat' | 'responses', messages: OpenAiMessage[], encode: (text: string) => number[], explicitOnly: boolean): void {
  messages.forEach((message, index) => {
    b.message(message.source, api, index, message.item ?? -1, (m) => {
      const base: RequestPart = { kind: 'message', index, role: message.role, path: message.path };
      const overhead: RequestPart = { kind: 'overhead', index, role: message.role, path: message.path };
      m.push(overhead, [T.start]);
      m.push({ ...base, field: 'role', path: `${message.path}.role` }, encode(message.role));
      if (typeof message.name === 'string') {
        m.push({ ...overhead, field: 'name' }, [T.name]);
        m.text({ ...base, field: 'name', path: `${message.path}.name` }, message.name);
      }
      m.push(overhead, [T.message]);
      openAiContent(m, message.content, { ...base, field: 'content', path: `${message.path}.content` });
      for (const [field, value] of message.extra) m.text({ ...base, field, path: `${message.path}.${field}` }, asText(value));
      m.push(overhead, [T.end]);
    });
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
    const name = isRecord(tool) ? String((isRecord(tool.function) ? tool.function.name : tool.name) ?? '') : '';
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

const explicitOnlyOf = (body: Record<string, unknown>) => isRecord(body.prompt_cache_options) && body.prompt_cache_options.mode === 'explicit';

function finish(b: Builder, api: RequestApi, body: Record<string, unknown>, tools: unknown[], responseSchema: unknown, extra: Partial<RenderedRequest> = {}): RenderedRequest {
  const { tokens, parts, blocks, notes } = b.done();
  return {
    api,
    model: typeof body.model === 'string' ? body.model : '',
    tokens,
    parts,
    blocks,
    tools,
    responseSchema,
    notes,
    ...extra,
  };
}

/** `memo`: renders of the log's earlier requests to reuse (see RenderMemo); the result is the same without it. */
export function renderOpenAiChat(body: Record<string, unknown>, encode: (text: string) => number[], memo?: RenderMemo): RenderedRequest {
  const b = new Builder(encode, memo);
  const tools = Array.isArray(body.tools) ? body.tools : Array.isArray(body.functions) ? body.functions : [];
  // Reasoning effort and verbosity change the rendered prompt: a cache break [OAI-cookbook §5; OAI-diag reasons].
  renderSettings(b, [['reasoning_effort', body.reasoning_effort], ['verbosity', body.verbosity]]);
  // Tools and schemas go before the instructions [OAI-cookbook]; the schema is a prefix to the system message [OAI-guide].
  renderOpenAiTools(b, tools, Array.isArray(body.tools) ? 'tools' : 'functions');
  const format = isRecord(body.response_format) ? body.response_format : undefined;
  const schema = format && format.type === 'json_schema' ? format.json_schema : format;
  renderSchema(b, schema, 'response_format');
  const messages: OpenAiMessage[] = [];
  (Array.isArray(body.messages) ? body.messages : []).forEach((raw, index) => {
    const path = `messages[${index}]`;
    if (!isRecord(raw)) {
      b.note(`${path} is not an object; rendered as text`);
      messages.push({ role: 'user', content: asText(raw), extra: [], path });
      return;
    }
    const extra: Array<[string, unknown]> = [];
    // xAI drops the cache when reasoning_content is omitted [XAI-doc multi-turn]: it is part of the prefix.
    for (const field of ['reasoning_content', 'tool_calls', 'function_call', 'tool_call_id'] as const) if (raw[field] !== undefined) extra.push([field, raw[field]]);
    messages.push({ role: typeof raw.role === 'string' ? raw.role : 'user', content: raw.content, name: raw.name, extra, path, source: raw, item: index });
  });
  renderOpenAiMessages(b, 'chat', messages, encode, explicitOnlyOf(body));
  return finish(b, 'openai-chat', body, tools, schema, { retention: retentionOf(body), explicitOnly: explicitOnlyOf(body) });
}

export function renderOpenAiResponses(body: Record<string, unknown>, encode: (text: string) => number[], memo?: RenderMemo): RenderedRequest {
  const b = new Builder(encode, memo);
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const reasoning = isRecord(body.reasoning) ? body.reasoning.effort : undefined;
  const text = isRecord(body.text) ? body.text : undefined;
  renderSettings(b, [['reasoning.effort', reasoning], ['text.verbosity', text?.verbosity]]);
  renderOpenAiTools(b, tools, 'tools');
  const schema = text && isRecord(text.format) && text.format.type === 'json_schema' ? text.format : undefined;
  renderSchema(b, schema, 'text.format');
  const messages: OpenAiMessage[] = [];
  if (typeof body.instructions === 'string') messages.push({ role: 'developer', content: body.instructions, extra: [], path: 'instructions' });
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input, extra: [], path: 'input' });
  else if (Array.isArray(body.input)) {
    body.input.forEach((item, index) => {
      const path = `input[${index}]`;
      if (!isRecord(item)) return void messages.push({ role: 'user', content: asText(item), extra: [], path });
      if (typeof item.role === 'string') return void messages.push({ role: item.role, content: item.content, extra: [], path, source: item, item: index });
      // function_call, function_call_output, reasoning items: their fields in the given order, minus the type.
      const { type, ...fields } = item;
      messages.push({ role: String(type ?? 'item'), extra: Object.entries(fields), path, source: item, item: index });
    });
  }
  if (typeof body.previous_response_id === 'string') {
    b.note('previous_response_id: the earlier turns live on the server and are not in this body; only the body is rendered');
  }
  renderOpenAiMessages(b, 'responses', messages, encode, explicitOnlyOf(body));
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
  if (!isRecord(block)) {
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
    const text = Array.isArray(content) ? content.map((item) => (isRecord(item) && typeof item.text === 'string' ? item.text : asText(item))).join('') : asText(content ?? '');
    b.text({ ...part, field: 'tool_result', path: part.path }, text);
  } else {
    b.push(part, [placeholderId(withoutMarkers(block))]);
    b.note(`${part.path}: ${type || 'untyped'} block counted as one placeholder token`);
  }
  b.block(part.path, block.cache_control, empty);
}

export function renderAnthropic(body: Record<string, unknown>, encode: (text: string) => number[], memo?: RenderMemo): RenderedRequest {
  const b = new Builder(encode, memo);
  const tools = Array.isArray(body.tools) ? body.tools : [];
  // Order tools → system → messages [ANT-doc].
  tools.forEach((tool, index) => {
    const part: RequestPart = { kind: 'tool', index, name: isRecord(tool) ? String(tool.name ?? '') : '', path: `tools[${index}]` };
    b.push({ ...part, kind: 'overhead' }, [T.block]);
    b.text(part, JSON.stringify(withoutMarkers(tool)) ?? '');
    b.block(part.path, isRecord(tool) ? tool.cache_control : undefined);
  });
  if (typeof body.system === 'string') anthropicBlock(b, body.system, { kind: 'system', index: 0, path: 'system' });
  else if (Array.isArray(body.system)) body.system.forEach((block, index) => anthropicBlock(b, block, { kind: 'system', index, path: `system[${index}]` }));
  // tool_choice and thinking keep tools and system cached but invalidate messages [ANT-doc invalidation matrix].
  renderSettings(b, [['tool_choice', body.tool_choice], ['thinking', body.thinking], ['output_config', body.output_config]]);
  (Array.isArray(body.messages) ? body.messages : []).forEach((raw, index) => {
    const path = `messages[${index}]`;
    const message = isRecord(raw) ? raw : { role: 'user', content: asText(raw) };
    const role = typeof message.role === 'string' ? message.role : 'user';
    b.message(raw, 'anthropic', index, index, (m) => {
      const base: RequestPart = { kind: 'message', index, role, field: 'content', path: `${path}.content` };
      m.push({ kind: 'overhead', index, role, path }, [T.start]);
      m.push({ kind: 'message', index, role, field: 'role', path: `${path}.role` }, encode(role));
      m.push({ kind: 'overhead', index, role, path }, [T.message]);
      if (Array.isArray(message.content)) message.content.forEach((block, partIndex) => anthropicBlock(m, block, { ...base, partIndex, path: `${path}.content[${partIndex}]` }));
      else anthropicBlock(m, message.content ?? '', base);
    });
  });
  const top = isRecord(body.cache_control) ? body.cache_control : undefined;
  const automaticBreakpoint = top ? { ttl: top.ttl === '1h' ? ('1h' as const) : ('5m' as const) } : undefined;
  return finish(b, 'anthropic-messages', body, tools, undefined, { automaticBreakpoint });
}

/** Which API a body is: Anthropic has a top-level `system`/content blocks or `max_tokens` with `messages` and no OpenAI roles. */
export function detectApi(body: Record<string, unknown>): RequestApi | undefined {
  if ('input' in body || 'instructions' in body) return 'openai-responses';
  if (!Array.isArray(body.messages)) return undefined;
  if ('system' in body || 'cache_control' in body || /claude|anthropic/i.test(String(body.model ?? ''))) return 'anthropic-messages';
  const usesAnthropicBlocks = body.messages.some(
    (message) => isRecord(message) && Array.isArray(message.content) && message.content.some((block) => isRecord(block) && ['tool_use', 'tool_result', 'thinking'].includes(String(block.type))),
  );
  return usesAnthropicBlocks ? 'anthropic-messages' : 'openai-chat';
}

export function renderRequest(api: RequestApi, body: Record<string, unknown>, encode: (text: string) => number[], memo?: RenderMemo): RenderedRequest {
  if (api === 'openai-chat') return renderOpenAiChat(body, encode, memo);
  return api === 'openai-responses' ? renderOpenAiResponses(body, encode, memo) : renderAnthropic(body, encode, memo);
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
