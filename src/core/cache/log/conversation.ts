/**
 * Conversations for the cache timeline: a request log as it is, or one conversation written down as a
 * single request (examples/conversation.json: one body whose `messages` array holds every turn, replies
 * included) or as a bare `messages` array pasted into the visualizer. A single conversation becomes the
 * requests the application sent: one per assistant reply, with the messages up to that reply, plus the
 * whole body when it ends on a turn still waiting for its reply. Pure; never throws.
 */
import { parseLog, type LoggedRequest, type ParsedLog } from './parseLog';
import { detectApi } from '../render/requestBody';
import { isRecord } from '../../../../common/text';


/**
 * Items of a Responses `input` array that the model produced: a run of them is one reply (reasoning,
 * then a tool call or a message) [https://platform.openai.com/docs/api-reference/responses/object, `output`].
 */
const RESPONSES_REPLY_TYPES = new Set(['reasoning', 'function_call', 'custom_tool_call', 'computer_call', 'web_search_call', 'file_search_call', 'code_interpreter_call', 'image_generation_call', 'local_shell_call', 'mcp_call']);

function isReply(item: unknown): boolean {
  if (!isRecord(item)) return false;
  return item.role === 'assistant' || (typeof item.type === 'string' && RESPONSES_REPLY_TYPES.has(item.type));
}

/** The conversation's turns list: `messages` (Chat Completions, Anthropic Messages) or an `input` array (Responses). */
function turnsField(body: Record<string, unknown>): 'messages' | 'input' | undefined {
  if (Array.isArray(body.messages)) return 'messages';
  if (Array.isArray(body.input)) return 'input';
  return undefined;
}

/**
 * The requests one logged conversation stands for: a request before each reply (a run of reply items is
 * one reply), and the whole body unless it ends with a reply (then it is a transcript, not a request).
 * Usage and timestamp describe the logged body, so only the request equal to it keeps them.
 */
export function splitConversation(request: LoggedRequest): LoggedRequest[] {
  const field = turnsField(request.body);
  if (!field) return [request];
  const items = request.body[field] as unknown[];
  const cuts: number[] = [];
  for (let index = 1; index < items.length; index++) {
    if (isReply(items[index]) && !isReply(items[index - 1])) cuts.push(index);
  }
  const endsWithReply = items.length > 0 && isReply(items[items.length - 1]);
  if (cuts.length === 0) return [request];
  const split = cuts.map((cut): LoggedRequest => {
    const { timestamp: _timestamp, actual: _actual, ...rest } = request;
    return { ...rest, body: { ...request.body, [field]: items.slice(0, cut) } };
  });
  if (!endsWithReply) split.push(request);
  return split;
}

/** A JSON array of `{ role, ... }` objects: a bare messages list rather than a list of request bodies. */
function bareMessages(text: string): unknown[] | undefined {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.length > 0 && parsed.every((item) => isRecord(item) && typeof item.role === 'string')) return parsed;
  } catch {
    // not JSON: parseLog reads it line by line and reports what it cannot read
  }
  return undefined;
}

/**
 * Reads a log or a conversation. A log with one request that holds several turns is split into the
 * requests of that conversation; a log of several requests is taken as the requests that were sent.
 */
export function readConversation(text: string): ParsedLog {
  const messages = bareMessages(text);
  if (messages) {
    const body: Record<string, unknown> = { messages };
    const api = detectApi(body) ?? 'openai-chat';
    return { requests: splitConversation({ line: 1, api, body }), notices: [] };
  }
  const log = parseLog(text);
  if (log.requests.length !== 1) return log;
  return { requests: splitConversation(log.requests[0]), notices: log.notices };
}
