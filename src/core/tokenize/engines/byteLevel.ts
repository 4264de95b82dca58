/**
 * GPT-2's byte-level alphabet: byte-level BPE vocabularies (GPT-2, Llama 3, Qwen, DeepSeek) spell each
 * raw byte as one printable character so that a token is a plain string. Source: openai/gpt-2
 * src/encoder.py `bytes_to_unicode()`, which Hugging Face tokenizers' ByteLevel pre-tokenizer copies.
 * Returned inverted, character → byte, because vocabularies are read, never written.
 */
export function byteLevelDecoder(): Map<string, number> {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table = new Map<string, number>();
  for (const b of printable) table.set(String.fromCharCode(b), b);
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    if (!printable.includes(b)) table.set(String.fromCharCode(256 + shifted++), b);
  }
  return table;
}

/**
 * The bytes a byte-level vocabulary piece spells, as a latin1 string (one char per byte, the key
 * format of bytePairMerge.ts), or undefined if a character is outside the alphabet.
 */
export function byteLevelPieceToLatin1(table: Map<string, number>, piece: string): string | undefined {
  let bytes = '';
  for (const char of piece) {
    const byte = table.get(char);
    if (byte === undefined) return undefined;
    bytes += String.fromCharCode(byte);
  }
  return bytes;
}
