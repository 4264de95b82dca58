import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelInfo } from '../core/catalog';
import { PromptSourceMap } from '../core/prompt/text';
import type { Prompt } from '../core/prompt/types';
import { toVsRange } from '../util/ranges';
import type { LlmModels } from '../services/llmModels';
import type { PromptIndex } from '../services/promptIndex';
import { PROVIDER_NAMES } from '../core/cache/providers';
import type { HostMessage, PromptView, TokenColumn, ViewTab, WebviewMessage } from '../../common/protocol/index';
import { parseWebviewMessage } from '../../common/protocol/validate';
import { decodePngDataUrl } from './saveFile';
import { MAX_DYNAMIC_VALUE_LENGTH, type VisualizerStore } from './store';
import { defaultProvider, isConversationFile, promptCache, providerChoices, type CacheOutcome, type CacheSourceOptions } from './tabs/cache/source';
import { CacheWorkerClient } from './tabs/cache/workerClient';
import { buildPromptView, buildTokenColumn, columnModels, hostMessage, modelChoices, promptTitle } from './tabs/tokens/tokenColumns';
import { ModelSession, type ModelProvider } from './tabs/model/session';
import type { ExportFile } from './tabs/model/views';
import { errorMessage, oneLine } from '../../common/text';
import { readSettings, updateSetting } from '../config';

/** Cursor moves and typing settle for this long before the view follows them. */
const DEBOUNCE_MS = 150;
const MODELS_SETTING = 'visualizer.models' as const;
/** The tabs that show what the local model computes (issue 5); the host runs the model only while one is on screen. */
const MODEL_TABS: ReadonlySet<ViewTab> = new Set(['attention', 'embedding', 'prefix']);

export interface VisualizerDeps {
  index: PromptIndex;
  models: LlmModels;
  store: VisualizerStore;
  log: vscode.LogOutputChannel;
  /** The model of the model tabs, shared by every webview and loaded on first use (src/services/localModelHost.ts). */
  model: ModelProvider;
}

/** A prompt to show: the document it is in and its id in the current version of that document. */
export interface PromptTarget {
  uri: vscode.Uri;
  promptId: string;
}

interface Shown {
  document: vscode.TextDocument;
  version: number;
  prompt: Prompt;
  view: PromptView;
  map: PromptSourceMap;
  /** Everything the sent message depends on; an equal key means there is nothing new to send. */
  key: string;
}

/**
 * Drives one webview (the side-bar view or the editor panel): follows the prompt under the cursor, or stays
 * on a pinned one; tokenizes it with the selected models while the webview is visible; answers the webview's
 * messages. Each refresh bumps a generation counter, and work for an older generation is dropped.
 */
