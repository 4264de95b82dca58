/** SGLang RadixAttention: a token-level radix tree of KV pages; the prompt is the model's chat template output. */
import type { CacheProfile } from './profile';
import { exactly, floorTo } from './rules';

export const sglang: CacheProfile = {
  id: 'sglang',
  label: 'SGLang RadixAttention',
  shortName: 'SGLang',
  providerNames: ['sglang'],
  fallbackTokenizer: 'hf:llama3',
  requestApi: 'openai-chat',
  chatTemplateEngine: { name: 'sglang' },
  matching: 'prefix',
  certainty: 'exact',
  minimum: () => exactly(1),
  // Token-level radix tree (page_size 1), pages when page_size > 1; cap input_len − 1
  // [sgl-project/sglang python/sglang/srt/managers/schedule_batch.py _compute_max_prefix_len].
  hit: (lcp, n, _model, options) => exactly(floorTo(Math.min(lcp, n - 1), options.blockSize ?? 1)),
  ttl: () => undefined, // LRU leaves [python/sglang/srt/mem_cache/radix_cache.py]
  multipliers: {},
  usage: 'subset',
  keyScoped: false,
  notes: ['SGLang evicts least-recently-used leaves when memory runs out; the prediction assumes enough memory.'],
};
