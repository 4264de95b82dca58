// The pure half of the visualizer: what the webview is sent, built from a prompt, the values typed for its
// dynamic parts and the selected models. No `vscode` here, so unit tests cover all of it.
import { costOfCall, type ModelInfo } from '../../../core/catalog';
import { layoutPromptText, type PromptTextLayout } from '../../../core/prompt/text';
import type { Tokenizer } from '../../../core/tokenize/types';
import type { Prompt } from '../../../core/prompt/types';
import { describePrompt } from '../../../features/counts/labels';
import { MAX_COLUMNS } from '../../../../common/protocol/validate';
import type { ModelChoice, PartialToken, PromptView, TokenColumn } from '../../../../common/protocol/index';

/** `system prompt · support_bot.py:10`: the file's base name only; the webview never sees a path. */
export function promptTitle(prompt: Prompt, fileName: string): string {
  const baseName = fileName.split(/[\\/]/).pop() || fileName;
  return `${describePrompt(prompt)} · ${baseName}:${prompt.range.start.line + 1}`;
}

export function buildPromptView(
  prompt: Prompt,
  options: { id: string; fileName: string; values: Readonly<Record<number, string>>; pinned: boolean },
): { view: PromptView; layout: PromptTextLayout } {
  const layout = layoutPromptText(prompt, options.values);
  const view: PromptView = {
    id: options.id,
    title: promptTitle(prompt, options.fileName),
    text: layout.text,
    segments: prompt.segments.map((segment, index) => ({
      kind: segment.kind,
      source: segment.text,
      ...(segment.kind === 'dynamic' ? { expression: segment.expression ?? segment.text } : {}),
      start: layout.segments[index].start,
      end: layout.segments[index].end,
    })),
    dynamicValues: { ...options.values },
    pinned: options.pinned,
  };
  return { view, layout };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One model's tokens of `text`, with the numbers of the stats strip. One pass over the tokenizer's tokens into
 * three typed arrays; only the rare partial-character tokens get an object of their own.
 */
export function buildTokenColumn(model: ModelInfo, tokenizer: Tokenizer, text: string): TokenColumn {
  const tokens = tokenizer.tokens(text);
  const count = tokens.length;
  // Arrays of their own (not views into one buffer): VS Code posts a typed array's whole underlying buffer.
  const ids = new Uint32Array(count);
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  const partial: PartialToken[] = [];
  for (let k = 0; k < count; k++) {
    const token = tokens[k];
    ids[k] = token.id;
    starts[k] = token.start;
    ends[k] = token.end;
    // Part of a multi-byte character: the webview shows the bytes (<0xE2>), not a replacement character.
    if (!isWholeCharacters(token.text, token.bytes)) partial.push({ index: k, bytes: Array.from(token.bytes) });
  }
  const column: TokenColumn = {
    modelId: model.id,
    modelLabel: model.label,
    tokenizer: tokenizer.label,
    approximate: model.approximate,
    ids,
    starts,
    ends,
    partial,
    // Prompts are tokenized as ordinary text (see Tokenizer.encode): special-token text never becomes one.
    special: [],
    characters: text.length,
    contextWindow: model.contextWindow,
  };
  if (model.approximation !== undefined) column.approximation = model.approximation;
  const cost = costOfCall(model, count);
  if (cost !== undefined) column.cost = cost;
  // Only a model with a cached-input price has a cached cost; costOfCall would fall back to the full price.
  if (model.price?.cachedInput !== undefined) column.cachedCost = costOfCall(model, count, count);
  return column;
}

/**
 * Whether a token's bytes are whole UTF-8 characters. `text` is their decoding, and a decoder writes U+FFFD for
 * every invalid sequence: text without one is whole characters, with no decoding at all (nearly every token).
 * With one, the bytes may still be a real U+FFFD (from a lone surrogate), so they are checked strictly.
 */
function isWholeCharacters(text: string, bytes: Uint8Array): boolean {
  if (!text.includes('\uFFFD')) return true;
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export function modelChoices(models: readonly ModelInfo[]): ModelChoice[] {
  return models.map((model) => ({ id: model.id, label: model.label, tokenizer: model.tokenizer, approximate: model.approximate }));
}

/**
 * The models to show a column for: the ones asked for (ids or aliases; unknown ones left out, duplicates
 * once), else the defaults (the active model and the comparison models); always 1 to MAX_COLUMNS.
 */
export function columnModels(requested: readonly string[], find: (idOrAlias: string) => ModelInfo | undefined, defaults: readonly ModelInfo[]): ModelInfo[] {
  const picked = new Map<string, ModelInfo>();
  for (const name of requested) {
    const model = find(name);
    if (model) picked.set(model.id, model);
  }
  const chosen = picked.size > 0 ? [...picked.values()] : [...new Map(defaults.map((model) => [model.id, model])).values()];
  return chosen.slice(0, MAX_COLUMNS);
}

