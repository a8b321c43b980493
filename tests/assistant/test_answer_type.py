"""The answer-type prior (assistant/relevance/answertype.py): the question's wh-form says what an
answer must hold; a sentence that holds it (and not merely the question's own figure or name)
gains, one that lacks it loses.  Sentences and articles here are written for these tests."""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.relevance.answertype import (
    DATE, NAME, NUMBER, PLACE, REASON, STATEMENT, TypePrior, expected_type, mentions_subject, speaker_words, type_match,
)
from assistant.relevance.trained import TrainedConfig, TrainedSentenceScorer
from assistant.settings import AssistantSettings
from support import build_index


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many ferry workers backed the strike?", NUMBER),
        ("How much will the new bridge cost?", NUMBER),
        ("What percentage of voters turned out?", NUMBER),
        ("How old is the lighthouse keeper?", NUMBER),
        ("How long is the new tunnel?", NUMBER),
        ("How far did the lava flow reach?", NUMBER),
        ("When did the museum reopen?", DATE),
        ("What year was the bridge opened?", DATE),
        ("Which day will the vote be held?", DATE),
        ("Who leads the dock workers' union?", NAME),
        ("Whom did the board appoint as chief executive?", NAME),
        ("Which person was named head coach?", NAME),
        ("Where will the summit be held?", PLACE),
        ("Which city will host the games?", PLACE),
        ("In which country did the ship sink?", PLACE),
        ("What did the mayor say she would do?", STATEMENT),
        ("What did Carvalho promise the crews?", STATEMENT),
        ("What has the health minister announced?", STATEMENT),
        ("Why are the ferry crews striking?", REASON),
        ("And why did the council delay the vote?", REASON),
        ("What is the mood in the harbour town?", None),
        ("Is the bridge safe?", None),
    ],
)
def test_the_expected_type_comes_from_the_wh_form(question: str, kind: str | None) -> None:
    assert expected_type(question) == kind


def test_the_speaker_of_a_what_did_x_say_question() -> None:
    assert speaker_words("What did the mayor say she would do?") == ["mayor"]
    assert speaker_words("What did Ines Carvalho promise on Monday?") == ["ines", "carvalho"]
    assert speaker_words("Why did the mayor resign?") == []


@pytest.mark.parametrize(
    ("question", "sentence", "matches"),
    [
        # numbers: a new figure matches; the lead without one, or with only the question's own figure, does not
        ("How many ferry workers backed the strike?", "The union said 412 of its 455 members backed the walkout.", True),
        ("How many ferry workers backed the strike?", "Ferry workers in Port Halvard voted on Monday to strike.", False),
        ("How much will the new bridge cost?", "The council put the bill at 4.8 million pounds.", True),
        ("How many of the 455 members voted?", "The union has 455 members on the island.", False),
        ("What percentage of voters turned out?", "Turnout reached 61 percent, the highest since the war.", True),
        ("How old is the lighthouse keeper?", "The lighthouse keeper has tended the lamp for most of his life.", False),
        # dates: a date, a year or a relative time not in the question
        ("When did the museum reopen?", "The museum reopened its doors on March 3 after the repairs.", True),
        ("When did the museum reopen?", "The museum reopened its doors after the repairs were done.", False),
        ("What year was the bridge opened?", "The bridge was opened to traffic in 1998.", True),
        ("What happened in 1998 when the bridge opened?", "The bridge opened in 1998 with a parade.", False),
        # names: a capitalised name the question does not contain
        ("Who leads the dock workers' union?", "The union is led by Petra Olsen, a former crane driver.", True),
        ("Who leads the dock workers' union?", "The union has led three strikes this year.", False),
        ("Who did Petra Olsen replace?", "Petra Olsen said the union was ready to talk.", False),
        # places: a place after a preposition, not the question's own
        ("Where will the summit be held?", "Leaders will meet in Valmora for two days.", True),
        ("Where will the summit be held?", "Leaders will meet for two days to discuss trade.", False),
        ("Which city in Norvia will host the games?", "The games were awarded to Norvia last year.", False),
        # statements: a reporting verb with the speaker or a pronoun
        ("What did the mayor say she would do?", "Mayor Ines Carvalho said she would charter two private boats.", True),
        ("What did the mayor say she would do?", "Ferry workers voted on Monday to strike.", False),
        ("What did the mayor say she would do?", "The mayor's office is on the quay.", False),
        # reasons: a causal cue
        ("Why are the ferry crews striking?", "They walked out because the pay offer is below inflation.", True),
        ("Why are the ferry crews striking?", "The crews will strike for three days from Friday.", False),
        ("Why did the council delay the vote?", "The vote was delayed due to a legal challenge.", True),
    ],
)
def test_a_sentence_matches_only_with_a_new_token_of_the_expected_type(question: str, sentence: str, matches: bool) -> None:
    assert type_match(question, sentence) is matches


