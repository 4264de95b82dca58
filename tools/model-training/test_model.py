"""Checks of the model definition, the checkpoint loaders and the export, in PyTorch and on the ONNX graph.

  python3 -m unittest discover -s model -p 'test_*.py'

The numeric checks of the exported ONNX itself (run by onnxruntime) are in test/unit/tools/modelTraining/export.test.ts.
"""
import json
import os
import struct
import sys
import tempfile
import unittest

import numpy as np
import onnx
import onnx.numpy_helper
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import names, write_folder  # noqa: E402
from gpt2 import Config, GPT2LMHeadModel, load_checkpoint, save_checkpoint  # noqa: E402

CHECKPOINT = os.path.join(HERE, "checkpoint")
SHIPPED = os.path.join(HERE, "..", "..", "media", "model")
BUDGET_BYTES = 25 * 1000 * 1000


def run(model, ids, attention_mask=None, start=0, past=None):
    ids = torch.tensor(ids)
    batch, seq = ids.shape
    past = past or model.empty_past(batch)
    total = start + seq
    mask = torch.ones(batch, total, dtype=torch.long) if attention_mask is None else torch.tensor(attention_mask)
    positions = torch.arange(start, total).unsqueeze(0).expand(batch, seq)
    with torch.no_grad():
        return model.forward_all(ids, mask, positions, past)


def write_safetensors(state, path):
    header, chunks, offset = {}, [], 0
    for name, tensor in state.items():
        data = tensor.detach().float().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header).encode("utf-8")
    with open(path, "wb") as handle:
        handle.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


