import * as vscode from 'vscode';
import type { ModelInfo } from '../core/catalog';
import { PromptSourceMap } from '../core/promptText';
import type { Prompt } from '../core/types';
import { toVsRange } from '../convert';
import { errorMessage, type ModelService } from '../modelService';
import type { PromptIndex } from '../promptIndex';
import type { HostMessage, PromptView, TokenColumn, WebviewMessage } from '../../webview/src/protocol';
import { parseWebviewMessage } from '../../webview/src/validate';
import { decodePngDataUrl } from './png';
import { MAX_DYNAMIC_VALUE_LENGTH, type VisualizerStore } from './store';
import { buildPromptView, buildTokenColumn, columnModels, hostMessage, modelChoices } from './view';

/** Cursor moves and typing settle for this long before the view follows them. */
const DEBOUNCE_MS = 150;
const MODELS_SETTING = 'visualizer.models';

export interface VisualizerDeps {
  index: PromptIndex;
  models: ModelService;
  store: VisualizerStore;
  log: vscode.LogOutputChannel;
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
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly isVisible: () => boolean,
    private readonly deps: VisualizerDeps,
    private readonly options: { inEditorArea: boolean; onTitle: (title: string | undefined) => void },
  ) {
    this.disposables.push(
      webview.onDidReceiveMessage((data: unknown) => void this.receive(data)),
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.target?.uri.toString() === event.document.uri.toString()) this.schedule();
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.deps.store.forgetDocument(document.uri.toString())),
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
  }

  private async refresh(): Promise<void> {
    // Nothing is computed for a webview nobody sees; `ready` (sent when it is shown) brings it up to date.
    if (!this.ready || !this.isVisible()) return;
    const generation = ++this.generation;
    const found = await this.resolvePrompt();
    if (generation !== this.generation) return;
    if ('reason' in found) {
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
    const models = this.columnModels();
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
    const requested = vscode.workspace.getConfiguration('promptLens').get<string[]>(MODELS_SETTING, []);
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
        // ModelService has already told the user; the other columns are still worth showing.
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
        this.forgetSent();
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
        void vscode.window.showInformationMessage(`Prompt Lens: copied ${oneLine(message.what) || 'the text'}.`);
        return;
      case 'savePng':
        return this.savePng(message.dataUrl);
    }
  }

  private async setModels(ids: string[]): Promise<void> {
    const known = ids.filter((id) => this.deps.models.models.some((model) => model.id === id));
    if (known.length === 0) return;
    const config = vscode.workspace.getConfiguration('promptLens');
    // Write where the current value comes from, so a workspace setting does not silently win over the pick.
    const target = config.inspect(MODELS_SETTING)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update(MODELS_SETTING, known, target);
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

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
