/**
 * The conversation the visualizer's cache view shows, built on the extension host from what the user has in
 * front of them: a request log or messages file (every request, or one growing conversation split into its
 * turns), a prompt in code (its simulated calls, from analyzePromptCache), or text pasted into the panel.
 * Turns the core's predictions into the protocol's view shapes. No `vscode` import: the controller passes
 * the models and a tokenizer loader, so this runs in unit tests as it runs in the editor.
 */
import type { ModelInfo } from '../../../core/catalog';
import { loadChatTemplate } from '../../../core/cache/render/chatTemplateFiles';
import { readConversation } from '../../../core/cache/log/conversation';
import { predictLog } from '../../../core/cache';
import type { CachePrediction } from '../../../core/cache/predict/predict';
import { PROVIDER_NAMES, profileForProvider, type CacheProfile } from '../../../core/cache/providers';
import { analyzePromptCache, profileForModel } from '../../../core/cache/predict/promptCache';
import type { RequestPart, TurnPrediction } from '../../../core/cache/types';
import { formatCount } from '../../../../common/format';
import type { Tokenizer } from '../../../core/tokenize';
import type { Notice, Prompt } from '../../../core/prompt/types';
import type { CacheResultView, CacheSourceView, CacheTurnView, ProviderChoice } from '../../../../common/protocol/index';

export interface CacheSourceOptions {
  /** A provider name `profileForProvider` accepts; undefined: the rules of the conversation's model. */
  provider?: string;
  /** The model for requests that name none, and the model of prompts in code. */
  activeModel: ModelInfo;
  /** Catalogue lookup by id or alias (prices, tokenizer, minimums of the log's models). */
  findModel(id: string): ModelInfo | undefined;
  /** Loads a tokenizer by registry name (`o200k_base`, `hf:claude`). */
  tokenizer(name: string): Promise<Tokenizer>;
  /** Calls per day of a prompt in code, for its cost figures. */
  callsPerDay?: number;
  /** A log's progress: called after each of its `total` requests is rendered. */
  onProgress?: (done: number, total: number) => void;
}

/** The prediction, or why there is none; with the provider in effect, for the switcher. */
export interface CacheOutcome {
  provider: string;
  providers: ProviderChoice[];
  result?: CacheResultView;
  reason?: string;
}

/** The provider name whose rules apply to `model`, as the code lens picks them (its catalogue profile, else its provider's, else OpenAI's). */
export function defaultProvider(model: ModelInfo): string {
  const { profile } = profileForModel(model);
  return PROVIDER_NAMES.find((candidate) => profileForProvider(candidate, model.id)?.id === profile.id) ?? profile.id;
}

/** Every provider name, labelled with the rules it stands for on `model` (OpenAI's depend on the model). */
export function providerChoices(model: string): ProviderChoice[] {
  return PROVIDER_NAMES.map((name) => ({ value: name, label: `${name} · ${profileForProvider(name, model)?.label ?? name}` }));
}

function chosenProfile(provider: string, model: string): { provider: string; profile: CacheProfile } {
  const profile = profileForProvider(provider, model);
  if (profile) return { provider, profile };
  // A stale or mistyped name (a setting, an old webview): OpenAI's rules, said so by the switcher.
  return { provider: 'openai', profile: profileForProvider('openai', model)! };
}

/** A JSON or JSONL file holding at least one request body or conversation (not, say, package.json). */
export function isConversationFile(fileName: string, text: string): boolean {
  return /\.(jsonl|ndjson|json)$/i.test(fileName) && readConversation(text).requests.length > 0;
}

/** `line 3: …` for a notice about one line, the message alone otherwise. */
function noticeText(notice: Notice): string {
  return notice.line !== undefined ? `line ${notice.line + 1}: ${notice.message}` : notice.message;
}

/**
 * A log, a messages file or pasted text. Profile, default model and tokenizers are chosen as
 * `promptlens cache` chooses them, so the view and the CLI print the same numbers for the same provider.
 */
export async function conversationCache(text: string, source: { kind: 'log' | 'pasted'; title: string }, options: CacheSourceOptions): Promise<CacheOutcome> {
  const log = readConversation(text);
  const find = (id: string) => options.findModel(id);
  const firstModel = log.requests.map((request) => request.body.model).find((model): model is string => typeof model === 'string' && model !== '');
  const { provider, profile } = chosenProfile(options.provider ?? defaultProvider(firstModel ? find(firstModel) ?? options.activeModel : options.activeModel), firstModel ?? options.activeModel.id);
  const providers = providerChoices(firstModel ?? options.activeModel.id);
  if (log.requests.length === 0) {
    const why = log.notices.map(noticeText).slice(0, 3).join('; ');
    return { provider, providers, reason: `No request in ${source.title} could be read${why ? `: ${why}` : ''}.` };
  }
  const defaultModel = firstModel ?? options.activeModel.id;
  const notices: string[] = [];
  const tokenizers = new Map<string, Tokenizer>();
  const modelOf = (body: Record<string, unknown>) => (typeof body.model === 'string' && body.model !== '' ? body.model : defaultModel);
  for (const model of new Set(log.requests.map((request) => modelOf(request.body)))) {
    const known = find(model);
    const name = known?.tokenizer ?? profile.fallbackTokenizer;
    if (!known) notices.push(`model "${model}" is not in the catalogue: tokens counted with ${name} (approximate), no prices`);
    if (profile.chatTemplateEngine) {
      const template = known ? loadChatTemplate(known.tokenizer) : undefined;
      if (!template?.ok) notices.push(`model "${model}": ${template && !template.ok ? template.reason : 'its chat template is unknown'}; prompts approximated with OpenAI's message framing`);
    }
    tokenizers.set(model, await options.tokenizer(name));
  }
  const prediction = predictLog(log, {
    profile,
    defaultModel,
    findModel: find,
    tokenizerFor: (model) => tokenizers.get(model)!,
    // Engine profiles (vLLM, SGLang, llama.cpp) render through the model's chat template; only a catalogue model's family is known.
    chatTemplateFor: (model) => {
      const known = find(model);
      return known ? loadChatTemplate(known.tokenizer) : { ok: false, reason: `model "${model}" is not in the catalogue, so its chat template is unknown` };
    },
    onProgress: options.onProgress,
  });
  notices.push(...prediction.notices.map(noticeText));
  const split = log.requests.length > 1 && log.requests.every((request) => request.line === log.requests[0].line);
  const detail = split
    ? `one conversation split into ${formatCount(log.requests.length)} requests, one per assistant reply`
    : `${formatCount(log.requests.length)} logged request${log.requests.length === 1 ? '' : 's'}`;
  return { provider, providers, result: resultView({ kind: source.kind, title: source.title, detail }, profile, prediction, notices) };
}

