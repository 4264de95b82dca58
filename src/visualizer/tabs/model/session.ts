/**
 * The model views of one visualizer webview (attention, embedding, prefix): what the model computed for the
 * prompt on screen, and the answers to the webview's model requests. The model itself is shared (ModelProvider,
 * loaded lazily by LocalModelHost); a session only runs it. No `vscode` here: the tab registry passes `post`, `save`
 * and `warn`, so unit tests drive a session with the bundled model as the editor does.
 *
 * Cancellation: each prompt (or window) shown gets a fresh AbortSignal from LatestOnly, so the analysis of a
 * prompt the cursor has left stops at the next forward pass, and its result is never posted.
 */
import {
  LatestOnly,
  fillDynamicSegment,
  inspectPrompt,
  measurePrefill,
  prefixDivergence,
  type Inspection,
  type ModelShape,
  type ModelResult,
  type PrefillTiming,
  type PrefixDivergence,
} from '../../../core/localModel';
import type { Prompt } from '../../../core/prompt/types';
import { PROTOCOL_VERSION, type HostMessage, type ModelExport, type ModelStatusView, type ModelWebviewMessage } from '../../../../common/protocol';
import type { ModelProvider } from '../../../services/localModelHost';
import type { MessageHandlers, Refresh, ShownPrompt, TabSession } from '../tabSession';
import { attentionLayerView, defaultPrefixValues, embeddingView, exportFile, modelTokensView, prefixView, type ExportFile } from './views';

/** Prefill timings are the median of this many runs each way. */
const PREFILL_RUNS = 3;

export interface SessionHost {
  post(message: HostMessage): void;
  /** Asks where to save and writes the file. */
  save(file: ExportFile): Promise<void>;
  /** Tells the user something went wrong that the view cannot show. */
  warn(message: string): void;
  log(message: string): void;
}

/** What the model's results depend on: the prompt, its text as shown and where its dynamic parts are. */
function targetKey({ view }: ShownPrompt): string {
  return JSON.stringify([view.id, view.text, view.segments.map((segment) => [segment.kind, segment.start, segment.end])]);
}

interface Analysis {
  key: string;
  promptId: string;
  result: Promise<ModelResult<Inspection>>;
}

interface PrefixData {
  promptId: string;
  divergence: PrefixDivergence;
  timing: PrefillTiming;
  values: [string, string];
}

export class ModelSession implements TabSession {
  private target: ShownPrompt | undefined;
  private analysis: Analysis | undefined;
  private prefix: PrefixData | undefined;
  /** The window into the prompt's model tokens, per prompt (a new prompt starts at its first token). */
  private window: { promptId: string; start: number; count?: number } | undefined;
  private readonly latest = new LatestOnly();
  private readonly latestPrefix = new LatestOnly();
  private lastStatus: string | undefined;
  /** The loaded model's dimensions, once a load succeeded: later failures are the prompt's, not the model's. */
  private shape: ModelShape | undefined;
  private readonly unsubscribe: Array<() => void>;

  /** The model tabs' requests, each about the prompt shown; a request for a prompt no longer shown is dropped. */
  readonly handlers: MessageHandlers<ModelWebviewMessage> = {
    requestAttention: async ({ promptId, layer }) => {
      if (!this.shownAs(promptId)) return;
      const inspection = await this.inspection(promptId);
      if (!inspection) return;
      const attention = attentionLayerView(promptId, inspection, layer);
      if (attention) this.host.post({ type: 'attentionLayer', version: PROTOCOL_VERSION, attention });
    },
    requestEmbedding: async ({ promptId, layer, dimensions, selected }) => {
      if (!this.shownAs(promptId)) return;
      const inspection = await this.inspection(promptId);
      if (!inspection) return;
      const embedding = embeddingView(promptId, inspection, layer, dimensions, selected);
      this.host.post({ type: 'embedding', version: PROTOCOL_VERSION, embedding });
    },
    setModelWindow: ({ promptId, start, count }) => {
      const target = this.shownAs(promptId);
      if (!target) return;
      this.window = { promptId, start, count: Math.max(1, count) };
      this.show(target);
    },
    requestPrefix: ({ promptId, segment, values }) => {
      const target = this.shownAs(promptId);
      if (!target) return;
      return this.comparePrefix(target, segment, values);
    },
    exportModelData: ({ promptId, export: request }) => {
      if (!this.shownAs(promptId)) return;
      return this.export(promptId, request);
    },
  };

