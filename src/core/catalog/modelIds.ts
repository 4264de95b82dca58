/**
 * The names a model id may be looked up under, as code and logs write it, most specific first: the id as
 * written, then without a provider or gateway prefix, without a dated snapshot, and with OpenRouter's dots.
 * The catalogue tries each in turn, so an id it knows exactly always wins over a shortened form.
 *
 * Forms covered, from the providers' and gateways' documentation:
 *   - provider prefixes, as LiteLLM, OpenRouter and the Vercel AI SDK gateway write them: `openai/gpt-4o`,
 *     `anthropic/claude-sonnet-4-5`, `openrouter/anthropic/claude-sonnet-4.5`
 *   - Vertex AI resource names: `publishers/google/models/gemini-2.5-pro`, and Anthropic on Vertex:
 *     `claude-sonnet-4-5@20250929`
 *   - Amazon Bedrock model and inference-profile ids: `anthropic.claude-sonnet-4-5-20250929-v1:0`,
 *     `us.anthropic.claude-sonnet-4-5-20250929-v1:0`, `meta.llama3-3-70b-instruct-v1:0`
 *   - dated snapshots: `gpt-4o-2024-08-06`, `claude-sonnet-4-5-20250929`, `gpt-3.5-turbo-0125`
 *   - OpenRouter variants and dots: `deepseek/deepseek-chat:free`, `claude-sonnet-4.5`
 *   - OpenAI fine-tunes: `ft:gpt-4o-mini-2024-07-18:my-org::abc123`
 *   - Hugging Face instruct names: `meta-llama/Llama-3.3-70B-Instruct`
 */
export function modelIdCandidates(id: string): string[] {
  const candidates: string[] = [];
  const add = (name: string) => {
    const trimmed = name.trim();
    if (trimmed !== '' && !candidates.includes(trimmed)) candidates.push(trimmed);
  };
  add(id);
  const base = withoutGatewayTag(lastPathSegment(metaVersionDots(withoutBedrockWrapping(withoutFineTune(id.trim())))));
  add(base);
  const undated = withoutSnapshotDate(base);
  add(undated);
  for (const name of [base, undated]) add(dotsAsDashes(name));
  add(withoutInstructSuffix(undated));
  return candidates;
}

/** OpenAI fine-tunes, `ft:gpt-4o-mini-2024-07-18:org:name:id`, count with their base model's tokenizer. */
function withoutFineTune(id: string): string {
  const match = /^ft:([^:]+):/i.exec(id);
  return match ? match[1] : id;
}

/** Bedrock writes Meta's versions with a dash: `llama3-3-70b-instruct` is Llama 3.3 70B. */
function metaVersionDots(id: string): string {
  return id.replace(/^llama(\d)-(\d)-/i, 'llama-$1.$2-');
}

/** `openrouter/anthropic/claude-sonnet-4.5`, `publishers/google/models/gemini-2.5-pro` → the model's own name. */
function lastPathSegment(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** Bedrock: an optional cross-region profile (`us.`, `eu.`, `apac.`, `global.`), the vendor, and `-v1:0`. */
function withoutBedrockWrapping(id: string): string {
  const match = /^(?:(?:us|us-gov|eu|apac|jp|au|ca|global)\.)?(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|openai)\.(.+?)(?:-v\d+(?::\d+)?)?$/i.exec(id);
  return match ? match[1] : id;
}

/** OpenRouter's `:free`, `:beta`, `:thinking` and the like: the same model, billed or routed differently. */
function withoutGatewayTag(id: string): string {
  return id.replace(/:[a-z][a-z-]*$/i, '');
}

/** `-2024-08-06`, `-20250929`, `@20250929` (Vertex), `-0125` / `-0613` (OpenAI's early snapshots). */
function withoutSnapshotDate(id: string): string {
  return id.replace(/(?:[-@]\d{4}-\d{2}-\d{2}|[-@]20\d{6}|-(?:0[1-9]|1[0-2])\d{2})$/, '');
}

/** OpenRouter writes versions with dots (`claude-sonnet-4.5`) where Anthropic writes dashes. */
function dotsAsDashes(id: string): string {
  return id.replace(/(\d)\.(\d)/g, '$1-$2');
}

/** `Llama-3.3-70B-Instruct`: open models' chat-tuned checkpoints count with the base model's tokenizer. */
function withoutInstructSuffix(id: string): string {
  return id.replace(/-(?:instruct|chat|it)$/i, '');
}
