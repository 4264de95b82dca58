"""A GPT-2 decoder whose state dict uses Hugging Face's GPT2LMHeadModel names, so the project's checkpoint and any
Hugging Face GPT-2 checkpoint (config.json + pytorch_model.bin or model.safetensors) go through the same code.

The forward pass is HF GPT-2's eager path (attention probabilities are materialised after softmax) and returns
everything the ONNX export names: logits, present key/values, attentions and hidden states.
"""
import json
import math
import os
import struct

import numpy as np
import torch
from torch import nn

ACTIVATIONS = {
    "gelu_new": lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0)))),
    "gelu_pytorch_tanh": lambda x: nn.functional.gelu(x, approximate="tanh"),
    "gelu": nn.functional.gelu,
    "relu": torch.relu,
}


class Config:
    """The GPT2Config fields this implementation reads (names and defaults as in transformers' GPT2Config)."""

    def __init__(self, **fields):
        self.fields = dict(fields)
        self.vocab_size = fields.get("vocab_size", 50257)
        self.n_positions = fields.get("n_positions", 1024)
        self.n_embd = fields.get("n_embd", 768)
        self.n_layer = fields.get("n_layer", 12)
        self.n_head = fields.get("n_head", 12)
        self.n_inner = fields.get("n_inner") or 4 * self.n_embd
        self.activation_function = fields.get("activation_function", "gelu_new")
        self.layer_norm_epsilon = fields.get("layer_norm_epsilon", 1e-5)
        self.scale_attn_weights = fields.get("scale_attn_weights", True)
        self.scale_attn_by_inverse_layer_idx = fields.get("scale_attn_by_inverse_layer_idx", False)
        self.tie_word_embeddings = fields.get("tie_word_embeddings", True)
        if fields.get("model_type", "gpt2") != "gpt2":
            raise ValueError(f"model_type {fields.get('model_type')!r} is not gpt2; only GPT-2 checkpoints are supported")
        if self.activation_function not in ACTIVATIONS:
            raise ValueError(f"activation_function {self.activation_function!r} is not one of {sorted(ACTIVATIONS)}")
        if self.n_embd % self.n_head:
            raise ValueError(f"n_embd {self.n_embd} is not a multiple of n_head {self.n_head}")

    @classmethod
    def load(cls, folder):
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as handle:
            return cls(**json.load(handle))

    def to_hf_dict(self, **extra):
        return {
            "architectures": ["GPT2LMHeadModel"],
            "model_type": "gpt2",
            "vocab_size": self.vocab_size,
            "n_positions": self.n_positions,
            "n_ctx": self.n_positions,
            "n_embd": self.n_embd,
            "n_layer": self.n_layer,
            "n_head": self.n_head,
            "n_inner": None if self.n_inner == 4 * self.n_embd else self.n_inner,
            "activation_function": self.activation_function,
            "resid_pdrop": 0.0,
            "embd_pdrop": 0.0,
            "attn_pdrop": 0.0,
            "layer_norm_epsilon": self.layer_norm_epsilon,
            "initializer_range": 0.02,
            "scale_attn_weights": self.scale_attn_weights,
            "scale_attn_by_inverse_layer_idx": self.scale_attn_by_inverse_layer_idx,
            "reorder_and_upcast_attn": False,
            "tie_word_embeddings": self.tie_word_embeddings,
            "use_cache": True,
            **{key: self.fields[key] for key in ("bos_token_id", "eos_token_id") if key in self.fields},
            **extra,
        }


class Conv1D(nn.Module):
    """HF GPT-2's transposed linear layer: weight is [in, out]."""

    def __init__(self, n_out, n_in):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_in, n_out).normal_(std=0.02))
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return torch.matmul(x, self.weight) + self.bias


