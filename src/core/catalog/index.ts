/**
 * The LLM catalogue: the models prompts are counted and priced for (built in, plus promptLens.models).
 * "Model" here always means such an LLM; the local ONNX model the visualizer runs is ../localModel.
 */
import { modelIdCandidates } from './modelIds';
import { tokenizerInfo } from '../tokenize/registry';
import builtIn from './models.json';
import { CACHE_PROFILE_IDS } from '../cache/providers';

/** USD per 1M tokens, with the date and the page the numbers were read from. */
interface ModelPrice {
  input: number;
  /** Price of input tokens read from the prompt cache. */
  cachedInput?: number;
  /** Price of input tokens written to the cache (Anthropic 5-minute TTL). */
  cacheWrite?: number;
  /** Price of input tokens written to the cache with a 1-hour TTL (Anthropic). */
  cacheWrite1h?: number;
  output: number;
  date: string;
  source: string;
}

type Provider = 'openai' | 'anthropic' | 'google' | 'meta' | 'alibaba' | 'deepseek' | 'mistral' | 'xai' | 'other';

export interface ModelInfo {
  id: string;
  label: string;
  provider: Provider;
  /** A name from the tokenizer registry (`TOKENIZER_NAMES`). */
  tokenizer: string;
  /** True when the tokenizer is only the closest public one, not the model's own. */
  approximate: boolean;
  /** Why the count is approximate, shown next to ≈ counts. */
  approximation?: string;
  contextWindow: number;
  maxOutput?: number;
  price?: ModelPrice;
  /** Which prompt-cache rules apply; one of `CACHE_PROFILES`. */
  cacheProfile: string;
  aliases?: string[];
}

export interface ModelOverride extends Partial<ModelInfo> {
  id: string;
}

export interface Catalog {
  models: readonly ModelInfo[];
  find(idOrAlias: string): ModelInfo | undefined;
}

export const DEFAULT_MODEL_ID = 'gpt-4o';

/**
 * Prompt-cache rule sets: the predictor's profiles (src/core/cache/providers/, one per row of
 * shared/reference/prompt-caching-rules.md §2), plus `none` for a model added in settings whose caching is unknown.
 */
export const CACHE_PROFILES: readonly string[] = [...CACHE_PROFILE_IDS, 'none'];

const PROVIDERS: readonly Provider[] = ['openai', 'anthropic', 'google', 'meta', 'alibaba', 'deepseek', 'mistral', 'xai', 'other'];

const BUILT_IN: readonly ModelInfo[] = (builtIn as { models: ModelInfo[] }).models;

const isPrice = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Why a merged model is unusable, or undefined when it is fine. */
function problemWith(model: ModelInfo): string | undefined {
  if (typeof model.id !== 'string' || model.id.trim() === '') return 'its id is empty';
  if (typeof model.label !== 'string') return 'its label is not text';
  if (!PROVIDERS.includes(model.provider)) return `its provider "${model.provider}" is not one of ${PROVIDERS.join(', ')}`;
  if (!tokenizerInfo(model.tokenizer)) return `its tokenizer "${model.tokenizer}" is unknown`;
  if (typeof model.approximate !== 'boolean') return 'approximate is not true or false';
  if (!Number.isInteger(model.contextWindow) || model.contextWindow <= 0) return 'contextWindow is not a positive whole number';
  if (model.maxOutput !== undefined && (!Number.isInteger(model.maxOutput) || model.maxOutput <= 0)) {
    return 'maxOutput is not a positive whole number';
  }
  if (!CACHE_PROFILES.includes(model.cacheProfile)) return `its cacheProfile "${model.cacheProfile}" is not one of ${CACHE_PROFILES.join(', ')}`;
  if (model.aliases !== undefined && (!Array.isArray(model.aliases) || !model.aliases.every((alias) => typeof alias === 'string'))) {
    return 'aliases is not a list of names';
  }
  const price = model.price;
  if (price !== undefined) {
    if (typeof price !== 'object' || price === null) return 'price is not an object';
    if (!isPrice(price.input) || !isPrice(price.output)) return 'price.input and price.output must be numbers ≥ 0';
    for (const key of ['cachedInput', 'cacheWrite', 'cacheWrite1h'] as const) {
      if (price[key] !== undefined && !isPrice(price[key])) return `price.${key} must be a number ≥ 0`;
    }
  }
  return undefined;
}

/** Defaults for a model that exists only in the user's settings. */
function newModel(override: ModelOverride): ModelInfo {
  const price = typeof override.price === 'object' && override.price !== null ? priceFromSettings(override.price) : override.price;
  return {
    label: override.id,
    provider: 'other',
    approximate: false,
    cacheProfile: 'none',
    ...(override as Partial<ModelInfo>),
    // A new model without a tokenizer or a context window is rejected by problemWith, not guessed.
    tokenizer: override.tokenizer ?? '(missing)',
    contextWindow: override.contextWindow ?? Number.NaN,
    price,
  } as ModelInfo;
}

