import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { Notice, Prompt, PromptKind } from '../prompt/types';
import { decodeJsEscapes } from './dialects/javascript';
import { JsonSyntaxError, parseJson } from './json';
import type { JsonValue } from './json';
import type { LineIndex } from './positions';
import { normalizeRole } from './rules';
import { guessDoubleBraceSyntax, segmentsFromDecoded, segmentsFromSource, toSegments } from './segments';
import type { RawSegment, TextSyntax } from './segments';
import { errorMessage } from '../../../common/text';

/**
 * Messages files: chat messages and request bodies stored as JSON, JSONL or YAML. Both parsers are turned
 * into one small tree, so the message rules below are written once.
 */
type DocValue =
  | { type: 'map'; entries: Map<string, DocValue> }
  | { type: 'list'; items: DocValue[] }
  /** A string value; `start`/`end` is its whole literal (quotes included) in the file. */
  | { type: 'text'; start: number; end: number; segments: (syntax: TextSyntax) => RawSegment[]; value: string }
  | { type: 'other' };

/** How many malformed JSONL lines get their own notice before the rest are summarised. */
const MAX_LINE_NOTICES = 20;

function fromJson(value: JsonValue, source: string): DocValue {
  switch (value.type) {
    case 'object':
      return { type: 'map', entries: new Map(value.entries.map((entry) => [entry.key, fromJson(entry.value, source)])) };
    case 'array':
      return { type: 'list', items: value.items.map((item) => fromJson(item, source)) };
    case 'string': {
      const { start, end } = value;
      return {
        type: 'text',
        start,
        end,
        value: value.value,
        // JSON escapes are a subset of JavaScript's, so each static stretch decodes the same way.
        segments: (syntax) => segmentsFromSource(source.slice(start + 1, end - 1), start + 1, decodeJsEscapes, syntax),
      };
    }
    default:
      return { type: 'other' };
  }
}

function fromYaml(node: unknown, source: string): DocValue {
  if (isMap(node)) {
    const entries = new Map<string, DocValue>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined) entries.set(key, fromYaml(pair.value, source));
    }
    return { type: 'map', entries };
  }
  if (isSeq(node)) return { type: 'list', items: node.items.map((item) => fromYaml(item, source)) };
  if (isScalar(node) && typeof node.value === 'string' && node.range) {
    const [start, valueEnd] = node.range;
    const value = node.value;
    const { contentStart, contentEnd } = yamlContentSpan(source, start, valueEnd, node.type);
    return {
      type: 'text',
      start,
      end: node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED' ? contentEnd : valueEnd,
      value,
      segments: (syntax) => segmentsFromDecoded(value, source, contentStart, contentEnd, syntax),
    };
  }
  return { type: 'other' };
}

/** The part of a YAML scalar that holds text: inside quotes, or the lines below a `|` / `>` header. */
function yamlContentSpan(source: string, start: number, end: number, type: string | undefined) {
  if (type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') return { contentStart: start + 1, contentEnd: Math.max(start + 1, end - 1) };
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const headerEnd = source.indexOf('\n', start);
    let contentStart = headerEnd < 0 || headerEnd >= end ? end : headerEnd + 1;
    while (contentStart < end && (source[contentStart] === ' ' || source[contentStart] === '\t')) contentStart++;
    let contentEnd = end;
    while (contentEnd > contentStart && /\s/.test(source[contentEnd - 1])) contentEnd--;
    return { contentStart, contentEnd };
  }
  return { contentStart: start, contentEnd: end };
}

interface Found {
  role?: string;
  texts: Array<Extract<DocValue, { type: 'text' }>>;
}

/** Text of a message `content`: a string, or parts `[{type: "text", text}]`, `[{text}]` (Gemini), or strings. */
function contentTexts(content: DocValue | undefined): Found['texts'] {
  if (!content) return [];
  if (content.type === 'text') return [content];
  if (content.type !== 'list') return [];
  return content.items.flatMap((part) => {
    if (part.type === 'text') return [part];
    if (part.type !== 'map') return [];
    const text = part.entries.get('text');
    return text?.type === 'text' ? [text] : [];
  });
}

function messageOf(value: DocValue): Found | undefined {
  if (value.type !== 'map') return undefined;
  const role = value.entries.get('role');
  const content = value.entries.get('content') ?? value.entries.get('parts');
  if (!role || !content) return undefined;
  return { role: role.type === 'text' ? normalizeRole(role.value) ?? role.value : undefined, texts: contentTexts(content) };
}

function messagesOf(list: DocValue | undefined): Found[] {
  if (list?.type !== 'list') return [];
  return list.items.map(messageOf).filter((found): found is Found => !!found);
}

