"""The trained relevance model (assistant/relevance/trained.py, models/relevance): it loads offline
and is the default scorer; a missing, corrupt or mismatched file is one clear line naming it; on
articles written here it puts the answering sentence past the lead first and scores an
unrelated article as irrelevant."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.relevance import make_reranker
from assistant.relevance.model import META_FILE, WEIGHTS_FILE, ModelFileError, RelevanceModel
from assistant.relevance.trained import DEFAULT_MODEL, TrainedReranker, TrainedSentenceScorer, models_dir
from assistant.settings import AssistantSettings
from support import build_index, cli_env

LIBRARY = """Brackenford library to close for a year of repairs
Date: 2025-03-04
Source: Valley Courier

BRACKENFORD — The town's central library will close for a year from April while its roof and heating are replaced, the council said on Tuesday.

The building, which opened in 1911, draws about 1,200 visitors a day. The repairs will cost 4.8 million pounds, most of it from a national heritage grant.

During the closure, books can be borrowed from a temporary branch in the old post office on Mill Street. Councillor Hana Okafor, who leads on culture, said she would ask the mobile library to visit the outlying villages twice a week.

Staff will not lose their jobs, the council said.
"""

FOOTBALL = """Rovers hold Dunmore to a goalless draw
Date: 2025-03-02
Source: Valley Sport

Rovers held league leaders Dunmore to a goalless draw on Saturday, with their goalkeeper saving a penalty in the last minute.

