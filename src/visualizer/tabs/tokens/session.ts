/**
 * The Tokens tab on the extension host: the prompt the follower picks, tokenized with the selected models
 * (one column each), the values typed for its dynamic parts, the model picks, and the editor the tokens
 * point back into. The model tabs show the same prompt without columns (showPrompt).
 */
import * as vscode from 'vscode';
import { hostMessage, type TokensWebviewMessage, type PromptView, type TokenColumn } from '../../../../common/protocol';
import { errorMessage, oneLine } from '../../../../common/text';
import { updateSetting } from '../../../config';
import type { ModelInfo } from '../../../core/catalog';
import { PromptSourceMap } from '../../../core/prompt/text';
import type { Prompt } from '../../../core/prompt/types';
import { toVsRange } from '../../../util/ranges';
import type { PromptInDocument } from '../../promptFollower';
import { MAX_DYNAMIC_VALUE_LENGTH } from '../../store';
import type { MessageHandlers, Refresh, ShownPrompt, TabContext, TabSession } from '../tabSession';
import { buildPromptView, buildTokenColumn, columnModels, modelChoices } from './tokenColumns';

const MODELS_SETTING = 'visualizer.models' as const;

interface Shown {
  document: vscode.TextDocument;
  version: number;
  prompt: Prompt;
  view: PromptView;
  map: PromptSourceMap;
  /** Everything the sent message depends on; an equal key means there is nothing new to send. */
  key: string;
}

export class TokensSession implements TabSession {
  private shown: Shown | undefined;
  private lastEmpty: string | undefined;
  private lastCursor: string | undefined;
  /** The unknown visualizer.models entries last warned about. */
  private unknownWarned = '';

  readonly handlers: MessageHandlers<TokensWebviewMessage> = {
    setModels: ({ models }) => this.setModels(models),
    setDynamicValue: ({ promptId, segment, value }) => this.setDynamicValue(promptId, segment, value),
    pin: ({ pinned }) => {
      this.context.follower.pinned = pinned;
      this.context.refresh();
    },
    revealRange: ({ promptId, start, end }) => this.revealRange(promptId, start, end),
    copyText: async ({ text, what }) => {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.showInformationMessage(`Prompt Lens: copied ${oneLine(what, 80) || 'the text'}.`);
    },
  };

  constructor(private readonly context: TabContext) {}

  async refresh(run: Refresh): Promise<void> {
    await this.showPrompt(run, { columns: true });
  }

  pageLoaded(): void {
    this.forgetSent();
    this.postModels();
  }

  pageHidden(): void {
    this.forgetSent();
  }

  tabChanged(): void {
    this.forgetSent();
  }

  /** The model list and every column are sent again. */
  settingsChanged(): void {
    this.postModels();
    this.forgetSent();
  }

  /**
   * Posts the prompt the follower picks, with a column per selected model (`columns`), or why there is none
   * (after `onNone`). Resolves to the prompt shown; undefined when there is none or a newer refresh took over.
   */
  async showPrompt(run: Refresh, options: { columns: boolean; onNone?: () => void }): Promise<ShownPrompt | undefined> {
    const found = await this.context.follower.resolve();
    if (!run.isCurrent()) return undefined;
    if ('reason' in found) {
      options.onNone?.();
      this.showNone(found.reason);
      return undefined;
    }
    this.lastEmpty = undefined;
    if (!(await this.postPrompt(found, options.columns ? this.columnModels() : [], run))) return undefined;
    this.postCursor();
    return this.shown && { prompt: this.shown.prompt, view: this.shown.view };
  }

  private showNone(reason: string): void {
    this.shown = undefined;
    this.lastCursor = undefined;
    this.context.setTitle(undefined);
    if (this.lastEmpty !== reason) this.context.post(hostMessage({ type: 'empty', reason }));
    this.lastEmpty = reason;
  }

  /** Posts the prompt with these models' columns unless it was already; false when a newer refresh took over. */
  private async postPrompt({ document, prompt }: PromptInDocument, models: ModelInfo[], run: Refresh): Promise<boolean> {
    const { store, index } = this.context.deps;
    const documentKey = document.uri.toString();
    const values = store.valuesOf(documentKey, document.version, prompt.id);
    const pinned = this.context.follower.pinned;
    const key = JSON.stringify([documentKey, document.version, prompt.id, values, pinned, models.map((model) => model.id)]);
    if (this.shown?.key === key) return true;
    const { view, layout } = buildPromptView(prompt, { id: store.viewId(documentKey, prompt.id), fileName: index.fileNameOf(document), values, pinned });
    const columns = await this.tokenColumns(view.text, models, run);
    if (!columns) return false;
    const map = new PromptSourceMap(prompt, layout, (range) => document.getText(toVsRange(range)));
    this.shown = { document, version: document.version, prompt, view, map, key };
    this.lastCursor = undefined;
    this.context.setTitle(view.title);
    this.context.post(hostMessage({ type: 'prompt', prompt: view, columns }));
    return true;
  }

