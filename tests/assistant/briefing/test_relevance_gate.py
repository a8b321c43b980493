"""The relevance gate: a pluggable score source decides per statement; the default is MiniLM
cosine + topic-term overlap."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from assistant.briefing import MiniLMOverlapScorer, RelevanceScorer, make_brief
from assistant.briefing.relevance import FunctionScorer, term_overlap
from support import check_brief


class KeepWith:
    """A score source that only likes sentences containing a word (and records what it saw)."""

    threshold = 0.5

    def __init__(self, word: str) -> None:
        self.word = word
        self.seen: list[tuple[str, str]] = []

    def score(self, topic: str, sentences: Sequence[tuple[str, str]]) -> np.ndarray:
        self.seen += list(sentences)
        return np.array([1.0 if self.word in s.lower() else 0.0 for s, _ in sentences])


def test_the_gate_takes_any_score_source(harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    scorer = KeepWith("killed")
    assert isinstance(scorer, RelevanceScorer)
    brief = make_brief(harbor_assistant, "Harbor City ferry", scorer=scorer)
    check_brief(brief.to_dict(), harbor_assistant.index.catalog)
    lines = [*brief.summary, *brief.timeline, *brief.undated]
    assert lines and all("killed" in p.text for p in lines)
    titles = {t for _, t in scorer.seen}
    assert "Ferry Capsizes Off Harbor City" in titles  # (sentence, title) pairs
    assert "Ferry Service Returns to Harbor Town" not in titles  # the topic gate ran first
    assert any("left out by the relevance gate" in note for note in brief.notes)


def test_the_default_scorer_passes_statements_about_the_topic_and_not_asides(embedder) -> None:  # type: ignore[no-untyped-def]
    scorer = MiniLMOverlapScorer(embedder.encode, [["Harbor City"], ["ferry"]])
    scores = scorer.score(
        "Harbor City ferry",
        [
            ("A passenger ferry capsized off Harbor City on Saturday afternoon.", "Ferry Capsizes Off Harbor City"),
            ("Sign up for our newsletter to get the news every morning.", "Ferry Capsizes Off Harbor City"),
            ("The library cost 12 million dollars and took three years to build.", "Harbor City Opens New Library"),
        ],
    )
    assert scores[0] >= scorer.threshold > max(scores[1], scores[2])


def test_an_alias_counts_as_its_term_in_the_overlap() -> None:
    terms = [["North Korea", "Pyongyang", "North Korean"], ["missile"]]
    overlap = term_overlap(terms, ["Pyongyang fired a missile.", "North Korean officials met.", "Seoul held talks."])
    assert overlap[0] == 1.0 and 0 < overlap[1] < 1.0 and overlap[2] == 0.0


def test_a_bare_score_function_plugs_in_with_its_threshold(harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    def likes_divers(topic: str, sentences: Sequence[tuple[str, str]]) -> list[float]:
        return [0.9 if "divers" in s else 0.1 for s, _ in sentences]

    brief = make_brief(harbor_assistant, "Harbor City ferry", scorer=FunctionScorer(likes_divers, 0.5))
    lines = [*brief.summary, *brief.timeline, *brief.undated]
    assert lines and all("divers" in p.text for p in lines)
