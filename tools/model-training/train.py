"""Trains the project's GPT-2 on data/train.tokens.npy and writes the checkpoint (config.json + pytorch_model.bin).

  python3 tools/model-training/train.py --steps 1000 --threads 1   # the shipped run (see MODEL_CARD.md for its numbers)
  python3 tools/model-training/train.py --steps 0                  # an untrained checkpoint with the shipped shape

Runs unchanged on CPU or, when torch sees one, an NVIDIA GPU. Seeded: the same command on the same hardware and
thread count gives the same weights (float sums differ across thread counts and devices, so bit-equality is
only promised for the same setup).

The learning rate is warmed up and then held constant, and the weights written are an exponential moving average
of the trained ones. Neither depends on the total number of steps, so a run cut short by --time-limit is exactly
reproduced by rerunning with --steps set to the steps it completed (printed and logged).
"""
import argparse
import json
import math
import os
import platform
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt2 import Config, GPT2LMHeadModel, save_checkpoint  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
# Sized for the 25 MB budget and for CPU training: 4 layers x 4 heads of 32 dims, 512 positions.
MODEL = dict(vocab_size=8192, n_positions=512, n_embd=128, n_layer=4, n_head=4, activation_function="gelu_new",
             bos_token_id=8191, eos_token_id=8191)


def cpu_name():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def batches(tokens, batch_size, seq_len, seed):
    """Random windows of seq_len + 1 tokens (inputs and next-token targets) from a seeded generator."""
    generator = np.random.RandomState(seed)
    while True:
        starts = generator.randint(0, len(tokens) - seq_len - 1, size=batch_size)
        window = np.stack([tokens[start:start + seq_len + 1] for start in starts]).astype(np.int64)
        yield torch.from_numpy(window)


@torch.no_grad()
def mean_loss(model, tokens, seq_len, device, max_windows):
    model.eval()
    losses = []
    for start in range(0, min(len(tokens) - 1, max_windows * seq_len), seq_len):
        window = torch.from_numpy(tokens[start:start + seq_len + 1].astype(np.int64)).unsqueeze(0).to(device)
        logits = model(window[:, :-1])
        losses.append(torch.nn.functional.cross_entropy(logits[0], window[0, 1:], reduction="sum").item() / (window.shape[1] - 1))
    model.train()
    return sum(losses) / len(losses)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--time-limit", type=float, default=None, help="stop after this many seconds (logged)")
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--seq-len", type=int, default=512)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--ema", type=float, default=0.99)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: torch's choice)")
    parser.add_argument("--data", default=os.path.join(HERE, "data"))
    parser.add_argument("--out", default=os.path.join(HERE, "checkpoint"))
    parser.add_argument("--log", default=os.path.join(HERE, "data", "train-log.json"))
    args = parser.parse_args()

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = GPT2LMHeadModel(Config(**MODEL)).to(device)
    ema = [parameter.detach().clone() for parameter in model.parameters()]
    parameter_count = sum(parameter.numel() for parameter in model.parameters())
    hardware = torch.cuda.get_device_name(device) if device.type == "cuda" else f"{cpu_name()}, {torch.get_num_threads()} thread(s)"
    print(f"{parameter_count:,} parameters on {hardware}")

    train_tokens = np.load(os.path.join(args.data, "train.tokens.npy")) if args.steps else None
    val_tokens = np.load(os.path.join(args.data, "val.tokens.npy")) if args.steps else None
    decay, no_decay = [], []
    for name, parameter in model.named_parameters():
        (decay if parameter.dim() >= 2 and "wpe" not in name else no_decay).append(parameter)
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=args.lr, betas=(0.9, 0.95))
    stream = batches(train_tokens, args.batch_size, args.seq_len, args.seed) if args.steps else None
    started = time.time()
    history = []
    step = 0
    while step < args.steps:
        if args.time_limit is not None and time.time() - started > args.time_limit:
            break
        window = next(stream).to(device)
        for group in optimizer.param_groups:
            group["lr"] = args.lr * min(1.0, (step + 1) / args.warmup)
        logits = model(window[:, :-1])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), window[:, 1:].reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        with torch.no_grad():
            for average, parameter in zip(ema, model.parameters()):
                average.mul_(args.ema).add_(parameter.detach(), alpha=1.0 - args.ema)
        if step % 50 == 0 or step == args.steps:
            elapsed = time.time() - started
            entry = {"step": step, "train_loss": round(loss.item(), 4), "seconds": round(elapsed, 1),
                     "tokens_per_second": round(step * args.batch_size * args.seq_len / elapsed)}
            if step % 200 == 0:
                entry["val_loss_sample"] = round(mean_loss(model, val_tokens, args.seq_len, device, 8), 4)
            history.append(entry)
            print(json.dumps(entry), flush=True)

    elapsed = time.time() - started
    with torch.no_grad():
        # Early in training the average still remembers the random init; debias it as Adam does.
        correction = 1.0 - args.ema ** step if step else 1.0
        for average, parameter in zip(ema, model.parameters()):
            if step:
                parameter.copy_(average / correction)
    save_checkpoint(model.cpu(), args.out)
    summary = {
        "steps": step,
        "tokens_seen": step * args.batch_size * args.seq_len,
        "parameters": parameter_count,
        "train_seconds": round(elapsed, 1),
        "hardware": hardware,
        "torch": torch.__version__,
        "args": {key: value for key, value in vars(args).items() if key not in ("data", "out", "log")},
        "history": history,
    }
    os.makedirs(os.path.dirname(args.log), exist_ok=True)
    with open(args.log, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    print(f"done: {step} steps, {summary['tokens_seen']:,} tokens in {elapsed:.0f} s -> {args.out}")


if __name__ == "__main__":
    sys.exit(main())
