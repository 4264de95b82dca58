/** llama.cpp server: each slot keeps the KV cache of its last prompt; the prompt is the model's chat template output. */
import type { CacheProfile } from './profile';
import { exactly } from './rules';

export const llamaCpp: CacheProfile = {
  id: 'llama.cpp',
  label: 'llama.cpp server (slot KV cache)',
  shortName: 'llama.cpp',
  providerNames: ['llama.cpp', 'llamacpp', 'llama-cpp'],
  fallbackTokenizer: 'hf:llama3',
  requestApi: 'openai-chat',
  chatTemplateEngine: { name: 'llama.cpp' },
  matching: 'slot',
  certainty: 'exact',
  minimum: () => exactly(1),
  // LCP with the chosen slot; a full match drops one position [LCPP-README; ggml-org/llama.cpp server.cpp].
  hit: (lcp, n) => exactly(Math.max(0, Math.min(lcp, n - 1))),
  ttl: () => undefined, // slot LRU [LCPP-README]
  multipliers: {},
  usage: 'subset',
  keyScoped: false,
  notes: ['llama.cpp picks a slot by LCP similarity (--slot-prompt-similarity, default 0.10), else the least recently used one [LCPP-README].'],
};