The result leaves Dunmore four points clear at the top of the table with nine games to play. Rovers' manager praised a defence that has not conceded at home since January.
"""


@pytest.fixture(scope="module")
def library_assistant(tmp_path_factory, embedder) -> Assistant:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("trained-articles")
    (folder / "library.txt").write_text(LIBRARY, encoding="utf-8")
    (folder / "football.txt").write_text(FOOTBALL, encoding="utf-8")
    return Assistant(build_index(tmp_path_factory.mktemp("trained-index"), [folder]))


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "relevance"
    shutil.copytree(models_dir() / DEFAULT_MODEL, folder)
    return folder


# -- loading ---------------------------------------------------------------------------------------


def test_the_shipped_model_is_the_default_and_loads_offline(library_assistant) -> None:
    assert AssistantSettings.load().sentence_scorer == "trained"
    scorer = library_assistant.scorer
    assert isinstance(scorer, TrainedSentenceScorer) and library_assistant.answerer.scorer is scorer
    meta = json.loads((models_dir() / DEFAULT_MODEL / META_FILE).read_text(encoding="utf-8"))
    assert meta["word_embeddings_sha256"] == scorer.pairs.model.word_embeddings_sha256()
    assert scorer.thresholds.abstain_below > -20 and scorer.config.prefilter >= 16
    size = sum(p.stat().st_size for p in (models_dir()).rglob("*") if p.is_file())
    assert size <= 60 * 1024 * 1024  # the house limit for shipped weights


def test_a_model_folder_brings_its_own_calibrated_threshold(model_copy: Path) -> None:
    """A logit scale is one checkpoint's: its thresholds.json (calibrate_gates.py --write) sets the
    abstention threshold; without one the built-in default holds; a caller's own value wins; a
    damaged file is one clear error naming it."""
    from assistant.relevance.trained import THRESHOLDS_FILE, TrainedConfig

    (model_copy / THRESHOLDS_FILE).unlink(missing_ok=True)
    assert TrainedSentenceScorer.load(model_copy).thresholds.abstain_below == TrainedConfig.abstain_below
    (model_copy / THRESHOLDS_FILE).write_text('{"abstain_below": -3.5, "rule": "test"}', encoding="utf-8")
    assert TrainedSentenceScorer.load(model_copy).thresholds.abstain_below == -3.5
    assert TrainedSentenceScorer.load(model_copy, TrainedConfig(type_prior=None)).thresholds.abstain_below == -3.5
    assert TrainedSentenceScorer.load(model_copy, TrainedConfig(abstain_below=1.0)).thresholds.abstain_below == 1.0
    for bad in ('{"abstain_below": "low"}', '{"other": 1}', "[1, 2", '{"abstain_below": NaN}'):
        (model_copy / THRESHOLDS_FILE).write_text(bad, encoding="utf-8")
        with pytest.raises(ModelFileError, match=rf"^{re.escape(str(model_copy / THRESHOLDS_FILE))}: not a thresholds file"):
            TrainedSentenceScorer.load(model_copy)


def test_the_shipped_threshold_file_matches_the_documented_default() -> None:
    from assistant.relevance.trained import THRESHOLDS_FILE, TrainedConfig

    shipped = json.loads((models_dir() / DEFAULT_MODEL / THRESHOLDS_FILE).read_text(encoding="utf-8"))
    assert TrainedSentenceScorer.load().thresholds.abstain_below == shipped["abstain_below"] == TrainedConfig.abstain_below


def test_the_product_and_the_calibration_agree_on_the_model_folder(model_copy: Path, monkeypatch) -> None:
    """calibrate_gates.py --write writes thresholds.json to relevance_model_folder(): the folder the
    assistant loads, named by NEWSDESK_RELEVANCE_MODEL or else the shipped one."""
    from assistant.relevance.registry import relevance_model_folder

    monkeypatch.delenv("NEWSDESK_RELEVANCE_MODEL", raising=False)
    assert relevance_model_folder() == (models_dir() / DEFAULT_MODEL).resolve()
    monkeypatch.setenv("NEWSDESK_RELEVANCE_MODEL", str(model_copy))
    assert relevance_model_folder() == model_copy.resolve()


def test_a_missing_weights_file_is_one_clear_error_naming_it(model_copy: Path) -> None:
    (model_copy / WEIGHTS_FILE).unlink()
    with pytest.raises(ModelFileError, match=rf"^{re.escape(str(model_copy / WEIGHTS_FILE))}: relevance model weights missing"):
        RelevanceModel.load(model_copy)


def test_a_missing_description_is_one_clear_error_naming_it(model_copy: Path) -> None:
    (model_copy / META_FILE).unlink()
    with pytest.raises(ModelFileError, match=rf"^{re.escape(str(model_copy / META_FILE))}: relevance model description missing"):
        RelevanceModel.load(model_copy)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_corrupt_weights_are_one_clear_error_naming_the_file(model_copy: Path, damage: str) -> None:
    weights = model_copy / WEIGHTS_FILE
    data = weights.read_bytes()
    weights.write_bytes(b"not a safetensors file at all" if damage == "garbage" else data[: len(data) // 2])
    with pytest.raises(ModelFileError, match=rf"^{re.escape(str(weights))}: corrupt relevance model weights") as caught:
        RelevanceModel.load(model_copy)
    assert "\n" not in str(caught.value)


def test_other_word_embeddings_are_refused_by_their_sha256(model_copy: Path) -> None:
    meta = json.loads((model_copy / META_FILE).read_text(encoding="utf-8"))
    meta["word_embeddings_sha256"] = "0" * 64
    (model_copy / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelFileError, match=rf"^{re.escape(str(model_copy / META_FILE))}: the installed MiniLM word embeddings .*\(sha256 mismatch\)"):
        RelevanceModel.load(model_copy)


def test_an_unreadable_description_is_one_clear_error(model_copy: Path) -> None:
    (model_copy / META_FILE).write_text("{ not json", encoding="utf-8")
    with pytest.raises(ModelFileError, match=rf"^{re.escape(str(model_copy / META_FILE))}: unreadable relevance model description"):
        RelevanceModel.load(model_copy)


FACES = {  # every face opens its Assistant with the default settings: each must load the trained scorer
    "ask": ["ask", "Why is the library closing?"],
    "chat": ["chat", "--port", "0"],
    "serve": ["serve", "--port", "0"],
    "mcp": ["mcp"],
}


@pytest.mark.parametrize(("face", "damage"), [*((face, "missing") for face in sorted(FACES)), ("ask", "corrupt")])
def test_every_face_loads_the_trained_scorer_and_reports_a_broken_model_in_one_line(
    model_copy: Path, library_assistant, face: str, damage: str
) -> None:
    """The faces take the default scorer: with its weights file gone or damaged, `ask`, the chat UI,
    `serve` (UI + /v1 + /mcp) and the MCP server each stop with one line naming the file."""
    weights = model_copy / WEIGHTS_FILE
    if damage == "missing":
        weights.unlink()
        reason = "relevance model weights missing (rebuild them with `make models`)"
    else:
        weights.write_bytes(b"\0" * 100)
        reason = "corrupt relevance model weights (SafetensorError)"
    index = str(library_assistant.index.settings.index)
    env = cli_env(NEWSDESK_RELEVANCE_MODEL=str(model_copy), NEWSDESK_INDEX=index)
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *FACES[face]],
                          capture_output=True, text=True, env=env, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "Traceback" not in done.stderr and not done.stdout
    lines = [line for line in done.stderr.strip().splitlines() if not line.startswith(f"newsdesk {face}: serving")]
    assert lines[-1] == f"newsdesk {face}: {weights}: {reason}" and all(line.startswith(f"newsdesk {face}") for line in lines)


# -- behaviour on articles written here ------------------------------------------------------------


def test_the_answering_sentence_past_the_lead_comes_first(library_assistant) -> None:
    answer = library_assistant.ask("What did Councillor Hana Okafor say she would do?")
    assert not answer.abstained
    assert answer.sentences[0].text.startswith("Councillor Hana Okafor, who leads on culture, said she would ask")
    catalog = library_assistant.index.catalog
    assert all(catalog.article(c.article_id).text[p.start : p.end] == p.quote for c in answer.citations for p in c.passages)


def test_an_unrelated_article_is_scored_irrelevant_and_the_answer_abstains(library_assistant) -> None:
    question = "How much will the repairs to Brackenford library cost?"
    scorer = library_assistant.scorer
    only_football = library_assistant.ask(question, sources=["Valley Sport"])
    assert only_football.abstained and only_football.abstain_reason == "low relevance"
    retrieval = library_assistant.retriever.retrieve(question)
    from assistant.extractive import sentence_candidates

    sentences = sentence_candidates(retrieval.evidence, retrieval)
    scores = scorer.score(question, sentences, retrieval)
    football = [s for s, sentence in zip(scores, sentences) if sentence.title.startswith("Rovers") and not np.isnan(s)]
    library = [s for s, sentence in zip(scores, sentences) if sentence.title.startswith("Brackenford") and not np.isnan(s)]
    assert football and max(football) < scorer.thresholds.abstain_below < max(library)
    answered = library_assistant.ask(question)
    assert not answered.abstained and "4.8 million pounds" in answered.answer


def test_each_sentence_is_scored_once_per_question_and_the_prefilter_bounds_the_work(library_assistant) -> None:
    scorer = library_assistant.scorer
    question = "How many visitors a day does the Brackenford library draw?"
    retrieval = library_assistant.retriever.retrieve(question)
    from assistant.extractive import sentence_candidates

    sentences = sentence_candidates(retrieval.evidence, retrieval)
    before = scorer.pairs_scored
    first = scorer.score_some(question, sentences, retrieval, 3)
    assert np.isfinite(first).sum() == 3 and scorer.pairs_scored - before == 3
    again = scorer.score(question, sentences, retrieval)
    assert np.isfinite(again).sum() == min(len(sentences), scorer.config.prefilter)
    assert scorer.pairs_scored - before == np.isfinite(again).sum()  # the three scored first came from the cache
    assert np.allclose(first[np.isfinite(first)], again[np.isfinite(first)])


def test_the_trained_reranker_orders_passages_by_their_best_sentence(library_assistant) -> None:
    reranker = make_reranker("trained", library_assistant.index, library_assistant.scorer)
    assert isinstance(reranker, TrainedReranker) and reranker.depth >= 5
    question = "What did Councillor Hana Okafor say she would do?"
    retrieval = library_assistant.retriever.retrieve(question, k=reranker.depth)
    reranked = reranker.rerank(question, retrieval)
    assert [ev.rank for ev in reranked.evidence] == list(range(1, len(retrieval.evidence) + 1))
    assert sorted(ev.chunk_id for ev in reranked.evidence) == sorted(ev.chunk_id for ev in retrieval.evidence)
    assert "Hana Okafor" in reranked.evidence[0].text
