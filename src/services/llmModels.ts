import * as vscode from 'vscode';
import { countPrompt, countText, type PromptCount } from '../core/prompt/count';
import { loadCatalog, resolveModel, type Catalog, type ModelInfo } from '../core/catalog';
import { loadTokenizer } from '../core/tokenize';
import { withCountCache } from '../core/tokenize/memo';
import type { Tokenizer } from '../core/tokenize/types';
import type { Prompt } from '../core/prompt/types';
import type { Settings } from '../config';
import { errorMessage } from '../../common/text';

/**
 * The active model, the comparison models and their tokenizers. The catalogue and the tokenizers load on first
 * use, never on activation; each settings problem (unknown model, bad override) is shown once, not on every hover.
 */
export class LlmModels {
  private loadedCatalog: Catalog | undefined;
  private settings!: Settings;
  private readonly tokenizers = new Map<string, Promise<Tokenizer>>();
  private readonly shownWarnings = new Set<string>();

  constructor(settings: Settings, private readonly log: vscode.LogOutputChannel) {
    this.update(settings);
  }

  update(settings: Settings): void {
    this.settings = settings;
    this.loadedCatalog = undefined;
  }

  /** The catalogue with the user's overrides, checked (and any problem shown) when a model is first asked for. */
  private get catalog(): Catalog {
    return (this.loadedCatalog ??= loadCatalog(this.settings.models, (message) => this.warnOnce(message)));
  }

  get models(): readonly ModelInfo[] {
    return this.catalog.models;
  }

  findModel(idOrAlias: string): ModelInfo | undefined {
    return this.catalog.find(idOrAlias);
  }

  activeModel(): ModelInfo {
    return resolveModel(this.catalog, this.settings.model, (message) => this.warnOnce(message));
  }

  /** The active model first, then the distinct comparison models. */
  displayedModels(): ModelInfo[] {
    const active = this.activeModel();
    const compared = this.settings.compareModels
      .map((id) => this.catalog.find(id) ?? this.unknownComparison(id))
      .filter((model): model is ModelInfo => model !== undefined && model.id !== active.id);
    return [active, ...new Map(compared.map((model) => [model.id, model])).values()];
  }

  tokenizer(model: ModelInfo): Promise<Tokenizer> {
    let pending = this.tokenizers.get(model.tokenizer);
    if (!pending) {
      const started = Date.now();
      pending = loadTokenizer(model.tokenizer).then((tokenizer) => {
        this.log.info(`Loaded tokenizer ${tokenizer.label} in ${Date.now() - started} ms`);
        return withCountCache(tokenizer);
      });
      // A failed load is reported once and retried on the next request instead of being cached.
      pending.catch((error: unknown) => {
        this.tokenizers.delete(model.tokenizer);
        this.warnOnce(`Prompt Lens could not load the ${model.tokenizer} tokenizer: ${errorMessage(error)}`);
      });
      this.tokenizers.set(model.tokenizer, pending);
    }
    return pending;
  }

  async countPrompt(prompt: Prompt, model: ModelInfo): Promise<PromptCount> {
    return countPrompt(prompt, model, await this.tokenizer(model));
  }

  async countText(text: string, model: ModelInfo): Promise<PromptCount> {
    return countText(text, model, await this.tokenizer(model));
  }

  private unknownComparison(id: string): undefined {
    this.warnOnce(`Prompt Lens: unknown model "${id}" in promptLens.compareModels; it is left out.`);
    return undefined;
  }

  /** Shows a settings problem once per session, not on every hover or keystroke. */
  warnOnce(message: string): void {
    if (this.shownWarnings.has(message)) return;
    this.shownWarnings.add(message);
    this.log.warn(message);
    void vscode.window.showWarningMessage(message);
  }
}