  /** The webview's copy is gone or stale (a new page, another tab, new settings): the next refresh sends all again. */
  private forgetSent(): void {
    this.shown = undefined;
    this.lastEmpty = undefined;
    this.lastCursor = undefined;
  }

  private columnModels(): ModelInfo[] {
    const { models, log } = this.context.deps;
    const requested = this.context.deps.settings().visualizerModels;
    const find = (name: string) => models.findModel(name);
    const unknown = requested.filter((name) => !find(name)).join(', ');
    // Said once per setting value, not on every refresh while the tab is on screen.
    if (unknown !== '' && unknown !== this.unknownWarned) log.warn(`promptLens.${MODELS_SETTING}: unknown models left out: ${unknown}`);
    this.unknownWarned = unknown;
    return columnModels(requested, find, models.displayedModels());
  }

  /**
   * One column per model. Each tokenization runs on its own turn of the event loop, so a 50k-token prompt
   * blocks the extension host for one tokenizer at a time, and a newer request stops the rest.
   */
  private async tokenColumns(text: string, models: ModelInfo[], run: Refresh): Promise<TokenColumn[] | undefined> {
    const { models: llmModels, store, log } = this.context.deps;
    const columns: TokenColumn[] = [];
    for (const model of models) {
      let tokenizer;
      try {
        tokenizer = await llmModels.tokenizer(model);
      } catch (error) {
        // LlmModels has already told the user; the other columns are still worth showing.
        log.warn(`Prompt Lens visualizer: no ${model.id} column: ${errorMessage(error)}`);
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (!run.isCurrent()) return undefined;
      columns.push(store.column(model, text, () => buildTokenColumn(model, tokenizer, text)));
    }
    return columns;
  }

  private postCursor(): void {
    const shown = this.shown;
    if (!shown) return;
    const cursor = this.context.follower.cursorIn(shown.document);
    const offset = cursor && shown.document.version === shown.version ? shown.map.toTextOffset(cursor) : -1;
    const key = `${shown.view.id}@${offset}`;
    if (key === this.lastCursor) return;
    this.lastCursor = key;
    this.context.post(hostMessage({ type: 'cursor', promptId: shown.view.id, offset }));
  }

  private postModels(): void {
    const selected = this.columnModels().map((model) => model.id);
    this.context.post(hostMessage({ type: 'models', models: modelChoices(this.context.deps.models.models), selected }));
  }

  private async setModels(ids: string[]): Promise<void> {
    const known = ids.filter((id) => this.context.deps.models.models.some((model) => model.id === id));
    if (known.length === 0) return;
    await updateSetting(MODELS_SETTING, known);
  }

  private setDynamicValue(promptId: string, segment: number, value: string | null): void {
    const shown = this.shown;
    if (!shown || promptId !== shown.view.id) return;
    if (shown.prompt.segments[segment]?.kind !== 'dynamic') return;
    if (value !== null && value.length > MAX_DYNAMIC_VALUE_LENGTH) {
      void vscode.window.showWarningMessage(`Prompt Lens: values longer than ${MAX_DYNAMIC_VALUE_LENGTH.toLocaleString('en-US')} characters are not tokenized.`);
      return;
    }
    this.context.deps.store.setValue(shown.document.uri.toString(), shown.version, shown.prompt.id, segment, value);
    this.context.refresh();
  }

  /** Selects the source of a clicked token in the editor that holds the prompt; the focus stays in the webview. */
  private async revealRange(promptId: string, start: number, end: number): Promise<void> {
    const shown = this.shown;
    if (!shown || promptId !== shown.view.id) return;
    if (shown.document.isClosed || shown.document.version !== shown.version) {
      this.context.refresh(); // the text changed since the tokens were drawn: draw them again instead
      return;
    }
    await this.context.follower.select(shown.document, toVsRange(shown.map.toSourceRange(start, end)));
  }
}