/** Settings may give only the numbers of a price; the date and source then say where they came from. */
function priceFromSettings(given: Partial<ModelPrice>, base?: ModelPrice): ModelPrice {
  return { ...base, ...given, date: given.date ?? '', source: given.source ?? 'user settings' } as ModelPrice;
}

function patched(base: ModelInfo, override: ModelOverride): ModelInfo {
  const merged = { ...base, ...override, id: base.id } as ModelInfo;
  if (typeof override.price === 'object' && override.price !== null) merged.price = priceFromSettings(override.price, base.price);
  return merged;
}

const key = (name: string) => name.trim().toLowerCase();

function buildIndex(models: readonly ModelInfo[]): Map<string, ModelInfo> {
  const index = new Map<string, ModelInfo>();
  // Ids win over aliases; earlier models win over later ones for a shared alias.
  for (const model of models) index.set(key(model.id), model);
  for (const model of models) {
    for (const alias of model.aliases ?? []) if (!index.has(key(alias))) index.set(key(alias), model);
  }
  return index;
}

/**
 * The built-in models with the user's overrides applied. An override whose id (or alias) names a
 * model patches it; any other id adds a model. An override that would leave a model unusable is
 * skipped with a warning, and the model stays as it was.
 */
export function loadCatalog(overrides: ModelOverride[] = [], onWarning: (message: string) => void = () => {}): Catalog {
  const models: ModelInfo[] = [...BUILT_IN];
  for (const override of Array.isArray(overrides) ? overrides : []) {
    if (typeof override !== 'object' || override === null || typeof override.id !== 'string' || override.id.trim() === '') {
      onWarning('Prompt Lens: a promptLens.models entry has no "id" and was ignored.');
      continue;
    }
    const index = buildIndex(models);
    const existing = index.get(key(override.id));
    const candidate = existing ? patched(existing, override) : newModel(override);
    const problem = problemWith(candidate);
    if (problem) {
      const action = existing ? `override of "${existing.id}"` : `new model "${override.id}"`;
      onWarning(`Prompt Lens: the ${action} in promptLens.models was ignored because ${problem}.`);
      continue;
    }
    if (existing) models[models.indexOf(existing)] = candidate;
    else models.push(candidate);
  }
  const index = buildIndex(models);
  return {
    models,
    find: (idOrAlias) => {
      // The exact id or alias first: the ids settings and the hover ask for on every call need no rewriting.
      const exact = index.get(key(idOrAlias));
      if (exact) return exact;
      for (const name of modelIdCandidates(idOrAlias)) {
        const model = index.get(key(name));
        if (model) return model;
      }
      return undefined;
    },
  };
}

/** Unknown ids already warned about, per catalog: a new catalog (settings changed) warns afresh. */
const warnedUnknown = new WeakMap<Catalog, Set<string>>();

/**
 * The model for an id from settings or a CLI flag. An unknown id falls back to DEFAULT_MODEL_ID,
 * with one warning per id (the hover and status bar ask again on every refresh).
 */
export function resolveModel(catalog: Catalog, id: string | undefined, onWarning: (message: string) => void = () => {}): ModelInfo {
  const fallback = catalog.find(DEFAULT_MODEL_ID) ?? catalog.models[0];
  if (id === undefined || id.trim() === '') return fallback;
  const model = catalog.find(id);
  if (model) return model;
  const warned = warnedUnknown.get(catalog) ?? new Set<string>();
  warnedUnknown.set(catalog, warned);
  if (!warned.has(id)) {
    warned.add(id);
    onWarning(`Prompt Lens: unknown model "${id}"; counting with ${fallback.id} instead. Add it under promptLens.models to use it.`);
  }
  return fallback;
}

/**
 * Input cost of one call in USD: uncached tokens at the input price, cached ones at the cached-input
 * price (the full input price when the model has none). `cachedInputTokens` is a subset of
 * `inputTokens`, as OpenAI and Gemini report it. Undefined when the model has no price.
 */
export function costOfCall(model: ModelInfo, inputTokens: number, cachedInputTokens = 0): number | undefined {
  const price = model.price;
  if (!price) return undefined;
  const cached = Math.min(Math.max(cachedInputTokens, 0), Math.max(inputTokens, 0));
  const uncached = Math.max(inputTokens, 0) - cached;
  return (uncached * price.input + cached * (price.cachedInput ?? price.input)) / 1_000_000;
}
