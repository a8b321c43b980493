"""`newsdesk train relevance` end to end on a tiny quiz data set written for the test (seconds):
groups are built from the training weeks only, a fixed number of steps runs, the best validation
checkpoint is written as fp16 safetensors + model.json + metrics.json and loads as the product's
scorer; the same seed gives the same weights; missing data is one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import main
from assistant.relevance.model import RelevanceModel
from assistant.relevance.pairs import PairScorer
from quiz_fixture import write_quiz_data
from training.data import load_questions, week_split
from training.loop import TrainConfig
from training.relevance import run


@pytest.fixture(scope="module")
def quiz(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    return write_quiz_data(tmp_path_factory.mktemp("quiz"))


def test_the_split_keeps_the_last_weeks_for_validation(quiz: Path) -> None:
    train, validation = week_split(load_questions(quiz / "questions.jsonl"))
    assert {q.week for q in validation} == {"20220128"} and len(train) == 6
    assert max(q.week for q in train) < min(q.week for q in validation)


def test_the_training_command_writes_a_model_the_assistant_loads(quiz: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "relevance"
    code = main(["train", "relevance", "--data", str(quiz), "--out", str(out), "--steps", "4", "--eval-every", "2", "--threads", "1"])
    assert code == 0
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert [h["step"] for h in metrics["history"]] == [2, 4] and metrics["steps"] == 4
    assert metrics["data"]["validation_weeks"] == 1 and metrics["data"]["train_groups"] > 0
    assert metrics["best"]["mrr"] == max(h["mrr"] for h in metrics["history"])
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["train"]["seed"] == 0 and meta["train"]["steps"] == 4 and meta["validation"] == metrics["best"]
    from safetensors import safe_open

    with safe_open(str(out / "model.safetensors"), "pt") as stored:
        keys = list(stored.keys())
        assert {str(stored.get_tensor(k).dtype) for k in keys} == {"torch.float16"}
    assert "encoder.embeddings.word_embeddings.weight" not in keys and "head.weight" in keys
    scorer = PairScorer(RelevanceModel.load(out))
    scores = scorer.score("How many ferry workers backed the strike?", [("The union said 400 of its 455 members backed it.", "Ferry strike")])
    assert scores.shape == (1,) and np.isfinite(scores).all()
    assert "model written to" in capsys.readouterr().err


def test_the_same_seed_gives_the_same_weights(quiz: Path, tmp_path: Path) -> None:
    config = TrainConfig(steps=2, eval_every=2, threads=1)
    for name in ("a", "b"):
        run(quiz, tmp_path / name, config, log=lambda line: None)
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()


def test_missing_training_data_is_one_clear_line(tmp_path: Path, capsys) -> None:
    code = main(["train", "relevance", "--data", str(tmp_path), "--out", str(tmp_path / "out")])
    assert code == 2
    assert capsys.readouterr().err.strip() == f"newsdesk train: {tmp_path / 'questions.jsonl'}: training data missing (set --data or NEWSDESK_SHARED)"
    assert not (tmp_path / "out").exists()
