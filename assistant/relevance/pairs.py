"""Scoring (question, sentence) pairs with the trained relevance model, in bf16 on CPU.

One PairScorer per model; the answerer (trained.py) and the training loop's validation both
call it, so what training measures is what the product runs.  Pairs are sorted by length into
small batches (16): padding is the main waste on CPU, and small batches measured fastest
(154 pairs/s at 16 vs 112 at 64, one thread, bf16).  bf16 autocast is 2.8x fp32 on this CPU
(AMX); on a CPU without bf16 it falls back to fp32.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import ContextManager, Sequence

import numpy as np
import torch

from assistant.relevance.model import RelevanceModel, load_tokenizer, sentence_side
from ingest.embedder import cpu_has_bf16

BATCH = 16


class PairScorer:
    """Logits for (question, title | sentence) pairs; higher = the sentence answers the question."""

    def __init__(self, model: RelevanceModel, bf16: bool | None = None, batch: int = BATCH) -> None:
        self.model = model
        self.config = model.config_
        self.tokenizer = load_tokenizer()
        self.bf16 = cpu_has_bf16() if bf16 is None else bf16
        self.batch = batch

    def _autocast(self) -> ContextManager[object]:
        return torch.autocast("cpu", dtype=torch.bfloat16) if self.bf16 else nullcontext()

    def score(self, question: str, items: Sequence[tuple[str, str]]) -> np.ndarray:
        """One logit per (sentence, title) item."""
        return self.score_many([(question, items)])[0]

    def score_many(self, requests: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> list[np.ndarray]:
        """Several questions' items in shared batches (validation speed); one array per request."""
        flat = [(q, sentence_side(s, t, self.config)) for q, items in requests for s, t in items]
        scores = np.zeros(len(flat), dtype=np.float32)
        order = sorted(range(len(flat)), key=lambda i: len(flat[i][0]) + len(flat[i][1]))
        was_training = self.model.training
        self.model.eval()
        with torch.inference_mode(), self._autocast():
            for lo in range(0, len(order), self.batch):
                idx = order[lo : lo + self.batch]
                batch = self.tokenizer(
                    [flat[i][0] for i in idx], [flat[i][1] for i in idx],
                    truncation=True, max_length=self.config.max_tokens, padding=True, return_tensors="pt",
                )
                scores[idx] = self.model.logits(batch).float().numpy()
        self.model.train(was_training)
        out, pos = [], 0
        for _, items in requests:
            out.append(scores[pos : pos + len(items)])
            pos += len(items)
        return out
