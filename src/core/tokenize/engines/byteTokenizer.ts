import { tokenSpans } from './offsets';
import type { Token, Tokenizer } from '../types';

/** What an engine (tiktoken wasm, Hugging Face tokenizers) must provide; the rest is shared. */
export interface TokenEngine {
  /** Ids of `text` as ordinary text: no BOS/EOS, special-token text not treated as special. */
  encode(text: string): number[];
  /** The UTF-8 bytes an id stands for, or undefined for an id outside the vocabulary. */
  bytesOf(id: number): Uint8Array | undefined;
}

const REPLACEMENT = new TextEncoder().encode('\uFFFD');
// ignoreBOM keeps a U+FEFF that is part of the text instead of stripping it as a byte-order mark.
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A Tokenizer whose per-token text, bytes and offsets all derive from the bytes of each id, so
 * every engine reports a split emoji or a SentencePiece `▁` the same way.
 */
export function byteTokenizer(name: string, label: string, engine: TokenEngine): Tokenizer {
  const bytesOrReplacement = (id: number) => engine.bytesOf(id) ?? REPLACEMENT;
  return {
    name,
    label,
    encode: (text) => engine.encode(text),
    count: (text) => engine.encode(text).length,
    tokens(text: string): Token[] {
      const ids = engine.encode(text);
      const bytes = ids.map(bytesOrReplacement);
      const spans = tokenSpans(text, bytes);
      return ids.map((id, k) => ({
        id,
        text: lenientDecoder.decode(bytes[k]),
        bytes: bytes[k],
        start: spans[k].start,
        end: spans[k].end,
      }));
    },
    decode(ids: number[]): string {
      // Decode the joined bytes, not each token, so characters split across tokens come back whole.
      const parts = ids.map(bytesOrReplacement);
      const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
      let offset = 0;
      for (const part of parts) {
        joined.set(part, offset);
        offset += part.length;
      }
      return lenientDecoder.decode(joined);
    },
  };
}