def test_a_sentence_mentions_the_subject_when_it_shares_a_content_word() -> None:
    question = "How many ferry workers backed the strike?"
    assert mentions_subject(question, "Ferry workers voted on Monday to strike.")
    assert mentions_subject(question, "The union said 412 of its 455 members backed the walkout.")  # "backed"
    assert not mentions_subject(question, "The mayor is on holiday this week.")


def test_the_prior_adds_on_a_match_subtracts_on_a_miss_and_leaves_unknown_types_alone() -> None:
    prior = TypePrior(gaps=((NUMBER, 3.0), (REASON, 0.5)), miss_share=0.5)
    question = "How many ferry workers backed the strike?"
    assert prior.adjust(question, "The union said 412 of its 455 members backed the walkout.") == pytest.approx(1.5)
    assert prior.adjust(question, "Ferry workers voted on Monday to strike.") == pytest.approx(-1.5)
    assert prior.adjust("Who leads the union?", "Petra Olsen leads it.") == 0.0  # no gap for names here
    assert prior.adjust("What is the mood in the town?", "The mood is grim.") == 0.0  # unknown type
    assert TypePrior(miss_share=0.0).weights(NUMBER) == (3.0, 0.0)


SEA_WALL = """Kestrel Bay council approves sea wall after winter floods
Date: 2025-10-09
Source: Coastline Herald

KESTREL BAY — The town council voted on Thursday to build a new sea wall along the harbour front, after flooding closed shops on the quay.

Councillors backed the plan by 19 votes to 4 after a three-hour debate in the town hall. The wall will be 640 metres long and rise 1.8 metres above the current promenade.

Work is due to start next spring and to take about eighteen months. Harbour master Tomas Reyes said the fishing fleet would move to the north basin while the builders are on the quay.

Some shop owners fear the wall will hide the sea from their windows.
"""


@pytest.fixture(scope="module")
def sea_wall_settings(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("answer-type-articles")
    (folder / "sea-wall.txt").write_text(SEA_WALL, encoding="utf-8")
    return build_index(tmp_path_factory.mktemp("answer-type-index"), [folder])


@pytest.mark.parametrize(
    ("question", "answer", "model_alone"),
    [
        # The model alone still puts the lead first here: the prior (a new number) fixes it.
        ("How many Kestrel Bay councillors voted for the sea wall?", "Councillors backed the plan by 19 votes to 4", "The town council voted on Thursday"),
        # The first model alone put the lead first here too; the second (reading groups, models/README.md) does not.
        ("How long will the Kestrel Bay sea wall be?", "The wall will be 640 metres long", "The wall will be 640 metres long"),
    ],
)
def test_the_answering_sentence_past_the_lead_comes_first(sea_wall_settings, question: str, answer: str, model_alone: str) -> None:
    typed = Assistant(sea_wall_settings)  # the default: the trained scorer with its answer-type prior
    assert isinstance(typed.scorer, TrainedSentenceScorer) and typed.scorer.config.type_prior is not None
    answered = typed.ask(question)
    assert not answered.abstained and answered.sentences[0].text.startswith(answer)
    catalog = typed.index.catalog
    assert all(catalog.article(c.article_id).text[p.start : p.end] == p.quote for c in answered.citations for p in c.passages)

    plain = Assistant(sea_wall_settings, AssistantSettings.load(sentence_scorer="trained-plain"))
    assert isinstance(plain.scorer, TrainedSentenceScorer) and plain.scorer.config == TrainedConfig(type_prior=None)
    without = plain.ask(question)
    assert not without.abstained and without.sentences[0].text.startswith(model_alone)
