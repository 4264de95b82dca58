/**
 * The tokenizer to count a logged model's requests with when the catalogue does not know the model: the
 * provider's own where it is public, else the closest public one (then the counts are approximate).
 * Shared by every reader of request logs, so the editor's cache view and `promptlens cache` count alike.
 */
import type { CacheProfileId } from '.';

export const FALLBACK_TOKENIZER: Readonly<Record<CacheProfileId, string>> = {
  'openai-automatic': 'o200k_base',
  'openai-breakpoints': 'o200k_base',
  'anthropic-breakpoints': 'hf:claude',
  bedrock: 'hf:claude',
  'gemini-implicit': 'hf:gemma3',
  'gemini-explicit': 'hf:gemma3',
  deepseek: 'hf:deepseek_v3',
  xai: 'o200k_base',
  vllm: 'hf:llama3',
  sglang: 'hf:llama3',
  'llama.cpp': 'hf:llama3',
};