class ShippedCheckpoint(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = load_checkpoint(CHECKPOINT)
        cls.ids = [[int(i) for i in np.random.RandomState(0).randint(0, cls.model.config.vocab_size, 24)]]

    def test_attention_rows_sum_to_one_and_nothing_is_above_the_diagonal(self):
        _, _, attentions, _ = run(self.model, self.ids)
        self.assertEqual(len(attentions), self.model.config.n_layer)
        for attention in attentions:
            self.assertEqual(list(attention.shape), [1, self.model.config.n_head, 24, 24])
            self.assertLess((attention.sum(-1) - 1).abs().max().item(), 1e-5)
            self.assertEqual(torch.triu(attention, diagonal=1).abs().max().item(), 0.0)

    def test_reusing_a_prefix_kv_gives_the_logits_of_a_full_run(self):
        full_logits, _, _, _ = run(self.model, self.ids)
        _, presents, _, _ = run(self.model, [self.ids[0][:10]])
        rest_logits, rest_presents, rest_attentions, _ = run(self.model, [self.ids[0][10:]], start=10, past=presents)
        self.assertLess((rest_logits - full_logits[:, 10:]).abs().max().item(), 1e-4)
        self.assertEqual(list(rest_presents[0][0].shape), [1, self.model.config.n_head, 24, 32])
        self.assertEqual(list(rest_attentions[0].shape), [1, self.model.config.n_head, 14, 24])

    def test_padding_gets_exactly_zero_attention_and_leaves_the_other_rows_unchanged(self):
        ids = self.ids[0][:8]
        alone, _, _, _ = run(self.model, [ids])
        # Left padding, as a batch with a longer neighbour would have it; positions still start at 0 for the text.
        padded_ids = torch.tensor([[0, 0] + ids])
        mask = torch.tensor([[0, 0] + [1] * 8])
        positions = torch.tensor([[0, 0] + list(range(8))])
        with torch.no_grad():
            logits, _, attentions, _ = self.model.forward_all(padded_ids, mask, positions, self.model.empty_past(1))
        self.assertEqual(attentions[0][0, :, 2:, :2].abs().max().item(), 0.0)
        self.assertLess((logits[:, 2:] - alone).abs().max().item(), 1e-4)

    def test_hidden_states_are_the_embeddings_then_each_layer_with_the_last_after_the_final_norm(self):
        logits, _, _, hidden_states = run(self.model, self.ids)
        self.assertEqual(len(hidden_states), self.model.config.n_layer + 1)
        transformer = self.model.transformer
        embeddings = transformer.wte(torch.tensor(self.ids)) + transformer.wpe(torch.arange(24)).unsqueeze(0)
        self.assertLess((hidden_states[0] - embeddings).abs().max().item(), 1e-6)
        # The last one is what the (tied) head reads, i.e. it is taken after ln_f.
        head_input_logits = hidden_states[-1] @ transformer.wte.weight.T
        self.assertLess((head_input_logits - logits).abs().max().item(), 1e-4)


class CheckpointFormats(unittest.TestCase):
    def test_safetensors_and_gpt2model_names_load_the_same_weights(self):
        torch.manual_seed(0)
        config = Config(vocab_size=64, n_positions=16, n_embd=16, n_layer=2, n_head=2)
        model = GPT2LMHeadModel(config).eval()
        expected, _, _, _ = run(model, [[1, 2, 3, 4]])
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as handle:
                json.dump(config.to_hf_dict(), handle)
            # Old GPT-2 checkpoints: no "transformer." prefix, plus HF's causal-mask buffers.
            state = {name[len("transformer."):]: tensor for name, tensor in model.state_dict().items()}
            state["h.0.attn.bias"] = torch.ones(1, 1, 16, 16)
            write_safetensors(state, os.path.join(folder, "model.safetensors"))
            loaded, _, _, _ = run(load_checkpoint(folder), [[1, 2, 3, 4]])
        self.assertLess((loaded - expected).abs().max().item(), 1e-6)

    def test_a_checkpoint_that_does_not_match_its_config_is_refused(self):
        small = GPT2LMHeadModel(Config(vocab_size=64, n_positions=16, n_embd=16, n_layer=2, n_head=2))
        with tempfile.TemporaryDirectory() as folder:
            save_checkpoint(small, folder)
            with open(os.path.join(folder, "config.json"), encoding="utf-8") as handle:
                config = json.load(handle)
            config["n_layer"] = 3
            with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as handle:
                json.dump(config, handle)
            with self.assertRaisesRegex(ValueError, "does not match config.json"):
                load_checkpoint(folder)

    def test_a_non_gpt2_config_is_refused_with_a_clear_message(self):
        with self.assertRaisesRegex(ValueError, "only GPT-2"):
            Config(model_type="llama")


class ShippedFolder(unittest.TestCase):
    def test_the_shipped_folder_fits_the_size_budget(self):
        total = sum(os.path.getsize(os.path.join(root, name)) for root, _, files in os.walk(SHIPPED) for name in files)
        self.assertLessEqual(total, BUDGET_BYTES)

    def test_exporting_the_project_checkpoint_reproduces_the_shipped_folder(self):
        with tempfile.TemporaryDirectory() as out:
            write_folder(CHECKPOINT, CHECKPOINT, out)
            for name in ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json"):
                with open(os.path.join(out, name), "rb") as fresh, open(os.path.join(SHIPPED, name), "rb") as shipped:
                    self.assertEqual(fresh.read(), shipped.read(), name)
            fresh = onnx.load(os.path.join(out, "onnx", "model.onnx"))
        shipped = onnx.load(os.path.join(SHIPPED, "onnx", "model.onnx"))
        onnx.checker.check_model(shipped)
        n_layer = load_checkpoint(CHECKPOINT).config.n_layer
        input_names, output_names = names(n_layer)
        self.assertEqual([i.name for i in shipped.graph.input], input_names)
        self.assertEqual([o.name for o in shipped.graph.output], output_names)
        self.assertEqual([n.op_type for n in fresh.graph.node], [n.op_type for n in shipped.graph.node])
        fresh_weights = {t.name: onnx.numpy_helper.to_array(t) for t in fresh.graph.initializer}
        shipped_weights = {t.name: onnx.numpy_helper.to_array(t) for t in shipped.graph.initializer}
        self.assertEqual(sorted(fresh_weights), sorted(shipped_weights))
        for name, array in shipped_weights.items():
            np.testing.assert_array_equal(fresh_weights[name], array, err_msg=name)


if __name__ == "__main__":
    unittest.main()
