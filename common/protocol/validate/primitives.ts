/** The checks every parser builds on: pure type guards over untrusted values, no message knowledge. */

/** A message's fields, once its envelope (an object of this protocol version with a string type) checked. */
export type Fields = Record<string, unknown>;

/**
 * One parser per message type of `M`: given a message whose envelope checked, the message itself, or
 * undefined when a field is wrong. A table of this type fails to compile while a type of `M` has no parser.
 */
export type Parsers<M extends { type: string }> = { [K in M['type']]: (message: Fields) => Extract<M, { type: K }> | undefined };

/** `message` as the type its parser returns when `valid`, else undefined. */
export function accept<M>(message: Fields, valid: boolean): M | undefined {
  return valid ? (message as M) : undefined;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isOptional<T>(value: unknown, check: (value: unknown) => value is T): boolean {
  return value === undefined || check(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

export function isByteArray(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false;
  for (const byte of value) if (!Number.isInteger(byte) || byte < 0 || byte > 255) return false;
  return true;
}

export function isStringList(value: unknown, min: number, max: number): value is string[] {
  return Array.isArray(value) && value.length >= min && value.length <= max && value.every(isString);
}

export function isUint32Array(value: unknown): value is Uint32Array {
  return value instanceof Uint32Array;
}

export function isFloat32Array(value: unknown): value is Float32Array {
  return value instanceof Float32Array;
}

export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

/** A count, or an offset or index into a text or a list: an integer ≥ 0. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export function isBoundedCount(value: unknown, max: number): value is number {
  return isCount(value) && value <= max;
}

export function isList<T>(value: unknown, check: (item: unknown) => item is T, max = Number.POSITIVE_INFINITY): value is T[] {
  return Array.isArray(value) && value.length <= max && value.every(check);
}

/** Every value finite and within [min, max]; one loop, as a layer of attention holds millions of them. */
export function allWithin(values: Float32Array, min: number, max: number): boolean {
  for (let k = 0; k < values.length; k++) {
    const value = values[k];
    if (!(value >= min && value <= max)) return false;
  }
  return true;
}

export function allFinite(values: Float32Array): boolean {
  return allWithin(values, -Number.MAX_VALUE, Number.MAX_VALUE);
}
