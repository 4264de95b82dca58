/** vLLM automatic prefix caching: full KV blocks, LRU eviction; the prompt is the model's chat template output. */
import type { CacheProfile } from './profile';
import { exactly, floorTo } from './rules';
import { isRecord } from '../../../../common/text';

/** vLLM: full blocks only, capped at n−1 (the last token is recomputed for its logits) [vllm-project/vllm vllm/v1/core/kv_cache_manager.py]. */
export function fullBlocks(lcp: number, n: number, blockSize: number): number {
  return floorTo(Math.min(lcp, n - 1), blockSize);
}

/**
 * vLLM validates tools with pydantic and hands the template `tool.model_dump()`: declared fields first
 * (`type`, `function` → `name`, `description`, `parameters`, absent ones as null), extra fields after
 * (vllm-project/vllm vllm/entrypoints/openai/protocol.py FunctionDefinition, ChatCompletionToolsParam;
 * serving_chat.py `tool_dicts = [tool.model_dump() for tool in request.tools]`). Key order inside
 * `parameters` is kept, so a reordered schema is still a different prompt there.
 */
function vllmTool(tool: unknown): unknown {
  if (!isRecord(tool)) return tool;
  const { type, function: fn, ...extra } = tool;
  const shaped = isRecord(fn) ? (({ name, description, parameters, ...rest }) => ({ name, description: description ?? null, parameters: parameters ?? null, ...rest }))(fn) : fn;
  return { type: type ?? 'function', function: shaped, ...extra };
}

export const vllm: CacheProfile = {
  id: 'vllm',
  label: 'vLLM automatic prefix caching',
  shortName: 'vLLM',
  providerNames: ['vllm'],
  fallbackTokenizer: 'hf:llama3',
  requestApi: 'openai-chat',
  chatTemplateEngine: { name: 'vllm', templateTool: vllmTool },
  matching: 'prefix',
  certainty: 'exact',
  minimum: () => exactly(16),
  // Full blocks of 16 by default (--block-size) [https://docs.vllm.ai/en/stable/api/vllm/config/cache/].
  hit: (lcp, n, _model, options) => exactly(fullBlocks(lcp, n, options.blockSize ?? 16)),
  ttl: () => undefined, // LRU free-block queue, no TTL [vllm-project/vllm docs/design/prefix_caching.md]
  multipliers: {},
  usage: 'subset',
  keyScoped: false,
  notes: ['vLLM evicts by LRU when KV memory runs out; the prediction assumes enough free blocks.'],
};
