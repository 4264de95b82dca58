/**
 * What the Tokens tab remembers across hide/show (VS Code destroys a hidden webview without
 * retainContextWhenHidden, and gives back what we stored with setState), and the model selection rule.
 */
import { MAX_COLUMNS } from '../../../../common/protocol/index';
import { isRecord } from '../../../../common/text';

export interface TokensState {
  showWhitespace: boolean;
  idsInline: boolean;
  selectedModels: string[];
  pinned: boolean;
  /** The prompt the scroll position belongs to: another prompt starts at the top. */
  promptId?: string;
  scrollTop: number;
}

export const INITIAL_STATE: TokensState = { showWhitespace: false, idsInline: false, selectedModels: [], pinned: false, scrollTop: 0 };

/** The stored state, or the initial one field by field where the stored value is missing or malformed. */
export function restoreState(stored: unknown): TokensState {
  const value = isRecord(stored) ? stored : {};
  const bool = (key: keyof TokensState) => (typeof value[key] === 'boolean' ? (value[key] as boolean) : (INITIAL_STATE[key] as boolean));
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

/** The model selection after the user picked `model` (or nothing) for column `slot`: deduplicated, 1 to 4 ids. */
export function pickModel(selected: readonly string[], slot: number, model: string | undefined): string[] {
  const next = [...selected];
  if (model === undefined) next.splice(slot, 1);
  else if (slot < next.length) next[slot] = model;
  else next.push(model);
  const unique = next.filter((id, index) => next.indexOf(id) === index).slice(0, MAX_COLUMNS);
  return unique.length > 0 ? unique : [...selected];
}
