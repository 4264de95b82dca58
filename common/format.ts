/** Number and money formatting shared by the editor and the CLI, so both print the same strings. */

// Made on first use: building an Intl formatter loads Node's locale data, which activation need not wait for.
let integer: Intl.NumberFormat | undefined;

export function formatCount(value: number): string {
  integer ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return integer.format(value);
}

/** `$0.0032`, `$1.25`, `<$0.0001`: enough significant digits to compare prompts, never scientific notation. */
export function formatUsd(value: number | undefined): string {
  if (value === undefined) return 'no price';
  if (value === 0) return '$0';
  if (value < 0.0001) return '<$0.0001';
  if (value < 1) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}

export function formatPercent(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 0.1) return '<0.1%';
  return `${percent.toFixed(percent < 10 ? 1 : 0)}%`;
}

/** `1,284 tokens` or `≈1,301 tokens` when the count comes from a stand-in tokenizer. */
export function formatTokens(tokens: number, approximate: boolean): string {
  return `${approximate ? '≈' : ''}${formatCount(tokens)} token${tokens === 1 ? '' : 's'}`;
}

/** `1 file`, `2 files`, `1,024 characters`: a count with its noun, singular for exactly one. */
export function formatQuantity(value: number, noun: string): string {
  return `${formatCount(value)} ${noun}${value === 1 ? '' : 's'}`;
}

/** `1,152` or `1,024–1,152`: a token range as one number where it is exact; `format` prints each end. */
export function formatRange(range: { min: number; max: number }, format: (value: number) => string = formatCount): string {
  return range.min === range.max ? format(range.max) : `${format(range.min)}–${format(range.max)}`;
}

/** `1,920`, `≤1,920` (eligible: the provider may still route the request elsewhere) or `0–1,920` (uncertain). */
export function formatTokenRange(range: { min: number; max: number }, certainty: 'exact' | 'eligible' | 'probabilistic' = 'exact'): string {
  return range.min === range.max && certainty === 'eligible' && range.max > 0 ? `≤${formatCount(range.max)}` : formatRange(range);
}

/** `$0.0123` or `$0.0100–$0.0123`, never below `$0`; `no price` when the model has none. */
export function formatMoneyRange(range: { min: number; max: number } | undefined): string {
  if (!range) return 'no price';
  return formatRange({ min: Math.max(0, range.min), max: range.max }, formatUsd);
}