export class VisualizerController implements vscode.Disposable {
  private ready = false;
  private pinned = false;
  private target: (PromptTarget & { line: number; kind: Prompt['kind'] }) | undefined;
  private request: PromptTarget | undefined;
  private heldCursor: string | undefined;
  private shown: Shown | undefined;
  private lastEmpty: string | undefined;
  private lastCursor: string | undefined;
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The tab on screen in the webview: only its view is computed. */
  private tab: ViewTab = 'tokens';
  /** The provider picked in the cache view; undefined: the setting, else the conversation's model's. */
  private cacheProvider: string | undefined;
  /** A conversation pasted into the cache view, shown instead of the editor's until cleared. */
  private pasted: { text: string; version: number } | undefined;
  private pastedVersion = 0;
  /** The log or messages file the cache view showed last: still shown while the focus is in the panel. */
  private cacheDocument: vscode.Uri | undefined;
  private lastCache: string | undefined;
  /** The cache input being predicted: a refresh for the same input waits for it instead of starting again. */
  private cachePending: string | undefined;
  /** Logs are predicted in a worker thread (esbuild's dist/cacheWorker.js, next to this bundle): seconds for a long conversation. */
  private readonly cacheWorker = new CacheWorkerClient(path.join(__dirname, 'cacheWorker.js'));
  /** Whether a document version reads as a log or conversation, so a cursor move does not parse it again. */
  private readonly conversationChecks = new Map<string, { version: number; result: boolean }>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly modelSession: ModelSession;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly isVisible: () => boolean,
    private readonly deps: VisualizerDeps,
    private readonly options: { inEditorArea: boolean; onTitle: (title: string | undefined) => void },
  ) {
    this.modelSession = new ModelSession(deps.model, {
      post: (message) => this.post(message),
      save: (file) => this.saveExport(file),
      warn: (message) => void vscode.window.showWarningMessage(`Prompt Lens: ${message}`),
      log: (message) => deps.log.info(`model views: ${message}`),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((data: unknown) => void this.receive(data)),
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        const uri = event.document.uri.toString();
        if (event.contentChanges.length > 0 && (this.target?.uri.toString() === uri || this.cacheDocument?.toString() === uri)) this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.deps.store.forgetDocument(document.uri.toString());
        this.conversationChecks.delete(document.uri.toString());
      }),
    );
  }

  /** Show this prompt now (a code lens click, a command); a pinned view stays pinned, to it. */
  show(target: PromptTarget | undefined): void {
    if (target) this.request = target;
    this.schedule(0);
  }

  /** The view was shown or hidden. Hidden webviews lose their page, which sends `ready` again when shown. */
  visibilityChanged(): void {
    if (this.isVisible()) return;
    this.ready = false;
    this.generation++;
    this.forgetSent();
    this.modelSession.forget();
  }

  /** Models or prices changed: the model list and every column are sent again. */
  settingsChanged(): void {
    if (!this.ready) return;
    this.postModels();
    this.forgetSent();
    this.schedule(0);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.generation++;
    this.cacheWorker.dispose();
    this.modelSession.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private schedule(delay = DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.refresh().catch((error: unknown) => {
        this.deps.log.error('Prompt Lens visualizer: refresh failed', error);
        this.post(hostMessage({ type: 'error', message: `Prompt Lens could not show this prompt: ${errorMessage(error)}` }));
      });
    }, delay);
  }

  private forgetSent(): void {
    this.shown = undefined;
    this.lastEmpty = undefined;
    this.lastCursor = undefined;
    this.lastCache = undefined;
    this.cancelCache();
  }

  /** The prediction in flight is no longer wanted (another input, another tab, the view hidden or reloaded). */
  private cancelCache(): void {
    this.cachePending = undefined;
    this.cacheWorker.cancel();
  }

  private async refresh(): Promise<void> {
    // Nothing is computed for a webview nobody sees; `ready` (sent when it is shown) brings it up to date.
    if (!this.ready || !this.isVisible()) return;
    const generation = ++this.generation;
    if (this.tab === 'cache') return this.refreshCache(generation);
    const found = await this.resolvePrompt();
    if (generation !== this.generation) return;
    const modelTab = MODEL_TABS.has(this.tab);
    if ('reason' in found) {
      if (modelTab) this.modelSession.show(undefined);
      this.shown = undefined;
      this.lastCursor = undefined;
      this.options.onTitle(undefined);
      if (this.lastEmpty !== found.reason) this.post(hostMessage({ type: 'empty', reason: found.reason }));
      this.lastEmpty = found.reason;
      return;
    }
    this.lastEmpty = undefined;
    const { document, prompt } = found;
    const documentKey = document.uri.toString();
    const values = this.deps.store.valuesOf(documentKey, document.version, prompt.id);
    // A model tab shows the prompt without token columns: no tokenizer runs for a view that is not on screen.
    const models = modelTab ? [] : this.columnModels();
    const key = JSON.stringify([documentKey, document.version, prompt.id, values, this.pinned, models.map((model) => model.id)]);
    if (this.shown?.key !== key) {
      const { view, layout } = buildPromptView(prompt, {
        id: this.deps.store.viewId(documentKey, prompt.id),
        fileName: this.deps.index.fileNameOf(document),
        values,
        pinned: this.pinned,
      });
      const columns = await this.tokenColumns(view.text, models, generation);
      if (!columns) return; // a newer refresh took over
      const map = new PromptSourceMap(prompt, layout, (range) => document.getText(toVsRange(range)));
      this.shown = { document, version: document.version, prompt, view, map, key };
      this.lastCursor = undefined;
      this.options.onTitle(view.title);
      this.post(hostMessage({ type: 'prompt', prompt: view, columns }));
    }
    this.postCursor();
    if (modelTab && this.shown) this.modelSession.show({ prompt: this.shown.prompt, view: this.shown.view });
  }

  /** The prompt to show: one asked for, else the pinned one, else the one under the cursor, else the last one shown. */
  private async resolvePrompt(): Promise<{ document: vscode.TextDocument; prompt: Prompt } | { reason: string }> {
    const request = this.request;
    this.request = undefined;
    const editor = vscode.window.activeTextEditor;
    if (request) {
      const document = await vscode.workspace.openTextDocument(request.uri);
      const prompt = (await this.deps.index.prompts(document)).find((candidate) => candidate.id === request.promptId);
      if (prompt) {
        // A prompt asked for (a code lens click) stays until the cursor moves, not just until the focus does.
        this.heldCursor = editor && cursorKey(editor);
        return this.follow(document, prompt);
      }
    }
    const held = this.heldCursor !== undefined && editor !== undefined && this.heldCursor === cursorKey(editor);
    if (!held) this.heldCursor = undefined;
    if (!this.pinned && !held && editor && this.deps.index.handles(editor.document)) {
      const prompt = await this.deps.index.promptAt(editor.document, cursorOf(editor));
      if (prompt) return this.follow(editor.document, prompt);
    }
    // The cursor left the prompt (or the focus moved to this panel): keep showing the last prompt.
    const target = this.target;
    const document = target && vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === target.uri.toString());
    if (target && document && !document.isClosed) {
      const prompts = await this.deps.index.prompts(document);
      const prompt = prompts.find((candidate) => candidate.id === target.promptId) ?? nearestOfKind(prompts, target);
      if (prompt) return this.follow(document, prompt);
    }
    this.target = undefined;
    return {
      reason: this.pinned
        ? 'The pinned prompt is gone from its file. Unpin to follow the cursor.'
        : 'Put the cursor in a prompt (a string passed to an LLM call, a *prompt*/*system* variable, a prompt file) to see its tokens.',
    };
  }

  private follow(document: vscode.TextDocument, prompt: Prompt): { document: vscode.TextDocument; prompt: Prompt } {
    this.target = { uri: document.uri, promptId: prompt.id, line: prompt.range.start.line, kind: prompt.kind };
    return { document, prompt };
  }

  private columnModels(): ModelInfo[] {
    const requested = readSettings().visualizerModels;
    const catalog = this.deps.models.models;
    const unknown = requested.filter((name) => !catalog.some((model) => model.id === name || model.aliases?.includes(name)));
    if (unknown.length > 0) this.deps.log.warn(`promptLens.${MODELS_SETTING}: unknown models left out: ${unknown.join(', ')}`);
    return columnModels(requested, catalog, this.deps.models.displayedModels());
  }

  /**
   * One column per model. Each tokenization runs on its own turn of the event loop, so a 50k-token prompt
   * blocks the extension host for one tokenizer at a time, and a newer request stops the rest.
   */
  private async tokenColumns(text: string, models: ModelInfo[], generation: number): Promise<TokenColumn[] | undefined> {
    const columns: TokenColumn[] = [];
    for (const model of models) {
      let tokenizer;
      try {
        tokenizer = await this.deps.models.tokenizer(model);
      } catch (error) {
        // LlmModels has already told the user; the other columns are still worth showing.
        this.deps.log.warn(`Prompt Lens visualizer: no ${model.id} column: ${errorMessage(error)}`);
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (generation !== this.generation) return undefined;
      columns.push(this.deps.store.column(model, text, () => buildTokenColumn(model, tokenizer, text)));
    }
    return columns;
  }

  private postCursor(): void {
    const shown = this.shown;
    if (!shown) return;
    const active = vscode.window.activeTextEditor;
    // With the focus in a webview (a clicked token) there is no active editor, but the prompt's editor is still on screen.
    const editor = active ? (active.document === shown.document ? active : undefined) : vscode.window.visibleTextEditors.find((visible) => visible.document === shown.document);
    const offset = editor && editor.document.version === shown.version ? shown.map.toTextOffset(cursorOf(editor)) : -1;
    const cursor = `${shown.view.id}@${offset}`;
    if (cursor === this.lastCursor) return;
    this.lastCursor = cursor;
    this.post(hostMessage({ type: 'cursor', promptId: shown.view.id, offset }));
  }

  private postModels(): void {
    const selected = this.columnModels().map((model) => model.id);
    this.post(hostMessage({ type: 'models', models: modelChoices(this.deps.models.models), selected }));
  }

  private post(message: HostMessage): void {
    // A webview that went away in the meantime rejects the message; it asks again with `ready`.
    void Promise.resolve(this.webview.postMessage(message)).catch(() => undefined);
  }

  private async receive(data: unknown): Promise<void> {
    const message = parseWebviewMessage(data);
    if (!message) {
      const type = typeof data === 'object' && data !== null ? String((data as { type?: unknown }).type).slice(0, 40) : typeof data;
      this.deps.log.warn(`Prompt Lens visualizer: ignored an invalid message from the webview (type ${type})`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      this.deps.log.error(`Prompt Lens visualizer: ${message.type} failed`, error);
      void vscode.window.showErrorMessage(`Prompt Lens: ${errorMessage(error)}`);
    }
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.tab = 'tokens'; // a new page starts on the token view and says so when it is on another
        this.pasted = undefined;
        this.forgetSent();
        this.modelSession.forget();
        this.postModels();
        this.schedule(0);
        return;
      case 'setModels':
        return this.setModels(message.models);
      case 'setDynamicValue': {
        const shown = this.shown;
        if (!shown || message.promptId !== shown.view.id) return;
        if (shown.prompt.segments[message.segment]?.kind !== 'dynamic') return;
        if (message.value !== null && message.value.length > MAX_DYNAMIC_VALUE_LENGTH) {
          void vscode.window.showWarningMessage(`Prompt Lens: values longer than ${MAX_DYNAMIC_VALUE_LENGTH.toLocaleString('en-US')} characters are not tokenized.`);
          return;
        }
        this.deps.store.setValue(shown.document.uri.toString(), shown.version, shown.prompt.id, message.segment, message.value);
        this.schedule(0);
        return;
      }
      case 'pin':
        this.pinned = message.pinned;
        this.schedule(0);
        return;
      case 'revealRange':
        return this.revealRange(message.promptId, message.start, message.end);
      case 'copyText':
        await vscode.env.clipboard.writeText(message.text);
        void vscode.window.showInformationMessage(`Prompt Lens: copied ${oneLine(message.what, 80) || 'the text'}.`);
        return;
      case 'savePng':
        return this.savePng(message.dataUrl);
      case 'setTab':
        // Between model tabs the analysis stays; leaving them stops the work in flight.
        if (!MODEL_TABS.has(message.tab)) this.modelSession.cancel();
        this.tab = message.tab;
        this.forgetSent();
        this.schedule(0);
        return;
      case 'setCacheProvider':
        if (!PROVIDER_NAMES.includes(message.provider)) return;
        this.cacheProvider = message.provider;
        this.schedule(0);
        return;
      case 'setCacheInput':
        this.pasted = message.text === null ? undefined : { text: message.text, version: ++this.pastedVersion };
        this.schedule(0);
        return;
      case 'requestAttention':
      case 'requestEmbedding':
      case 'requestPrefix':
      case 'setModelWindow':
      case 'exportModelData':
        return this.modelSession.handle(message);
    }
  }

  /**
   * The Cache tab: a pasted conversation, else the log or messages file in the editor (or the last one, while
   * the focus is in this panel), else the prompt the token view would show, as simulated calls.
   */
  private async refreshCache(generation: number): Promise<void> {
    const settings = readSettings().cache;
    const activeModel = this.deps.models.activeModel();
    const options: CacheSourceOptions = {
      provider: this.cacheProvider ?? (settings.provider !== 'auto' ? settings.provider : undefined),
      activeModel,
      findModel: (id) => this.deps.models.findModel(id),
      // LlmModels caches tokenizers by registry name; a model of the log that the catalogue lacks borrows one.
      tokenizer: (name) => this.deps.models.tokenizer({ ...activeModel, tokenizer: name }),
      callsPerDay: settings.callsPerDay,
    };
    const input = await this.cacheInput();
    if (generation !== this.generation) return;
    const key = JSON.stringify([input.key, options.provider, activeModel.id, options.callsPerDay]);
    // Shown, or being predicted: a cursor move or a focus change starts nothing new.
    if (key === this.lastCache || key === this.cachePending) return;
    this.cancelCache();
    let outcome: CacheOutcome | undefined;
    if ('reason' in input) {
      outcome = { provider: options.provider ?? defaultProvider(activeModel), providers: providerChoices(activeModel.id), reason: input.reason };
    } else {
      this.cachePending = key;
      this.lastCache = undefined; // the view shows progress from now on, not the last prediction
      const progress = (done: number, total: number) => {
        if (this.cachePending !== key) return;
        const provider = options.provider ?? defaultProvider(activeModel);
        this.post(hostMessage({ type: 'cache', providers: providerChoices(activeModel.id), provider, pasted: this.pasted !== undefined, progress: { done, total } }));
      };
      try {
        outcome = await input.compute(options, progress);
      } catch (error) {
        this.deps.log.error('Prompt Lens visualizer: cache prediction failed', error);
        outcome = { provider: options.provider ?? defaultProvider(activeModel), providers: providerChoices(activeModel.id), reason: `Prompt Lens could not predict the cache: ${errorMessage(error)}` };
      }
      // A newer input, another tab or a hidden view took over (and cancelled the worker's job).
      if (this.cachePending !== key || !outcome) return;
      this.cachePending = undefined;
    }
    this.lastCache = key;
    this.post(hostMessage({ type: 'cache', providers: outcome.providers, provider: outcome.provider, pasted: this.pasted !== undefined, ...(outcome.result ? { result: outcome.result } : { reason: outcome.reason ?? '' }) }));
  }

  private isConversation(document: vscode.TextDocument): boolean {
    const key = document.uri.toString();
    const known = this.conversationChecks.get(key);
    if (known?.version === document.version) return known.result;
    const result = isConversationFile(this.deps.index.fileNameOf(document), document.getText());
    this.conversationChecks.set(key, { version: document.version, result });
    return result;
  }

  private async cacheInput(): Promise<{ key: string; compute: (options: CacheSourceOptions, progress: (done: number, total: number) => void) => Promise<CacheOutcome | undefined> } | { key: string; reason: string }> {
    const pasted = this.pasted;
    if (pasted) return { key: `pasted@${pasted.version}`, compute: (options, progress) => this.predictLog(pasted.text, { kind: 'pasted', title: 'pasted conversation' }, options, progress) };
    // With the focus in this panel there is no active editor: the file shown last, else one still on screen.
    const open = (uri: vscode.Uri | undefined) => uri && vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    const active = vscode.window.activeTextEditor?.document;
    const candidates = active ? [active] : [open(this.cacheDocument), open(this.target?.uri), ...vscode.window.visibleTextEditors.map((editor) => editor.document)];
    const document = candidates.find((candidate) => candidate !== undefined && !candidate.isClosed && this.isConversation(candidate));
    if (document) {
      this.cacheDocument = document.uri;
      const title = this.deps.index.fileNameOf(document).split(/[\\/]/).pop() ?? 'log';
      const text = document.getText();
      return { key: `${document.uri.toString()}@${document.version}`, compute: (options, progress) => this.predictLog(text, { kind: 'log', title }, options, progress) };
    }
    const found = await this.resolvePrompt();
    if ('reason' in found) {
      return { key: 'none', reason: 'Open a request log or messages file (JSON or JSONL), put the cursor in a prompt in code, or paste a conversation to see what the provider caches turn by turn.' };
    }
    this.cacheDocument = undefined;
    const { document: promptDocument, prompt } = found;
    const title = promptTitle(prompt, this.deps.index.fileNameOf(promptDocument));
    return { key: `${promptDocument.uri.toString()}@${promptDocument.version}#${prompt.id}`, compute: (options) => promptCache(prompt, title, options) };
  }

  /** A log or pasted conversation, predicted in the worker; undefined when a newer prediction cancelled it. */
  private predictLog(text: string, source: { kind: 'log' | 'pasted'; title: string }, options: CacheSourceOptions, progress: (done: number, total: number) => void): Promise<CacheOutcome | undefined> {
    progress(0, 0);
    return this.cacheWorker.run({ text, source, provider: options.provider, activeModel: options.activeModel.id, models: this.deps.models.models }, progress);
  }

  private async setModels(ids: string[]): Promise<void> {
    const known = ids.filter((id) => this.deps.models.models.some((model) => model.id === id));
    if (known.length === 0) return;
    await updateSetting(MODELS_SETTING, known);
  }

  /** Selects the source of a clicked token in the editor that holds the prompt; the focus stays in the webview. */
  private async revealRange(promptId: string, start: number, end: number): Promise<void> {
    const shown = this.shown;
    if (!shown || promptId !== shown.view.id) return;
    if (shown.document.isClosed || shown.document.version !== shown.version) {
      this.schedule(0); // the text changed since the tokens were drawn: draw them again instead
      return;
    }
    const range = toVsRange(shown.map.toSourceRange(start, end));
    const visible = vscode.window.visibleTextEditors.find((editor) => editor.document === shown.document);
    const editor = await vscode.window.showTextDocument(shown.document, {
      // The panel sits in an editor group of its own; opening the file there would hide the panel.
      viewColumn: visible?.viewColumn ?? (this.options.inEditorArea ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active),
      preserveFocus: true,
    });
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  /** A model view's matrices as CSV or JSON, where the user says. */
  private async saveExport(file: ExportFile): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const extension = file.fileName.split('.').pop() ?? 'csv';
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder && vscode.Uri.joinPath(folder, file.fileName),
      filters: extension === 'json' ? { JSON: ['json'] } : { CSV: ['csv'] },
      saveLabel: 'Export',
      title: 'Prompt Lens: Export Model Data',
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(file.text));
    void vscode.window.showInformationMessage(`Prompt Lens: saved ${uri.path.split('/').pop()}.`);
  }

  private async savePng(dataUrl: string): Promise<void> {
    const png = decodePngDataUrl(dataUrl);
    if (!png.ok) {
      void vscode.window.showErrorMessage(`Prompt Lens: could not save the image: ${png.reason}.`);
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      defaultUri: folder && vscode.Uri.joinPath(folder, 'prompt-tokens.png'),
      filters: { 'PNG image': ['png'] },
      saveLabel: 'Save Image',
      title: 'Prompt Lens: Save Tokens as PNG',
    });
    if (!uri) return;
    await vscode.workspace.fs.writeFile(uri, png.bytes);
    void vscode.window.showInformationMessage(`Prompt Lens: saved ${uri.path.split('/').pop()}.`);
  }
}

/** The selection's start when something is selected (a clicked token), else the cursor. */
function cursorOf(editor: vscode.TextEditor): vscode.Position {
  return editor.selection.isEmpty ? editor.selection.active : editor.selection.start;
}

function cursorKey(editor: vscode.TextEditor): string {
  const { anchor, active } = editor.selection;
  return `${editor.document.uri.toString()}@${editor.document.version}:${anchor.line}:${anchor.character}-${active.line}:${active.character}`;
}

/** After an edit above it, a prompt's id (its start position) changes: the same kind of prompt nearest its old line. */
function nearestOfKind(prompts: Prompt[], target: { line: number; kind: Prompt['kind'] }): Prompt | undefined {
  let best: Prompt | undefined;
  for (const prompt of prompts) {
    if (prompt.kind !== target.kind) continue;
    if (!best || Math.abs(prompt.range.start.line - target.line) < Math.abs(best.range.start.line - target.line)) best = prompt;
  }
  return best;
}