  constructor(
    private readonly provider: ModelProvider,
    private readonly host: SessionHost,
  ) {
    this.unsubscribe = [
      provider.onStatus((status) => this.postStatus(status)),
      provider.onReset(() => {
        this.forget();
        if (this.target) this.show(this.target);
      }),
    ];
  }

  /** A model tab is on screen: the model analyses the prompt the token view shows. */
  async refresh(run: Refresh): Promise<void> {
    const target = await run.showPrompt(() => this.show(undefined));
    if (target) this.show(target);
  }

  pageLoaded(): void {
    this.forget();
  }

  pageHidden(): void {
    this.forget();
  }

  /** Between model tabs the analysis stays; leaving them stops the work in flight. */
  tabChanged(mine: boolean): void {
    if (!mine) this.cancel();
  }

  /**
   * A model tab is on screen with this prompt (or none). Analyses it unless it already was; a different
   * prompt cancels the work for the previous one.
   */
  show(target: ShownPrompt | undefined): void {
    this.postStatus(this.provider.status);
    if (!target) return this.cancel();
    const promptId = target.view.id;
    if (this.window?.promptId !== promptId) this.window = { promptId, start: 0 };
    const start = this.window.start;
    const count = Math.min(this.window.count ?? Number.POSITIVE_INFINITY, this.provider.windowTokens());
    const text = targetKey(target);
    const key = JSON.stringify([text, start, count]);
    // The comparison belongs to the prompt's text; a new window of the same text keeps it.
    if (!this.target || targetKey(this.target) !== text) {
      this.prefix = undefined;
      this.latestPrefix.cancel();
    }
    this.target = target;
    if (this.analysis?.key === key) return;
    const signal = this.latest.next();
    const analysis: Analysis = { key, promptId, result: this.analyse(target, start, count, signal) };
    this.analysis = analysis;
    void analysis.result.then((outcome) => {
      if (this.analysis !== analysis || outcome.ok) return;
      // A load failure is the provider's status already; a cancelled run is simply replaced by the next one.
      if (outcome.error.code === 'cancelled' || outcome.error.code === 'empty-prompt' || !this.shape) return;
      this.host.post({ type: 'modelStatus', version: PROTOCOL_VERSION, status: { ...this.provider.status, state: 'error', message: outcome.error.message } });
      this.lastStatus = undefined;
    });
  }

  /** Loads the model (once, shared), runs it on the window and posts the tokens it saw. */
  private async analyse(target: ShownPrompt, windowStart: number, maxTokens: number, signal: AbortSignal): Promise<ModelResult<Inspection>> {
    const started = performance.now();
    const loaded = await this.provider.load();
    if (!loaded.ok) return loaded;
    if (signal.aborted) return { ok: false, error: { code: 'cancelled', message: 'Cancelled: the prompt changed.' } };
    this.shape = loaded.value.shape;
    const promptId = target.view.id;
    const outcome = await inspectPrompt(loaded.value, target.view.text, { windowStart, maxTokens, signal });
    if (signal.aborted) return outcome.ok ? { ok: false, error: { code: 'cancelled', message: 'Cancelled: the prompt changed.' } } : outcome;
    if (outcome.ok) {
      const { tokens, totalTokens, forwardMs } = outcome.value;
      this.host.log(`analysed ${tokens.length} of ${totalTokens} tokens: forward pass ${Math.round(forwardMs)} ms, ${Math.round(performance.now() - started)} ms from the request`);
      this.host.post({ type: 'modelTokens', version: PROTOCOL_VERSION, tokens: modelTokensView(promptId, outcome.value, target.view) });
    } else if (outcome.error.code === 'empty-prompt') {
      // Nothing to run the model on: the views show their empty state.
      const { layers, heads } = loaded.value.shape;
      const empty = { promptId, texts: [], starts: new Uint32Array(0), ends: new Uint32Array(0), dynamic: new Uint8Array(0), windowStart: 0, totalTokens: 0, layers, heads };
      this.host.post({ type: 'modelTokens', version: PROTOCOL_VERSION, tokens: empty });
    }
    return outcome;
  }