/** A prompt in code: its template called several times with different values for its dynamic parts. */
export async function promptCache(prompt: Prompt, title: string, options: CacheSourceOptions): Promise<CacheOutcome> {
  const model = options.activeModel;
  const { provider, profile } = chosenProfile(options.provider ?? defaultProvider(model), model.id);
  const tokenizer = await options.tokenizer(model.tokenizer);
  const chatTemplate = profile.chatTemplateEngine ? loadChatTemplate(model.tokenizer) : undefined;
  const report = analyzePromptCache(prompt, { model, tokenizer, profile, callsPerDay: options.callsPerDay, findModel: (id) => options.findModel(id), chatTemplate });
  const calls = report.calls.turns.length;
  const dynamic = report.firstDynamic
    ? `first dynamic part ${report.firstDynamic.source} at token ${formatCount(report.firstDynamic.tokenIndex)}`
    : 'no dynamic part: every call sends the same text';
  const detail = `${formatCount(calls)} simulated call${calls === 1 ? '' : 's'} with ${model.label}; static prefix ${formatCount(report.staticPrefixTokens)} of ${formatCount(report.totalTokens)} tokens; ${dynamic}`;
  return { provider, providers: providerChoices(model.id), result: resultView({ kind: 'code', title, detail }, profile, report.calls, [...report.notes]) };
}

function resultView(source: CacheSourceView, profile: CacheProfile, prediction: CachePrediction, notices: string[]): CacheResultView {
  const { summary } = prediction;
  return {
    source,
    profile: { id: profile.id, label: profile.label, notes: [...profile.notes] },
    turns: prediction.turns.map(turnView),
    summary: {
      turns: summary.turns,
      inputTokens: summary.inputTokens,
      cached: { ...summary.cached },
      cachedShare: { ...summary.cachedShare },
      cost: costView(summary.cost),
      ...(summary.saved ? { saved: { ...summary.saved } } : {}),
      topCauses: summary.topCauses.map((cause) => ({ ...cause })),
      ...(summary.actual ? { actual: { ...summary.actual } } : {}),
    },
    notices,
  };
}

function costView(cost: TurnPrediction['cost']): CacheTurnView['cost'] {
  return { ...(cost.withCache ? { withCache: { ...cost.withCache } } : {}), ...(cost.withoutCache !== undefined ? { withoutCache: cost.withoutCache } : {}) };
}

/** `messages[3].content (user message)`, `tools[1] (tool get_weather)`: the JSON path and what it is. */
function partLabel(part: RequestPart): string {
  const what = part.kind === 'message' ? `${part.role ? `${part.role} ` : ''}message` : part.kind === 'settings' ? 'request setting' : part.kind.replace('-', ' ');
  return `${part.path} (${what}${part.name ? ` ${part.name}` : ''})`;
}

export function turnView(turn: TurnPrediction): CacheTurnView {
  const view: CacheTurnView = {
    turn: turn.turn,
    model: turn.model,
    inputTokens: turn.inputTokens,
    reusedPrefix: turn.reusedPrefix,
    cached: { ...turn.cached },
    written: { ...turn.written },
    uncached: { ...turn.uncached },
    certainty: turn.certainty,
    causes: turn.causes.map((cause) => ({ kind: cause.kind, message: cause.message, tokensLost: cause.tokensLost })),
    cost: costView(turn.cost),
    notes: [...turn.notes],
  };
  if (turn.line !== undefined) view.line = turn.line;
  if (turn.reusedFrom !== undefined) view.reusedFrom = turn.reusedFrom;
  if (turn.divergence) {
    const { tokenIndex, part, previousPart, before, after } = turn.divergence;
    view.divergence = { tokenIndex, before, after, ...(part ? { where: partLabel(part) } : {}), ...(previousPart ? { previousWhere: partLabel(previousPart) } : {}) };
  }
  if (turn.actual) {
    const { inputTokens, cachedTokens, writtenTokens, source } = turn.actual;
    view.actual = { source, ...(inputTokens !== undefined ? { inputTokens } : {}), ...(cachedTokens !== undefined ? { cachedTokens } : {}), ...(writtenTokens !== undefined ? { writtenTokens } : {}) };
  }
  if (turn.error !== undefined) view.error = turn.error;
  return view;
}
