"""Trains the byte-level BPE tokenizer and encodes the corpus with it.

Why a trained 8,192-token vocabulary rather than GPT-2's 50,257 tokens: with GPT-2's vocabulary the (tied)
embedding of a 192-wide model alone would be 50,257 x 192 x 4 bytes = 38.6 MB, over the 25 MB budget for the whole
model folder; 8,192 tokens cost 6.3 MB and, trained on this English + code + JSON corpus, still give ~3.5
characters per token. The format is exactly GPT-2's (same pre-tokenizer regex, same byte-to-unicode mapping,
a Hugging Face `tokenizer.json` with a BPE model), so any GPT-2-compatible loader reads it.

  python3 tools/model-training/tokenizer.py train    # data/train.txt -> checkpoint/tokenizer.json, tokenizer_config.json
  python3 tools/model-training/tokenizer.py encode   # data/{train,val}.txt -> data/{train,val}.tokens.npy (uint16)

Pure Python (+ numpy for the output arrays): Debian has no package of the `tokenizers` library.
"""
import argparse
import collections
import heapq
import json
import os
import sys

import numpy as np
import regex

# GPT-2's pre-tokenizer, as used by Hugging Face's ByteLevel pre-tokenizer with use_regex=true.
GPT2_SPLIT = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")
END_OF_TEXT = "<|endoftext|>"
DOC_SEPARATOR = "\n\x00\n"  # written by collect_data.py between documents
VOCAB_SIZE = 8192  # 256 bytes + 7,935 merges + <|endoftext|>
HERE = os.path.dirname(os.path.abspath(__file__))


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character table (openai/gpt-2 src/encoder.py)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    characters = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            characters.append(256 + extra)
            extra += 1
    return dict(zip(printable, map(chr, characters)))


BYTE_TO_CHAR = bytes_to_unicode()
BYTE_ORDER = list(BYTE_TO_CHAR)  # token id i (< 256) is byte BYTE_ORDER[i], as in GPT-2's vocabulary


def documents(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read().split(DOC_SEPARATOR)


def train(text_path, vocab_size):
    word_counts = collections.Counter()
    for document in documents(text_path):
        word_counts.update(GPT2_SPLIT.findall(document))
    byte_id = {byte: index for index, byte in enumerate(BYTE_ORDER)}
    words = [[byte_id[b] for b in word.encode("utf-8")] for word in word_counts]
    counts = list(word_counts.values())
    pair_counts = collections.Counter()
    pair_words = collections.defaultdict(set)
    for index, (symbols, count) in enumerate(zip(words, counts)):
        for pair in zip(symbols, symbols[1:]):
            pair_counts[pair] += count
            pair_words[pair].add(index)
    # Max-heap on (count, then the smaller pair first) with lazy deletion: entries are re-pushed when counts change.
    heap = [(-count, pair) for pair, count in pair_counts.items()]
    heapq.heapify(heap)
    merges = []
    next_id = 256
    while next_id < vocab_size - 1 and heap:
        negative_count, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -negative_count or negative_count == 0:
            continue
        merges.append(pair)
        new_id = next_id
        next_id += 1
        changed = collections.Counter()
        for index in sorted(pair_words.pop(pair)):
            symbols = words[index]
            count = counts[index]
            merged = []
            position = 0
            while position < len(symbols):
                if position + 1 < len(symbols) and symbols[position] == pair[0] and symbols[position + 1] == pair[1]:
                    merged.append(new_id)
                    position += 2
                else:
                    merged.append(symbols[position])
                    position += 1
            if len(merged) == len(symbols):
                continue
            for old in zip(symbols, symbols[1:]):
                changed[old] -= count
            for new in zip(merged, merged[1:]):
                changed[new] += count
                pair_words[new].add(index)
            words[index] = merged
        for changed_pair, delta in changed.items():
            if delta == 0:
                continue
            pair_counts[changed_pair] += delta
            if pair_counts[changed_pair] <= 0:
                del pair_counts[changed_pair]
            elif changed_pair != pair:
                heapq.heappush(heap, (-pair_counts[changed_pair], changed_pair))
        pair_counts.pop(pair, None)
    return merges


def token_strings(merges):
    strings = [BYTE_TO_CHAR[b] for b in BYTE_ORDER]
    for left, right in merges:
        strings.append(strings[left] + strings[right])
    return strings


def save(merges, out_dir, model_max_length):
    strings = token_strings(merges)
    vocab = {string: index for index, string in enumerate(strings)}
    if len(vocab) != len(strings):  # two merges spelling the same string would leave a hole in the ids
        raise ValueError("BPE training produced a duplicate token; the vocabulary would not be contiguous")
    eot_id = len(strings)
    byte_level = {"add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [{"id": eot_id, "content": END_OF_TEXT, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": True, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", **byte_level},
        "post_processor": {"type": "ByteLevel", **byte_level, "trim_offsets": False},
        "decoder": {"type": "ByteLevel", **byte_level},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {**vocab, END_OF_TEXT: eot_id},
                  "merges": [f"{strings[left]} {strings[right]}" for left, right in merges]},
    }
    config = {
        "add_bos_token": False,
        "add_prefix_space": False,
        "bos_token": END_OF_TEXT,
        "eos_token": END_OF_TEXT,
        "unk_token": END_OF_TEXT,
        "clean_up_tokenization_spaces": False,
        "model_max_length": model_max_length,
        "tokenizer_class": "GPT2Tokenizer",
    }
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as handle:
        json.dump(tokenizer, handle, ensure_ascii=False, separators=(",", ":"))
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2)
        handle.write("\n")


