import { analyzePromptCache, findCacheWarnings, type CacheLintOptions, type CacheWarning, type PromptCacheReport } from '../core/cache';
import { loadChatTemplate } from '../core/cache/render/chatTemplateFiles';
import type { ModelInfo } from '../core/catalog';
import type { Prompt } from '../core/prompt/types';
import { mayCache, resolveCacheProfile } from './cacheRules';
import type { CacheSettings } from '../config';
import type { LlmModels } from './llmModels';

/**
 * Cache predictions for the prompts in open documents, shared by the code lens and the diagnostics. Reports are
 * kept per prompt object: the prompt index hands out the same objects until the document changes, so a report
 * is computed at most once per prompt and document version. Settings changes (model, provider, volume) drop them.
 */
export class CacheAnalysis {
  private reports = new WeakMap<Prompt, Promise<PromptCacheReport>>();

  constructor(
    private readonly models: LlmModels,
    private settings: CacheSettings,
  ) {}

  update(settings: CacheSettings): void {
    this.settings = settings;
    this.reports = new WeakMap();
  }

  /** Whether the prompt can reach the provider's minimum at all: the others have no cache story to tell. */
  mayCache(prompt: Prompt): boolean {
    const model = this.models.activeModel();
    return mayCache(prompt, this.rules(model).profile.minimum(model.id));
  }

  /** The cache story of one prompt. */
  report(prompt: Prompt): Promise<PromptCacheReport> {
    let pending = this.reports.get(prompt);
    if (!pending) {
      pending = this.options().then((options) => analyzePromptCache(prompt, options));
      // A failure (a tokenizer that did not load, already reported by LlmModels) is retried next time.
      pending.catch(() => this.reports.delete(prompt));
      this.reports.set(prompt, pending);
    }
    return pending;
  }

  /** Cache-busting patterns in a document's prompts, priced at the configured volume. */
  async warnings(documentText: string, prompts: readonly Prompt[]): Promise<CacheWarning[]> {
    if (prompts.length === 0) return [];
    return findCacheWarnings(documentText, prompts, await this.options());
  }

  private rules(model: ModelInfo): ReturnType<typeof resolveCacheProfile> {
    const rules = resolveCacheProfile(this.settings.provider, model);
    if (rules.problem) this.models.warnOnce(rules.problem);
    return rules;
  }

  private async options(): Promise<CacheLintOptions> {
    const model = this.models.activeModel();
    const { profile, fromSetting } = this.rules(model);
    return {
      model,
      tokenizer: await this.models.tokenizer(model),
      // Left to the core under `auto`, so its note about a model with unknown rules reaches the tooltip.
      profile: fromSetting ? profile : undefined,
      callsPerDay: this.settings.callsPerDay,
      findModel: (id) => this.models.findModel(id),
      // Engine rules (vLLM, SGLang, llama.cpp) count the chat template's output, as the CLI and the visualizer do.
      chatTemplate: profile.chatTemplateEngine ? loadChatTemplate(model.tokenizer) : undefined,
    };
  }
}
