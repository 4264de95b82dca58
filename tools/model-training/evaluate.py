"""Validation loss and perplexity of a checkpoint on the held-out text, next to a unigram baseline.

  python3 tools/model-training/evaluate.py --checkpoint tools/model-training/checkpoint

Held-out text: data/val.tokens.npy (files whose path hash puts them in the validation split, see collect_data.py),
cut into consecutive windows of n_positions tokens; every token but each window's first is predicted, and the
baseline is scored on exactly the same tokens. The unigram baseline is the add-one smoothed token frequency of
data/train.tokens.npy. Writes data/eval.json.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt2 import load_checkpoint  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


@torch.no_grad()
def model_loss(model, tokens, window):
    """Summed next-token negative log-likelihood (nats) and the positions it covers."""
    total = 0.0
    predicted = []
    for start in range(0, len(tokens) - 1, window):
        chunk = torch.from_numpy(tokens[start:start + window].astype(np.int64)).unsqueeze(0)
        if chunk.shape[1] < 2:
            break
        logits = model(chunk[:, :-1])
        total += torch.nn.functional.cross_entropy(logits[0], chunk[0, 1:], reduction="sum").item()
        predicted.append(tokens[start + 1:start + chunk.shape[1]])
    return total, np.concatenate(predicted)


def unigram_loss(train_tokens, targets, vocab_size):
    counts = np.bincount(train_tokens.astype(np.int64), minlength=vocab_size).astype(np.float64) + 1.0
    log_probabilities = np.log(counts / counts.sum())
    return float(-log_probabilities[targets.astype(np.int64)].sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkpoint", default=os.path.join(HERE, "checkpoint"))
    parser.add_argument("--data", default=os.path.join(HERE, "data"))
    parser.add_argument("--out", default=os.path.join(HERE, "data", "eval.json"))
    args = parser.parse_args()
    model = load_checkpoint(args.checkpoint)
    val_tokens = np.load(os.path.join(args.data, "val.tokens.npy"))
    train_tokens = np.load(os.path.join(args.data, "train.tokens.npy"))
    with open(os.path.join(args.data, "val.txt"), encoding="utf-8") as handle:
        val_bytes = len(handle.read().encode("utf-8"))
    nll, targets = model_loss(model, val_tokens, model.config.n_positions)
    baseline = unigram_loss(train_tokens, targets, model.config.vocab_size)
    count = len(targets)
    result = {
        "val_tokens_scored": int(count),
        "val_tokens_total": int(len(val_tokens)),
        "val_bytes": val_bytes,
        "model": {"loss": nll / count, "perplexity": math.exp(nll / count)},
        "unigram": {"loss": baseline / count, "perplexity": math.exp(baseline / count)},
    }
    # Bits per byte make the numbers comparable with models that use another tokenizer (approximate: the scored
    # tokens are all but one per window, so the byte count is scaled by the scored fraction).
    scored_bytes = val_bytes * count / len(val_tokens)
    for name in ("model", "unigram"):
        loss = result[name]["loss"]
        result[name]["bits_per_byte"] = loss * count / math.log(2) / scored_bytes
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())
