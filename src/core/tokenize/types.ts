/** One token of an encoded text. Offsets are UTF-16 code-unit offsets into the encoded string. */
export interface Token {
  id: number;
  /** Decoded text of this token; for a token that is only part of a UTF-8 character, the replacement '\uFFFD'. */
  text: string;
  /** UTF-8 bytes of this token. */
  bytes: Uint8Array;
  /** Start offset (UTF-16 code units) in the source string. Tokens that split one character share the character's span. */
  start: number;
  /** End offset (exclusive). */
  end: number;
}

export interface Tokenizer {
  /** Registry name, e.g. `o200k_base`, `hf:llama3`. */
  readonly name: string;
  /** Human label, e.g. `o200k_base (tiktoken)`. */
  readonly label: string;
  /** Encode as ordinary text: special-token-looking text such as `<|endoftext|>` is never treated as special. */
  encode(text: string): number[];
  count(text: string): number;
  /** Encode with per-token text, bytes and offsets (slower; for boundaries and views). */
  tokens(text: string): Token[];
  decode(ids: number[]): string;
}
