/** Arithmetic the provider files share: exact counts, rounding to a unit, minimum tables and time spans. */
import type { TokenRange } from '../types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const exactly = (value: number): TokenRange => ({ min: value, max: value });

/** Rounds down to a multiple of `unit`, never below 0. */
export const floorTo = (value: number, unit: number) => Math.max(0, Math.floor(value / unit) * unit);

/** A per-model minimum: the first pattern that matches the model id, else `unknown`. */
export function lookup(table: Array<[RegExp, TokenRange]>, model: string, unknown: TokenRange): TokenRange {
  const id = model.toLowerCase();
  return table.find(([pattern]) => pattern.test(id))?.[1] ?? unknown;
}

/** A minimum applied to a shared prefix: below the stricter minimum the low end is 0, below the looser one everything is. */
export function aboveMinimum(length: TokenRange, minimum: TokenRange): TokenRange {
  return { min: length.min >= minimum.max ? length.min : 0, max: length.max >= minimum.min ? length.max : 0 };
}
