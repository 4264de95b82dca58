/**
 * The Cache tab on the extension host: what the provider caches turn by turn, for a pasted conversation,
 * else the log or messages file in the editor (or the last one, while the focus is in this panel), else the
 * prompt the token view would show, as simulated calls. Logs are predicted in a worker thread.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { hostMessage, type CacheWebviewMessage } from '../../../../common/protocol';
import { errorMessage } from '../../../../common/text';
import { PROVIDER_NAMES } from '../../../core/cache';
import type { MessageHandlers, Refresh, TabContext, TabSession } from '../tabSession';
import { promptTitle } from '../tokens/tokenColumns';
import { defaultProvider, isConversationFile, promptCache, providerChoices, type CacheOutcome, type CacheSourceOptions } from './source';
import { CacheWorkerClient } from './workerClient';

type Progress = (done: number, total: number) => void;

/** What the tab shows, keyed by everything its prediction depends on; or why there is nothing. */
type CacheInput = { key: string; compute: (options: CacheSourceOptions, progress: Progress) => Promise<CacheOutcome | undefined> } | { key: string; reason: string };

export class CacheSession implements TabSession {
  /** The provider picked in the cache view; undefined: the setting, else the conversation's model's. */
  private provider: string | undefined;
  /** A conversation pasted into the cache view, shown instead of the editor's until cleared. */
  private pasted: { text: string; version: number } | undefined;
  private pastedVersion = 0;
  /** The log or messages file the cache view showed last: still shown while the focus is in the panel. */
  private document: vscode.Uri | undefined;
  private lastKey: string | undefined;
  /** The cache input being predicted: a refresh for the same input waits for it instead of starting again. */
  private pendingKey: string | undefined;
  /** Logs are predicted in a worker thread (esbuild's dist/cacheWorker.js, next to this bundle): seconds for a long conversation. */
  private readonly worker = new CacheWorkerClient(path.join(__dirname, 'cacheWorker.js'));
  /** Whether a document version reads as a log or conversation, so a cursor move does not parse it again. */
  private readonly conversationChecks = new Map<string, { version: number; result: boolean }>();
  private readonly disposables: vscode.Disposable[];

  readonly handlers: MessageHandlers<CacheWebviewMessage> = {
    setCacheProvider: ({ provider }) => {
      if (!PROVIDER_NAMES.includes(provider)) return;
      this.provider = provider;
      this.context.refresh();
    },
    setCacheInput: ({ text }) => {
      this.pasted = text === null ? undefined : { text, version: ++this.pastedVersion };
      this.context.refresh();
    },
  };