  /** No model tab on screen (another tab, or the view hidden): stop the work in flight. */
  private cancel(): void {
    this.target = undefined;
    this.latest.cancel();
    this.latestPrefix.cancel();
    this.analysis = undefined;
  }

  /** A new page: it knows nothing, so everything is sent again when a model tab shows. */
  private forget(): void {
    this.cancel();
    this.prefix = undefined;
    this.shape = undefined;
    this.lastStatus = undefined;
  }

  dispose(): void {
    this.cancel();
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  /** The prompt shown, when it is `promptId`. */
  private shownAs(promptId: string): ShownPrompt | undefined {
    return this.target?.view.id === promptId ? this.target : undefined;
  }

  private postStatus(status: ModelStatusView): void {
    const key = JSON.stringify(status);
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.host.post({ type: 'modelStatus', version: PROTOCOL_VERSION, status });
  }

  /** The current analysis of `promptId`, waiting for it when it is still running; undefined when there is none. */
  private async inspection(promptId: string): Promise<Inspection | undefined> {
    const analysis = this.analysis;
    if (!analysis || analysis.promptId !== promptId) return undefined;
    const outcome = await analysis.result;
    return outcome.ok && this.analysis === analysis ? outcome.value : undefined;
  }

  /** "Why only prefixes cache": the prompt with two values of one dynamic part, compared and timed. */
  private async comparePrefix(target: ShownPrompt, segment: number, values: [string, string] | null): Promise<void> {
    const promptId = target.view.id;
    const reply = (reason: string) => this.host.post({ type: 'prefix', version: PROTOCOL_VERSION, reason });
    const source = target.prompt.segments[segment];
    if (!target.prompt.segments.some((candidate) => candidate.kind === 'dynamic')) {
      return reply('This prompt has no dynamic part: every call sends the same text, so all of it can be cached. Put the cursor in a prompt with a placeholder ({name}, ${value}, {{ field }}) to compare two calls.');
    }
    if (!source || source.kind !== 'dynamic') return reply('Pick one of the prompt’s dynamic parts to vary.');
    const pair = values ?? defaultPrefixValues(source.expression ?? source.text);
    const signal = this.latestPrefix.next();
    // The other dynamic parts keep the values typed in the token view, as the model saw them there.
    const shown: Prompt = {
      ...target.prompt,
      segments: target.prompt.segments.map((part, index) => ({ ...part, text: target.view.text.slice(target.view.segments[index].start, target.view.segments[index].end) })),
    };
    const fillings = fillDynamicSegment(shown, segment, pair[0], pair[1]);
    if (!fillings.ok) return reply(fillings.error.message);
    const loaded = await this.provider.load();
    if (!loaded.ok || signal.aborted) return;
    const maxTokens = this.provider.windowTokens();
    const divergence = await prefixDivergence(loaded.value, fillings.value.textA, fillings.value.textB, { maxTokens, signal });
    if (!divergence.ok) return divergence.error.code === 'cancelled' ? undefined : reply(divergence.error.message);
    const timing = await measurePrefill(loaded.value, fillings.value.textA, fillings.value.textB, { maxTokens, signal, runs: PREFILL_RUNS });
    if (!timing.ok) return timing.error.code === 'cancelled' ? undefined : reply(timing.error.message);
    if (signal.aborted || this.target?.view.id !== promptId) return;
    this.prefix = { promptId, divergence: divergence.value, timing: timing.value, values: pair };
    this.host.log(`prefix comparison: ${timing.value.tokens} tokens, ${timing.value.reusedTokens} reused; prefill ${timing.value.fullMs.toFixed(1)} ms from scratch, ${timing.value.reuseMs.toFixed(1)} ms reusing the prefix`);
    this.host.post({ type: 'prefix', version: PROTOCOL_VERSION, prefix: prefixView(promptId, segment, pair, divergence.value, timing.value) });
  }

  private async export(promptId: string, request: ModelExport): Promise<void> {
    const inspection = request.view === 'prefix' ? undefined : await this.inspection(promptId);
    const prefix = this.prefix?.promptId === promptId ? this.prefix : undefined;
    const file = exportFile(request, { inspection, prefix });
    if ('reason' in file) {
      this.host.warn(`Nothing to export yet: ${file.reason}.`);
      return;
    }
    await this.host.save(file);
  }
}