class Encoder:
    """GPT-2 BPE encoding with a tokenizer.json written by `save` (or any GPT-2-style byte-level BPE)."""

    def __init__(self, tokenizer_json):
        with open(tokenizer_json, encoding="utf-8") as handle:
            model = json.load(handle)["model"]
        self.vocab = model["vocab"]
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
        self.ranks = {pair: rank for rank, pair in enumerate(merges)}
        self.eot_id = self.vocab[END_OF_TEXT]
        self.cache = {}

    def encode_word(self, word):
        cached = self.cache.get(word)
        if cached is not None:
            return cached
        parts = [BYTE_TO_CHAR[b] for b in word.encode("utf-8")]
        while len(parts) > 1:
            best = min(range(len(parts) - 1), key=lambda i: self.ranks.get((parts[i], parts[i + 1]), 1 << 30))
            pair = (parts[best], parts[best + 1])
            if pair not in self.ranks:
                break
            merged = []
            position = 0
            while position < len(parts):
                if position + 1 < len(parts) and (parts[position], parts[position + 1]) == pair:
                    merged.append(pair[0] + pair[1])
                    position += 2
                else:
                    merged.append(parts[position])
                    position += 1
            parts = merged
        ids = [self.vocab[part] for part in parts]
        self.cache[word] = ids
        return ids

    def encode(self, text):
        ids = []
        for word in GPT2_SPLIT.findall(text):
            ids.extend(self.encode_word(word))
        return ids


def encode_corpus(tokenizer_json, text_path, out_path):
    encoder = Encoder(tokenizer_json)
    ids = []
    for document in documents(text_path):
        ids.extend(encoder.encode(document))
        ids.append(encoder.eot_id)
    array = np.array(ids, dtype=np.uint16)
    np.save(out_path, array)
    return array


def main():
    parser = argparse.ArgumentParser(description="Train the BPE tokenizer or encode the corpus with it.")
    parser.add_argument("command", choices=["train", "encode"])
    parser.add_argument("--data", default=os.path.join(HERE, "data"))
    parser.add_argument("--out", default=os.path.join(HERE, "checkpoint"))
    parser.add_argument("--vocab-size", type=int, default=VOCAB_SIZE)
    parser.add_argument("--model-max-length", type=int, default=512)
    args = parser.parse_args()
    if args.command == "train":
        merges = train(os.path.join(args.data, "train.txt"), args.vocab_size)
        save(merges, args.out, args.model_max_length)
        print(f"tokenizer: {len(merges)} merges, vocabulary {256 + len(merges) + 1} -> {os.path.normpath(args.out)}")
    else:
        tokenizer_json = os.path.join(args.out, "tokenizer.json")
        for split in ("train", "val"):
            text_path = os.path.join(args.data, f"{split}.txt")
            array = encode_corpus(tokenizer_json, text_path, os.path.join(args.data, f"{split}.tokens.npy"))
            characters = len(open(text_path, encoding="utf-8").read())
            print(f"{split}: {len(array)} tokens, {characters / len(array):.2f} characters per token")


if __name__ == "__main__":
    sys.exit(main())
