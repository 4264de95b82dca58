/**
 * Request logs: a JSON array or JSONL of OpenAI Chat Completions / Responses or Anthropic Messages
 * request bodies, bare or wrapped as `{ request|body, response|usage, timestamp, prompt_cache_key }`
 * (examples/logs/requests.jsonl). A bad line or entry is a notice with its line number; reading
 * never throws.
 */
import type { Notice } from '../../prompt/types';
import { detectApi } from '../render/requestBody';
import type { ActualUsage, RequestApi } from '../types';
import { isRecord } from '../../../../common/text';

export interface LoggedRequest {
  /** 1-based line (JSONL) or entry number (JSON array). */
  line: number;
  api: RequestApi;
  body: Record<string, unknown>;
  timestamp?: number;
  promptCacheKey?: string;
  actual?: ActualUsage;
}

export interface ParsedLog {
  requests: LoggedRequest[];
  notices: Notice[];
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);

/** Reads a whole log; `text` is the decoded file. */
export function parseLog(text: string): ParsedLog {
  const notices: Notice[] = [];
  const requests: LoggedRequest[] = [];
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { requests, notices: [{ severity: 'error', message: 'the log is empty' }] };

  let entries: Array<{ value: unknown; line: number; label: string }> | undefined;
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) entries = parsed.map((value, index) => ({ value, line: index + 1, label: `entry ${index + 1}` }));
    } catch (error) {
      notices.push({ severity: 'error', message: `the log starts with "[" but is not valid JSON (${(error as Error).message}); reading it line by line instead` });
    }
  }
  if (!entries && trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    // One pretty-printed object: a single request, or `{ requests: [...] }`.
    try {
      const parsed: unknown = JSON.parse(trimmed);
      const list = isRecord(parsed) && Array.isArray(parsed.requests) ? parsed.requests : [parsed];
      entries = list.map((value, index) => ({ value, line: index + 1, label: `entry ${index + 1}` }));
    } catch {
      // not one object: read as JSONL below
    }
  }
  if (!entries) {
    entries = [];
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('//')) return;
      try {
        entries!.push({ value: JSON.parse(line), line: index + 1, label: `line ${index + 1}` });
      } catch (error) {
        notices.push({ severity: 'warning', line: index, message: `line ${index + 1} is not valid JSON (${(error as Error).message}); skipped` });
      }
    });
  }
  for (const { value, line, label } of entries) {
    const result = readEntry(value, line);
    if ('problem' in result) notices.push({ severity: 'warning', line: line - 1, message: `${label}: ${result.problem}; skipped` });
    else {
      requests.push(result.request);
      for (const message of result.warnings) notices.push({ severity: 'info', line: line - 1, message: `${label}: ${message}` });
    }
  }
  if (requests.length === 0 && !notices.some((notice) => notice.severity === 'error')) {
    notices.push({ severity: 'error', message: 'no request in the log could be read' });
  }
  // Notices in line order, as a reader goes through the file.
  notices.sort((a, b) => (a.line ?? -1) - (b.line ?? -1));
  return { requests, notices };
}

const API_HINTS: Array<[RegExp, RequestApi]> = [
  [/responses/, 'openai-responses'],
  [/messages|anthropic/, 'anthropic-messages'],
  [/chat|completions|openai/, 'openai-chat'],
];

function readEntry(value: unknown, line: number): { request: LoggedRequest; warnings: string[] } | { problem: string } {
  if (!isRecord(value)) return { problem: 'not a JSON object' };
  const warnings: string[] = [];
  const body = [value.request, value.body, value.params].find(isRecord) ?? value;
  if (!Array.isArray(body.messages) && body.input === undefined && body.instructions === undefined) {
    return { problem: 'no "messages" or "input": not a Chat Completions, Responses or Messages request body' };
  }
  const hint = [value.api, value.endpoint, value.url, value.provider].find((item) => typeof item === 'string') as string | undefined;
  const api = (hint && API_HINTS.find(([pattern]) => pattern.test(hint.toLowerCase()))?.[1]) ?? detectApi(body);
  if (!api) return { problem: 'cannot tell which API this body is for' };
  if (typeof body.model !== 'string' || body.model === '') warnings.push('no "model"; the --model option (or the provider default) is used');
  const request: LoggedRequest = { line, api, body };
  const rawTime = value.timestamp ?? value.time ?? value.created_at ?? value.ts ?? body.timestamp;
  if (rawTime !== undefined) {
    const time = toMillis(rawTime);
    if (time === undefined) warnings.push(`timestamp ${JSON.stringify(rawTime)} is not a date or epoch number; ignored`);
    else request.timestamp = time;
  }
  const headers = isRecord(value.headers) ? value.headers : {};
  const key = value.prompt_cache_key ?? body.prompt_cache_key ?? headers['x-grok-conv-id'];
  if (typeof key === 'string') request.promptCacheKey = key;
  const response = isRecord(value.response) ? value.response : undefined;
  const responseBody = response && isRecord(response.body) ? response.body : response;
  const usage = [responseBody?.usage, responseBody?.usageMetadata, responseBody?.usage_metadata, value.usage, value.usageMetadata].find(isRecord);
  const actual = readUsage(usage, isRecord(responseBody?.timings) ? responseBody.timings : isRecord(value.timings) ? value.timings : undefined);
  if (actual) request.actual = actual;
  return { request, warnings };
}

