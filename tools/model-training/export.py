"""Exports a GPT-2 checkpoint to the folder layout Prompt Lens loads (and @huggingface/transformers reads):

  <out>/config.json  generation_config.json  tokenizer.json  tokenizer_config.json  onnx/model.onnx

The ONNX graph is the eager GPT-2 forward pass with every internal the extension shows:
  inputs   input_ids [batch, seq], attention_mask [batch, past+seq], position_ids [batch, seq] (all int64),
           past_key_values.{i}.key / .value [batch, heads, past, head_dim] float32 (past may be 0)
  outputs  logits [batch, seq, vocab]; present.{i}.key / .value [batch, heads, past+seq, head_dim];
           attentions.{i} [batch, heads, seq, past+seq] (after softmax, masked positions exactly 0);
           hidden_states.{i}, i = 0..n_layer (0 = embeddings, n_layer = after the final layer norm)

  python3 tools/model-training/export.py --checkpoint tools/model-training/checkpoint --out media/model        # the project's model
  python3 tools/model-training/export.py --checkpoint ~/gpt2 --out ~/gpt2-lens                   # any HF GPT-2 checkpoint folder

The checkpoint folder holds config.json and model.safetensors or pytorch_model.bin; its tokenizer.json and
tokenizer_config.json are copied when present, otherwise --tokenizer names a folder that has them.
"""
import argparse
import json
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gpt2 import load_checkpoint  # noqa: E402

OPSET = 17  # the newest torch 1.13's exporter writes; onnxruntime (node and web) runs it


class FlatInterface(torch.nn.Module):
    """The model with flat tensor inputs and outputs, in the order the ONNX names are given."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask, position_ids, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(len(past_flat) // 2)]
        logits, presents, attentions, hidden_states = self.model.forward_all(input_ids, attention_mask, position_ids, past)
        flat_presents = [tensor for pair in presents for tensor in pair]
        return (logits, *flat_presents, *attentions, *hidden_states)


def names(n_layer):
    past = [f"past_key_values.{i}.{kind}" for i in range(n_layer) for kind in ("key", "value")]
    inputs = ["input_ids", "attention_mask", "position_ids", *past]
    presents = [f"present.{i}.{kind}" for i in range(n_layer) for kind in ("key", "value")]
    attentions = [f"attentions.{i}" for i in range(n_layer)]
    hidden_states = [f"hidden_states.{i}" for i in range(n_layer + 1)]
    return inputs, ["logits", *presents, *attentions, *hidden_states]


def dynamic_axes(n_layer):
    inputs, outputs = names(n_layer)
    axes = {
        "input_ids": {0: "batch_size", 1: "sequence_length"},
        "position_ids": {0: "batch_size", 1: "sequence_length"},
        "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
        "logits": {0: "batch_size", 1: "sequence_length"},
    }
    for name in inputs[3:]:
        axes[name] = {0: "batch_size", 2: "past_sequence_length"}
    for name in outputs[1:]:
        if name.startswith("present."):
            axes[name] = {0: "batch_size", 2: "total_sequence_length"}
        elif name.startswith("attentions."):
            axes[name] = {0: "batch_size", 2: "sequence_length", 3: "total_sequence_length"}
        else:
            axes[name] = {0: "batch_size", 1: "sequence_length"}
    return axes


def export_onnx(model, path):
    config = model.config
    head_dim = config.n_embd // config.n_head
    # Batch 2, 3 new tokens after 2 past ones: no dimension is 1, so the tracer cannot specialise on it.
    batch, seq, past_length = 2, 3, 2
    input_ids = torch.zeros(batch, seq, dtype=torch.long)
    attention_mask = torch.ones(batch, past_length + seq, dtype=torch.long)
    position_ids = torch.arange(past_length, past_length + seq).unsqueeze(0).expand(batch, seq).contiguous()
    past = [torch.zeros(batch, config.n_head, past_length, head_dim) for _ in range(2 * config.n_layer)]
    input_names, output_names = names(config.n_layer)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(
            FlatInterface(model.eval()),
            (input_ids, attention_mask, position_ids, *past),
            path,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes(config.n_layer),
            opset_version=OPSET,
            do_constant_folding=True,
        )


def write_folder(checkpoint, tokenizer_folder, out):
    model = load_checkpoint(checkpoint)
    with open(os.path.join(checkpoint, "config.json"), encoding="utf-8") as handle:
        original = json.load(handle)
    os.makedirs(out, exist_ok=True)
    # The source config is kept (other tools read its extra fields); the fields a GPT-2 loader needs are made
    # explicit because older checkpoints omit some (e.g. tie_word_embeddings).
    config = {**original, **model.config.to_hf_dict(), "architectures": ["GPT2LMHeadModel"]}
    for key in ("bos_token_id", "eos_token_id"):
        if key in original:
            config[key] = original[key]
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle, indent=2)
        handle.write("\n")
    generation = {key: config[key] for key in ("bos_token_id", "eos_token_id") if key in config}
    with open(os.path.join(out, "generation_config.json"), "w", encoding="utf-8") as handle:
        json.dump(generation, handle, indent=2)
        handle.write("\n")
    for file_name in ("tokenizer.json", "tokenizer_config.json"):
        source = os.path.join(tokenizer_folder, file_name)
        if not os.path.exists(source):
            raise FileNotFoundError(f"{source} is missing; pass --tokenizer with a folder that has {file_name}")
        if os.path.abspath(source) != os.path.abspath(os.path.join(out, file_name)):
            shutil.copyfile(source, os.path.join(out, file_name))
    export_onnx(model, os.path.join(out, "onnx", "model.onnx"))
    return model


def main():
    parser = argparse.ArgumentParser(description="Export a GPT-2 checkpoint folder to the Prompt Lens model layout.")
    parser.add_argument("--checkpoint", required=True, help="folder with config.json + model.safetensors or pytorch_model.bin")
    parser.add_argument("--tokenizer", help="folder with tokenizer.json + tokenizer_config.json (default: --checkpoint)")
    parser.add_argument("--out", required=True, help="output folder (created)")
    args = parser.parse_args()
    write_folder(args.checkpoint, args.tokenizer or args.checkpoint, args.out)
    sizes = {}
    for root, _, files in os.walk(args.out):
        for file_name in files:
            path = os.path.join(root, file_name)
            sizes[os.path.relpath(path, args.out)] = os.path.getsize(path)
    for name, size in sorted(sizes.items()):
        print(f"{size:>12,d}  {name}")
    print(f"{sum(sizes.values()):>12,d}  total")


if __name__ == "__main__":
    sys.exit(main())