/** Every prompt in a messages array, a single message, or an OpenAI / Anthropic / Gemini request body
 *  (`messages`, `system`, `instructions`, `input`, `prompt`, `contents`, `systemInstruction`); batch-file
 *  lines keep their request under `body`. */
function findMessages(root: DocValue): Found[] {
  if (root.type === 'list') return messagesOf(root);
  if (root.type !== 'map') return [];
  const single = messageOf(root);
  if (single) return [single];
  const get = (key: string) => root.entries.get(key);
  const found: Found[] = [];
  for (const key of ['system', 'instructions', 'system_instruction', 'systemInstruction']) {
    const value = get(key);
    const nested = value?.type === 'map' ? value.entries.get('parts') : undefined;
    const texts = contentTexts(nested ?? value);
    if (texts.length) found.push({ role: 'system', texts });
  }
  for (const key of ['prompt', 'input']) {
    const value = get(key);
    if (value?.type === 'text') found.push({ role: key === 'input' ? 'user' : undefined, texts: [value] });
  }
  found.push(...messagesOf(get('messages')), ...messagesOf(get('input')), ...messagesOf(get('contents')));
  for (const wrapper of ['body', 'request']) {
    const nested = get(wrapper);
    if (nested) found.push(...findMessages(nested));
  }
  return found;
}

function toPrompts(found: Found[], kind: PromptKind, lines: LineIndex, templated: boolean): Prompt[] {
  const prompts: Prompt[] = [];
  for (const message of found) {
    if (!message.texts.length) continue;
    const segments = message.texts.flatMap((text) =>
      text.segments(templated ? guessDoubleBraceSyntax(text.value) : 'plain'),
    );
    const start = message.texts[0].start;
    const end = message.texts[message.texts.length - 1].end;
    const range = lines.rangeOf(start, end);
    const prompt: Prompt = {
      id: `${kind}@${range.start.line}:${range.start.character}`,
      kind,
      range,
      reason: `message:role=${message.role ?? 'unknown'}`,
      segments: toSegments(segments, lines),
    };
    if (message.role) prompt.role = message.role;
    prompts.push(prompt);
  }
  return prompts;
}


export function extractJsonMessages(text: string, lines: LineIndex): { prompts: Prompt[]; notices: Notice[] } {
  try {
    const root = fromJson(parseJson(text), text);
    return { prompts: toPrompts(findMessages(root), 'message', lines, true), notices: [] };
  } catch (error) {
    const line = error instanceof JsonSyntaxError ? lines.positionAt(error.offset).line : undefined;
    const notice: Notice = { severity: 'warning', message: `Not valid JSON (${errorMessage(error)}); no prompts read.` };
    if (line !== undefined) notice.line = line;
    return { prompts: [], notices: [notice] };
  }
}

/** One request or message per line; a malformed line gets a notice and the rest of the file is still read. */
export function extractJsonlMessages(text: string, lines: LineIndex): { prompts: Prompt[]; notices: Notice[] } {
  const prompts: Prompt[] = [];
  const notices: Notice[] = [];
  let malformed = 0;
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const next = line + 1 < lines.lineCount ? lines.lineStart(line + 1) : text.length;
    let end = next;
    while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
    if (!text.slice(start, end).trim()) continue;
    try {
      const root = fromJson(parseJson(text, start, end), text);
      prompts.push(...toPrompts(findMessages(root), 'log', lines, false));
    } catch (error) {
      malformed++;
      if (malformed <= MAX_LINE_NOTICES) {
        notices.push({ severity: 'warning', line, message: `Line ${line + 1} is not valid JSON (${errorMessage(error)}); skipped.` });
      }
    }
  }
  if (malformed > MAX_LINE_NOTICES) {
    notices.push({ severity: 'warning', message: `${malformed - MAX_LINE_NOTICES} more malformed lines were skipped.` });
  }
  return { prompts, notices };
}

export function extractYamlMessages(text: string, lines: LineIndex): { prompts: Prompt[]; notices: Notice[] } {
  const prompts: Prompt[] = [];
  const notices: Notice[] = [];
  for (const document of parseAllDocuments(text)) {
    for (const error of document.errors) {
      const line = error.linePos ? error.linePos[0].line - 1 : lines.positionAt(error.pos[0]).line;
      notices.push({ severity: 'warning', line, message: `YAML error: ${error.message.split('\n')[0]}` });
    }
    const root = fromYaml(document.contents as YamlNode | null, text);
    prompts.push(...toPrompts(findMessages(root), 'message', lines, true));
  }
  return { prompts, notices };
}
