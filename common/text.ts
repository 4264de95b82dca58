/** Small text and value helpers both bundles use: one copy each, so every message reads the same. */

/** The message of anything thrown: an Error's message, else its string form. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A plain object (not null, not an array): what parsed JSON or a message must be before its fields are read. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first `length` UTF-16 code units, one fewer when that would split a surrogate pair. */
function cutAt(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

/** Text longer than `max` code units cut to `keep` of them (never inside a surrogate pair), with an ellipsis. */
export function shorten(text: string, max: number, keep = max - 1): string {
  return text.length > max ? `${cutAt(text, keep)}…` : text;
}

/** Whitespace collapsed and cut to `max` code units (never inside a surrogate pair), with an ellipsis. */
export function oneLine(text: string, max: number): string {
  return shorten(text.replace(/\s+/g, ' ').trim(), max);
}