class Attention(nn.Module):
    def __init__(self, config, layer_index):
        super().__init__()
        self.n_embd = config.n_embd
        self.n_head = config.n_head
        self.head_dim = config.n_embd // config.n_head
        self.scale = 1.0
        if config.scale_attn_weights:
            self.scale /= math.sqrt(self.head_dim)
        if config.scale_attn_by_inverse_layer_idx:
            self.scale /= float(layer_index + 1)
        self.c_attn = Conv1D(3 * config.n_embd, config.n_embd)
        self.c_proj = Conv1D(config.n_embd, config.n_embd)

    def split_heads(self, x):
        batch, seq, _ = x.shape
        return x.view(batch, seq, self.n_head, self.head_dim).transpose(1, 2)

    def forward(self, x, past_key, past_value, allowed):
        query, key, value = self.c_attn(x).split(self.n_embd, dim=2)
        query, key, value = self.split_heads(query), self.split_heads(key), self.split_heads(value)
        key = torch.cat([past_key, key], dim=2)
        value = torch.cat([past_value, value], dim=2)
        scores = torch.matmul(query, key.transpose(-1, -2)) * self.scale
        # The most negative float rather than -inf: exp() of it is exactly 0, and a row with nothing allowed
        # (a padded query) stays finite instead of becoming NaN. Same as HF GPT-2's eager attention.
        scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
        probabilities = torch.softmax(scores, dim=-1)
        output = torch.matmul(probabilities, value)
        batch, _, seq, _ = output.shape
        output = output.transpose(1, 2).reshape(batch, seq, self.n_head * self.head_dim)
        return self.c_proj(output), key, value, probabilities


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = Conv1D(config.n_inner, config.n_embd)
        self.c_proj = Conv1D(config.n_embd, config.n_inner)
        self.act = ACTIVATIONS[config.activation_function]

    def forward(self, x):
        return self.c_proj(self.act(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, config, layer_index):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = Attention(config, layer_index)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = MLP(config)

    def forward(self, x, past_key, past_value, allowed):
        attended, key, value, probabilities = self.attn(self.ln_1(x), past_key, past_value, allowed)
        x = x + attended
        x = x + self.mlp(self.ln_2(x))
        return x, key, value, probabilities


class Transformer(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.h = nn.ModuleList(Block(config, index) for index in range(config.n_layer))
        self.ln_f = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.01)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.transformer = Transformer(config)
        if not config.tie_word_embeddings:
            self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        # GPT-2's scaled init of the residual projections (Radford et al. 2019, section 2.3).
        for name, parameter in self.named_parameters():
            if name.endswith("c_proj.weight"):
                nn.init.normal_(parameter, std=0.02 / math.sqrt(2 * config.n_layer))

    def forward_all(self, input_ids, attention_mask, position_ids, past):
        """input_ids, position_ids: [batch, seq]; attention_mask: [batch, past+seq]; past: n_layer (key, value)
        pairs of [batch, heads, past, head_dim]. Returns (logits, presents, attentions, hidden_states)."""
        hidden = self.transformer.wte(input_ids) + self.transformer.wpe(position_ids)
        seq = input_ids.shape[1]
        total = attention_mask.shape[1]
        past_length = total - seq
        # Query i sits at absolute position past_length + i and may see keys 0..past_length + i that are not padding.
        query_positions = torch.arange(seq, device=input_ids.device).unsqueeze(1) + past_length
        key_positions = torch.arange(total, device=input_ids.device).unsqueeze(0)
        causal = key_positions <= query_positions
        allowed = causal.unsqueeze(0).unsqueeze(0) & (attention_mask > 0).unsqueeze(1).unsqueeze(1)
        presents, attentions, hidden_states = [], [], [hidden]
        for block, (past_key, past_value) in zip(self.transformer.h, past):
            hidden, key, value, probabilities = block(hidden, past_key, past_value, allowed)
            presents.append((key, value))
            attentions.append(probabilities)
            hidden_states.append(hidden)
        hidden = self.transformer.ln_f(hidden)
        hidden_states[-1] = hidden  # as HF GPT-2: the last hidden state is taken after the final layer norm
        if self.config.tie_word_embeddings:
            # (W h^T)^T rather than h W^T: the transposes act on activations, so the ONNX exporter's constant
            # folding cannot store a second, transposed copy of the tied embedding matrix.
            logits = torch.matmul(self.transformer.wte.weight, hidden.transpose(1, 2)).transpose(1, 2)
        else:
            logits = self.lm_head(hidden)
        return logits, presents, attentions, hidden_states

    def empty_past(self, batch, device=None):
        head_dim = self.config.n_embd // self.config.n_head
        empty = torch.zeros(batch, self.config.n_head, 0, head_dim, device=device)
        return [(empty, empty)] * self.config.n_layer

    def forward(self, input_ids):
        """Training/evaluation path: logits for a batch of full sequences with no padding and no past."""
        batch, seq = input_ids.shape
        position_ids = torch.arange(seq, device=input_ids.device).unsqueeze(0).expand(batch, seq)
        attention_mask = torch.ones(batch, seq, dtype=torch.long, device=input_ids.device)
        return self.forward_all(input_ids, attention_mask, position_ids, self.empty_past(batch, input_ids.device))[0]

    def hf_state_dict(self):
        """State dict with HF GPT2LMHeadModel names (lm_head.weight present, tied to wte as HF stores it)."""
        state = {name: tensor for name, tensor in self.state_dict().items()}
        if self.config.tie_word_embeddings:
            state["lm_head.weight"] = state["transformer.wte.weight"]
        return state

    def load_hf_state_dict(self, state):
        """Loads GPT2LMHeadModel or GPT2Model names; ignores HF's non-persistent attention-mask buffers."""
        renamed = {}
        for name, tensor in state.items():
            if name.endswith((".attn.bias", ".attn.masked_bias")):
                continue
            if not name.startswith(("transformer.", "lm_head.")):
                name = "transformer." + name
            renamed[name] = tensor.float()
        if self.config.tie_word_embeddings:
            renamed.pop("lm_head.weight", None)
        missing, unexpected = self.load_state_dict(renamed, strict=False)
        if missing or unexpected:
            raise ValueError(f"checkpoint does not match config.json: missing {missing}, unexpected {unexpected}")


SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def read_safetensors(path):
    """Minimal reader of the safetensors format (8-byte little-endian header length, JSON header, raw data);
    Debian has no package of the `safetensors` library. BF16 is widened to float32 by hand."""
    with open(path, "rb") as handle:
        (header_length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(header_length))
        data = handle.read()
    state = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = data[start:end]
        if info["dtype"] == "BF16":
            array = (np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32)
        elif info["dtype"] in SAFETENSORS_DTYPES:
            array = np.frombuffer(raw, dtype=SAFETENSORS_DTYPES[info["dtype"]])
        else:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        state[name] = torch.from_numpy(array.astype(np.float32).reshape(info["shape"]))
    return state


def load_checkpoint(folder):
    """A GPT2LMHeadModel from a Hugging Face checkpoint folder (config.json + model.safetensors or pytorch_model.bin)."""
    config = Config.load(folder)
    model = GPT2LMHeadModel(config)
    safetensors_path = os.path.join(folder, "model.safetensors")
    bin_path = os.path.join(folder, "pytorch_model.bin")
    if os.path.exists(safetensors_path):
        state = read_safetensors(safetensors_path)
    elif os.path.exists(bin_path):
        state = torch.load(bin_path, map_location="cpu")
    else:
        raise FileNotFoundError(f"{folder} has neither model.safetensors nor pytorch_model.bin")
    model.load_hf_state_dict(state)
    return model.eval()


def save_checkpoint(model, folder, extra_config=None):
    """Writes config.json + pytorch_model.bin in half precision (the project ships weights rounded to fp16, so
    the checkpoint is half the size and exporting it reproduces the shipped ONNX exactly)."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as handle:
        json.dump(model.config.to_hf_dict(**(extra_config or {})), handle, indent=2)
        handle.write("\n")
    state = {name: tensor.detach().to("cpu", torch.float16).contiguous() for name, tensor in model.hf_state_dict().items()}
    if model.config.tie_word_embeddings:
        state["lm_head.weight"] = state["transformer.wte.weight"]  # shared storage: stored once
    torch.save(state, os.path.join(folder, "pytorch_model.bin"))
