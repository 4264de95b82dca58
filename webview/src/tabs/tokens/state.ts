/**
 * What the panel remembers across hide/show (VS Code destroys a hidden webview without
 * retainContextWhenHidden, and gives back what we stored with setState), and the stats strip text.
 */
import { formatCount, formatPercent, formatTokens, formatUsd } from '../../../../common/format';
import type { TokenColumn } from '../../../../common/protocol/index';
import { MAX_COLUMNS } from '../../../../common/protocol/validate';

export interface ViewState {
  showWhitespace: boolean;
  idsInline: boolean;
  selectedModels: string[];
  pinned: boolean;
  /** The prompt the scroll position belongs to: another prompt starts at the top. */
  promptId?: string;
  scrollTop: number;
}

export const INITIAL_STATE: ViewState = { showWhitespace: false, idsInline: false, selectedModels: [], pinned: false, scrollTop: 0 };

/** The stored state, or the initial one field by field where the stored value is missing or malformed. */
export function restoreState(stored: unknown): ViewState {
  const value = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
  const bool = (key: keyof ViewState) => (typeof value[key] === 'boolean' ? (value[key] as boolean) : (INITIAL_STATE[key] as boolean));
  const models = Array.isArray(value.selectedModels) ? value.selectedModels.filter((model): model is string => typeof model === 'string').slice(0, MAX_COLUMNS) : [];
  const scrollTop = typeof value.scrollTop === 'number' && Number.isFinite(value.scrollTop) && value.scrollTop > 0 ? value.scrollTop : 0;
  return {
    showWhitespace: bool('showWhitespace'),
    idsInline: bool('idsInline'),
    pinned: bool('pinned'),
    selectedModels: models,
    ...(typeof value.promptId === 'string' ? { promptId: value.promptId } : {}),
    scrollTop,
  };
}

/** The numbers of a column's stats strip, as label/value pairs in display order. */
export function columnStats(column: TokenColumn): Array<[string, string]> {
  const tokens = column.ids.length;
  const stats: Array<[string, string]> = [
    ['tokens', formatTokens(tokens, column.approximate)],
    ['characters', formatCount(column.characters)],
    ['chars/token', tokens === 0 ? '–' : (column.characters / tokens).toFixed(2)],
    ['cost per call', formatUsd(column.cost)],
    ['cached input', column.cachedCost === undefined ? 'no cache price' : formatUsd(column.cachedCost)],
  ];
  if (column.contextWindow > 0) stats.push(['context window', `${formatPercent(tokens / column.contextWindow)} of ${formatCount(column.contextWindow)}`]);
  return stats;
}

/** `≈ approximate: <reason>`, or undefined for an exact count. */
export function approximationWarning(column: TokenColumn): string | undefined {
  if (!column.approximate) return undefined;
  return `≈ approximate: ${column.approximation ?? 'this model’s tokenizer is not published; a stand-in tokenizer counted'}`;
}

/** The model selection after the user picked `model` (or nothing) for column `slot`: deduplicated, 1 to 4 ids. */
export function pickModel(selected: readonly string[], slot: number, model: string | undefined): string[] {
  const next = [...selected];
  if (model === undefined) next.splice(slot, 1);
  else if (slot < next.length) next[slot] = model;
  else next.push(model);
  const unique = next.filter((id, index) => next.indexOf(id) === index).slice(0, MAX_COLUMNS);
  return unique.length > 0 ? unique : [...selected];
}