/** ISO date strings, epoch seconds or epoch milliseconds. */
function toMillis(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e12 ? value * 1000 : value;
  if (typeof value === 'string' && value.trim() !== '') {
    const asNumber = Number(value);
    if (Number.isFinite(asNumber)) return toMillis(asNumber);
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** Usage where the input count EXCLUDES cache reads and writes (Anthropic, Bedrock); undefined without either field. */
function excludedFromInput(read: number | undefined, written: number | undefined, input: number | undefined, source: string): ActualUsage | undefined {
  if (read === undefined && written === undefined) return undefined;
  return {
    cachedTokens: read ?? 0,
    writtenTokens: written ?? 0,
    inputTokens: input !== undefined ? input + (read ?? 0) + (written ?? 0) : undefined,
    source,
  };
}

/**
 * Actual usage in one convention: `inputTokens` always counts cached tokens in. Providers differ
 * (reference §3): OpenAI / xAI / vLLM / SGLang / Gemini report cached tokens as a SUBSET of the
 * input; Anthropic and Bedrock EXCLUDE them from `input_tokens`; DeepSeek PARTITIONS the input into
 * hit + miss. No cached field at all means unknown, not zero.
 */
export function readUsage(usage: Record<string, unknown> | undefined, timings?: Record<string, unknown>): ActualUsage | undefined {
  if (usage) {
    const hit = num(usage.prompt_cache_hit_tokens);
    if (hit !== undefined) {
      const miss = num(usage.prompt_cache_miss_tokens);
      return { cachedTokens: hit, inputTokens: miss !== undefined ? hit + miss : num(usage.prompt_tokens), source: 'prompt_cache_hit_tokens (DeepSeek: hit + miss = prompt_tokens)' };
    }
    // Anthropic's field names, then Bedrock's: read, written, input, and what the figures are.
    const excluding: Array<[string, string, string, string]> = [
      ['cache_read_input_tokens', 'cache_creation_input_tokens', 'input_tokens', 'cache_read_input_tokens / cache_creation_input_tokens (Anthropic: input_tokens excludes them)'],
      ['cacheReadInputTokens', 'cacheWriteInputTokens', 'inputTokens', 'cacheReadInputTokens / cacheWriteInputTokens (Bedrock: inputTokens excludes them)'],
    ];
    for (const [read, written, input, source] of excluding) {
      const found = excludedFromInput(num(usage[read]), num(usage[written]), num(usage[input]), source);
      if (found) return found;
    }
    const gemini = num(usage.cachedContentTokenCount) ?? num(usage.cached_content_token_count);
    const geminiInput = num(usage.promptTokenCount) ?? num(usage.prompt_token_count);
    if (gemini !== undefined || geminiInput !== undefined) {
      return { cachedTokens: gemini, inputTokens: geminiInput, source: 'cachedContentTokenCount (Gemini: subset of promptTokenCount)' };
    }
    for (const [detailsKey, totalKey] of [['prompt_tokens_details', 'prompt_tokens'], ['input_tokens_details', 'input_tokens']] as const) {
      const total = num(usage[totalKey]);
      if (total === undefined) continue;
      const details = isRecord(usage[detailsKey]) ? (usage[detailsKey] as Record<string, unknown>) : {};
      const actual: ActualUsage = { inputTokens: total, cachedTokens: num(details.cached_tokens), source: `${detailsKey}.cached_tokens (subset of ${totalKey})` };
      const written = num(details.cache_write_tokens);
      if (written !== undefined) actual.writtenTokens = written;
      return actual;
    }
  }
  if (timings) {
    // llama.cpp: cache_n prompt tokens reused, prompt_n processed [LCPP-README].
    const cacheN = num(timings.cache_n);
    const promptN = num(timings.prompt_n);
    if (cacheN !== undefined) return { cachedTokens: cacheN, inputTokens: promptN !== undefined ? cacheN + promptN : undefined, source: 'timings.cache_n (llama.cpp)' };
  }
  return undefined;
}
