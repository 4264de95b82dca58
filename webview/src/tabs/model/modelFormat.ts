/**
 * The words of the model tabs, without the DOM: the panel state the e2e test waits on, the status line, the
 * truncation note, token labels, head and layer names, and the prefill timing lines.
 */
import { formatWeight, type HeadChoice } from './heatmap';
import type { ModelStatusView, ModelTokensView, PrefixView } from '../../../../common/protocol/index';
import { displayText } from '../tokens/tokenText';
import { shorten } from '../../../../common/text';

/**
 * `idle`: the model was not asked for yet; `loading`: the model loads, or its data for this view is on the
 * way; `ready`: this view's data is drawn; `error`/`disabled`: as the host's status says; `empty`: no prompt,
 * or nothing this view can show for it (e.g. no dynamic part to vary).
 */
export type PanelState = 'idle' | 'loading' | 'ready' | 'error' | 'disabled' | 'empty';

export function panelState(status: ModelStatusView | undefined, empty: boolean, drawn: boolean): PanelState {
  if (!status) return 'idle';
  if (status.state !== 'ready') return status.state;
  if (empty) return 'empty';
  return drawn ? 'ready' : 'loading';
}

/** The status line's text: the model, then what it is doing (with a percentage while loading), or the reason. */
export function statusText(status: ModelStatusView | undefined, emptyReason: string | undefined): string {
  if (!status) return 'The local model loads when this tab is shown.';
  const progress = status.state === 'loading' && status.progress !== undefined ? ` (${Math.round(status.progress * 100)}%)` : '';
  const head = status.label ? `${status.label}: ` : '';
  if (status.state === 'ready' && emptyReason) return `${head}${emptyReason}`;
  return `${head}${status.message}${progress}`;
}

/** A token for a label or tooltip: whitespace made visible, on one line, cut to `max` characters. */
export function tokenLabel(text: string, max = 24): string {
  // One line: a canvas label or a tooltip line has no room for the newline the token view keeps after ↵.
  const shown = displayText(text, undefined, true).replace(/\n/g, '');
  return shorten(shown, max);
}

/** The window note: which tokens of the prompt the model views show, when not all of them. */
export function windowNote(tokens: Pick<ModelTokensView, 'windowStart' | 'totalTokens' | 'texts'>): string | undefined {
  const n = tokens.texts.length;
  if (tokens.windowStart === 0 && n >= tokens.totalTokens) return undefined;
  const from = tokens.windowStart + 1;
  const to = tokens.windowStart + n;
  return `Truncated: tokens ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} of ${tokens.totalTokens.toLocaleString('en-US')} (a window of ${n.toLocaleString('en-US')}; its size is the promptLens.localModel.window setting).`;
}

export function headLabel(head: HeadChoice, heads: number): string {
  if (head === 'mean') return `mean of ${heads} heads`;
  if (head === 'max') return `max of ${heads} heads`;
  return `head ${head + 1}`;
}

export function layerName(layer: number): string {
  return layer === 0 ? 'input embeddings' : `after layer ${layer}`;
}

/** On a short prompt with a short shared prefix, reuse can be slower (the overhead of feeding the KV back): say so plainly. */
function speedupText(speedup: number): string {
  if (!Number.isFinite(speedup)) return '';
  if (speedup >= 1.05) return ` (${speedup.toFixed(1)}× faster)`;
  if (speedup <= 1 / 1.05) return ` (${(1 / speedup).toFixed(1)}× slower: too little is shared to gain here)`;
  return ' (no measurable difference)';
}

/** The timing lines, as the view and the PNG show them. */
export function prefillSummary(prefill: PrefixView['prefill']): Array<[string, string]> {
  const { fullMs, reusedMs, reusedTokens, totalTokens, maxLogitDifference } = prefill;
  const speedup = reusedMs > 0 ? fullMs / reusedMs : Number.POSITIVE_INFINITY;
  const same = maxLogitDifference < 1e-3;
  return [
    [`Prefill from scratch (${totalTokens.toLocaleString('en-US')} tokens)`, `${fullMs.toFixed(1)} ms`],
    [
      `Reusing the shared prefix’s KV (${reusedTokens.toLocaleString('en-US')} of ${totalTokens.toLocaleString('en-US')} tokens)`,
      `${reusedMs.toFixed(1)} ms${speedupText(speedup)}`,
    ],
    ['Largest logit difference between the two', `${formatWeight(maxLogitDifference)}${same ? ' (same output: the reuse is exact)' : ''}`],
  ];
}

