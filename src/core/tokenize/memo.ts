import type { Tokenizer } from './types';

/**
 * Remembers recent counts. Hover, code lens and status bar ask for the same prompt text again and again
 * while the user moves around a file; a 100k-token prompt costs tens of milliseconds to re-encode.
 */
export function withCountCache(tokenizer: Tokenizer, capacity = 256): Tokenizer {
  const counts = new Map<string, number>();
  return {
    name: tokenizer.name,
    label: tokenizer.label,
    encode: (text) => tokenizer.encode(text),
    tokens: (text) => tokenizer.tokens(text),
    decode: (ids) => tokenizer.decode(ids),
    count(text) {
      const known = counts.get(text);
      if (known !== undefined) {
        // Re-insert so the map's insertion order stays least-recently-used first.
        counts.delete(text);
        counts.set(text, known);
        return known;
      }
      const count = tokenizer.count(text);
      counts.set(text, count);
      if (counts.size > capacity) counts.delete(counts.keys().next().value as string);
      return count;
    },
  };
}