  constructor(private readonly context: TabContext) {
    this.disposables = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.document?.toString() === event.document.uri.toString()) context.refreshSoon();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.conversationChecks.delete(document.uri.toString())),
    ];
  }

  async refresh(run: Refresh): Promise<void> {
    const { models, log } = this.context.deps;
    const settings = this.context.deps.settings().cache;
    const activeModel = models.activeModel();
    const options: CacheSourceOptions = {
      provider: this.provider ?? (settings.provider !== 'auto' ? settings.provider : undefined),
      activeModel,
      findModel: (id) => models.findModel(id),
      // LlmModels caches tokenizers by registry name; a model of the log that the catalogue lacks borrows one.
      tokenizer: (name) => models.tokenizer({ ...activeModel, tokenizer: name }),
      callsPerDay: settings.callsPerDay,
    };
    const input = await this.input();
    if (!run.isCurrent()) return;
    const key = JSON.stringify([input.key, options.provider, activeModel.id, options.callsPerDay]);
    // Shown, or being predicted: a cursor move or a focus change starts nothing new.
    if (key === this.lastKey || key === this.pendingKey) return;
    this.cancel();
    let outcome: CacheOutcome | undefined;
    if ('reason' in input) {
      outcome = { provider: options.provider ?? defaultProvider(activeModel), providers: providerChoices(activeModel.id), reason: input.reason };
    } else {
      this.pendingKey = key;
      this.lastKey = undefined; // the view shows progress from now on, not the last prediction
      const progress: Progress = (done, total) => {
        if (this.pendingKey !== key) return;
        const provider = options.provider ?? defaultProvider(activeModel);
        this.context.post(hostMessage({ type: 'cache', providers: providerChoices(activeModel.id), provider, pasted: this.pasted !== undefined, progress: { done, total } }));
      };
      try {
        outcome = await input.compute(options, progress);
      } catch (error) {
        log.error('Prompt Lens visualizer: cache prediction failed', error);
        outcome = { provider: options.provider ?? defaultProvider(activeModel), providers: providerChoices(activeModel.id), reason: `Prompt Lens could not predict the cache: ${errorMessage(error)}` };
      }
      // A newer input, another tab or a hidden view took over (and cancelled the worker's job).
      if (this.pendingKey !== key || !outcome) return;
      this.pendingKey = undefined;
    }
    this.lastKey = key;
    this.context.post(hostMessage({ type: 'cache', providers: outcome.providers, provider: outcome.provider, pasted: this.pasted !== undefined, ...(outcome.result ? { result: outcome.result } : { reason: outcome.reason ?? '' }) }));
  }

  /** A new page starts from the editor's conversation, not the one pasted into the last page. */
  pageLoaded(): void {
    this.pasted = undefined;
    this.forgetSent();
  }

  pageHidden(): void {
    this.forgetSent();
  }

  tabChanged(): void {
    this.forgetSent();
  }

  settingsChanged(): void {
    this.forgetSent();
  }

  dispose(): void {
    this.worker.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** The webview's copy is gone or stale: the next refresh predicts and sends again. */
  private forgetSent(): void {
    this.lastKey = undefined;
    this.cancel();
  }

  /** The prediction in flight is no longer wanted (another input, another tab, the view hidden or reloaded). */
  private cancel(): void {
    this.pendingKey = undefined;
    this.worker.cancel();
  }

  private async input(): Promise<CacheInput> {
    const { index } = this.context.deps;
    const pasted = this.pasted;
    if (pasted) return { key: `pasted@${pasted.version}`, compute: (options, progress) => this.predictLog(pasted.text, { kind: 'pasted', title: 'pasted conversation' }, options, progress) };
    const document = this.context.follower
      .documentsInView(this.document)
      .find((candidate) => candidate !== undefined && !candidate.isClosed && this.isConversation(candidate));
    if (document) {
      this.document = document.uri;
      const title = index.fileNameOf(document).split(/[\\/]/).pop() ?? 'log';
      const text = document.getText();
      return { key: `${document.uri.toString()}@${document.version}`, compute: (options, progress) => this.predictLog(text, { kind: 'log', title }, options, progress) };
    }
    const found = await this.context.follower.resolve();
    if ('reason' in found) {
      return { key: 'none', reason: 'Open a request log or messages file (JSON or JSONL), put the cursor in a prompt in code, or paste a conversation to see what the provider caches turn by turn.' };
    }
    this.document = undefined;
    const { document: promptDocument, prompt } = found;
    const title = promptTitle(prompt, index.fileNameOf(promptDocument));
    return { key: `${promptDocument.uri.toString()}@${promptDocument.version}#${prompt.id}`, compute: (options) => promptCache(prompt, title, options) };
  }

  private isConversation(document: vscode.TextDocument): boolean {
    const key = document.uri.toString();
    const known = this.conversationChecks.get(key);
    if (known?.version === document.version) return known.result;
    const result = isConversationFile(this.context.deps.index.fileNameOf(document), document.getText());
    this.conversationChecks.set(key, { version: document.version, result });
    return result;
  }

  /** A log or pasted conversation, predicted in the worker; undefined when a newer prediction cancelled it. */
  private predictLog(text: string, source: { kind: 'log' | 'pasted'; title: string }, options: CacheSourceOptions, progress: Progress): Promise<CacheOutcome | undefined> {
    progress(0, 0);
    return this.worker.run({ text, source, provider: options.provider, activeModel: options.activeModel.id, models: this.context.deps.models.models }, progress);
  }
}
