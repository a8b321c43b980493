"""Template reading groups (training/synthetic.py) on an article written for the test: the
positive is a sentence past the lead, the question names its focus but not its answer, the lead
is the first negative, the positive is never among the negatives, and the same seed gives the
same groups."""

from __future__ import annotations

import random

from training.data import QuizArticle
from training.groups import SentenceBank
from training.synthetic import KINDS, STATEMENT, article_group, make_question, reading_groups

TEXT = (
    "HOLMWICK — The regional council approved a new tram line for Holmwick on Tuesday after a year of debate. "
    "The line will run 14 kilometres from the station to the university and carry 40,000 passengers a day. "
    "Council leader Marta Ekberg said the first trams would run in the spring of 2027. "
    "The project was delayed because two contractors withdrew from the tender last summer. "
    "Opposition councillor Piet Dahl said the cost had been underestimated by the transport office. "
    "Construction is due to begin on March 3 with work on the depot near the river. "
    "Residents along the route will be offered noise insulation for their homes."
)


def bank() -> SentenceBank:
    art = QuizArticle("t1", "Holmwick approves tram line", TEXT, "2026-05-05", "https://example.org/t1")
    return SentenceBank({"t1": art})


def test_a_count_question_names_the_counted_noun_and_not_the_number() -> None:
    sentence = "The line will run 14 kilometres from the station to the university and carry 40,000 passengers a day."
    made = make_question(sentence, "Holmwick approves tram line", "number", random.Random(3))
    assert made is not None and made.question.startswith("How many ")
    assert made.answer in sentence and made.answer.split()[0] not in made.question


def test_a_statement_question_names_the_speaker() -> None:
    sentence = "Council leader Marta Ekberg said the first trams would run in the spring of 2027."
    made = make_question(sentence, "Holmwick approves tram line", STATEMENT, random.Random(0))
    assert made is not None and made.question.startswith("What did ") and "Marta Ekberg" in made.question
    assert "spring" not in made.question


def test_every_kind_makes_a_group_past_the_lead_with_the_lead_as_negative() -> None:
    b = bank()
    lead = b.of("t1")[0].text
    for seed in range(10):
        for kind in KINDS:
            group = article_group("t1", b, random.Random(seed), "q", kind)
            assert group is not None and group.located
            assert group.positive.position >= 1 and group.positive.sentence != lead
            assert group.negatives[0].sentence == lead
            assert group.positive.sentence not in {n.sentence for n in group.negatives}


def test_groups_are_seeded() -> None:
    b = bank()
    first = reading_groups(["t1"], b, 5, seed=1)
    assert first == reading_groups(["t1"], b, 5, seed=1) and len(first) == 1
