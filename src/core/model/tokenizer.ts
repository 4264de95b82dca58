import * as fs from 'node:fs';
import * as path from 'node:path';
import { byteLevelDecoder } from '../tokenize/byteLevel';
import { byteTokenizer } from '../tokenize/byteTokenizer';
import type { Tokenizer } from '../tokenize';

/**
 * The tokenizer of a model folder, with per-token offsets into the prompt (the views point from a
 * matrix row back to the text). Same engine and conventions as src/core/tokenize/huggingface.ts:
 * `@huggingface/tokenizers` (the engine inside @huggingface/transformers), no BOS/EOS added, and
 * special-token text in the prompt read as ordinary text.
 */
export async function loadFolderTokenizer(folder: string): Promise<Tokenizer> {
  const { Tokenizer: HfTokenizer } = await import('@huggingface/tokenizers');
  const json = JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer.json'), 'utf8')) as {
    added_tokens?: { id: number; content: string; special: boolean }[];
    decoder?: unknown;
  };
  const config = JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  const addedTokens = json.added_tokens ?? [];
  const byteLevel = JSON.stringify(json.decoder ?? null).includes('"ByteLevel"');
  const engine = new HfTokenizer({ ...json, added_tokens: addedTokens.filter((token) => !token.special) }, config);

  const utf8 = new TextEncoder();
  const literal = new Map<number, Uint8Array>();
  for (const token of addedTokens) literal.set(token.id, utf8.encode(token.content));
  const table = byteLevelDecoder();
  const cache = new Map<number, Uint8Array>();
  const pieceBytes = (piece: string): Uint8Array => {
    if (!byteLevel) {
      // SentencePiece-style vocabularies: `▁` is a space, `<0xNN>` one raw byte.
      const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
      return byte ? Uint8Array.of(parseInt(byte[1], 16)) : utf8.encode(piece.replaceAll('\u2581', ' '));
    }
    const bytes: number[] = [];
    for (const char of piece) {
      const byte = table.get(char);
      if (byte !== undefined) bytes.push(byte);
      else bytes.push(...utf8.encode(char));
    }
    return Uint8Array.from(bytes);
  };

  const name = `folder:${path.basename(folder)}`;
  return byteTokenizer(name, `${path.basename(folder)} (model folder)`, {
    encode: (text) => (text.length === 0 ? [] : engine.encode(text, { add_special_tokens: false }).ids),
    bytesOf(id) {
      const known = literal.get(id) ?? cache.get(id);
      if (known) return known;
      const piece = Number.isInteger(id) ? engine.id_to_token(id) : undefined;
      if (piece === undefined) return undefined;
      const bytes = pieceBytes(piece);
      cache.set(id, bytes);
      return bytes;
    },
  });
}
