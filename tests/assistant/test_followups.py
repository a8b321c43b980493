"""Names in article text, the follow-up questions built from them, and the example questions of
archives of any size: each must read as a whole question about a name the articles write."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answer import Citation
from assistant.followups import phrase_question, suggest_followups
from assistant.name_words import CONNECTORS, EVENT_NOUNS
from assistant.names import EVENT, ORGANISATION, OTHER, PERSON, PLACE, THING, Name, mentions_any, names_across, names_in
from assistant.text import STOPWORDS
from support import CORPUS_NAME, EXAMPLES, REUTERS_NAME, catalog_only, require_shared

# Written for this test: titles, a surname used alone, a place after "in", an organisation and an
# event by their head words, a weapon with a digit, nationality words, and sentence-initial
# common words that are not names.
STORY = """GENEVA — Foreign Minister Amara Okonkwo of Veltria said on Monday that the Harlow summit would go ahead.
Okonkwo told reporters in Tessaly that the Northern Fisheries Council had approved the plan.
Veltrian officials said the Harlow summit could settle the dispute over the K-7 rocket.
However, critics in Tessaly said the plan was rushed. Okonkwo said the K-7 rocket was never tested.
Also on Monday, the council said talks would resume. Analysts in Tessaly expect a deal by March.
"""
QUESTION = re.compile(
    r"^(?:What is the latest on (?P<a>.+)\?|What did (?P<b>.+?) (?:say|do)(?: about (?P<c>.+))?\?|"
    r"What happened (?:in|at|on) (?P<d>.+)\?|What is known about (?P<e>.+)\?|Brief me on (?P<f>.+))$"
)


def named_in(question: str) -> list[str]:
    """The names a generated question asks about ("the" dropped); fails on any other shape."""
    match = QUESTION.match(question)
    assert match, f"not a whole question: {question!r}"
    return [re.sub(r"^the ", "", name) for name in match.groupdict().values() if name]


def assert_a_name_the_articles_write(name: str, text: str) -> None:
    """Every word capitalised (or a connector), the name itself in the text, and a single word
    written capitalised nearly every time it appears: never a headline word such as "Port"."""
    words = name.split()
    if words[-1] in EVENT_NOUNS.split("|"):  # "the Capitol attack": an event named by its noun
        words = words[:-1]
    assert all(w[:1].isupper() or w[:1].isdigit() or w in CONNECTORS | {"the"} for w in words), name
    assert name.lower() not in STOPWORDS and name in text, name
    if len(words) == 1 and "." not in name:  # "U.K." is capitalised by how it is written
        upper = len(re.findall(rf"\b{re.escape(name)}\b", text))
        lower = len(re.findall(rf"\b{re.escape(name.lower())}\b", text)) if name.lower() != name else 0
        assert upper >= 1 and upper >= 0.85 * (upper + lower), (name, upper, lower)


def test_names_and_their_kinds() -> None:
    found = {n.text: n for n in names_in(STORY)}
    assert found["Amara Okonkwo"].kind == PERSON and found["Amara Okonkwo"].mentions == 3  # surname merged
    assert found["Tessaly"].kind == PLACE
    assert found["Northern Fisheries Council"].kind == ORGANISATION and found["Northern Fisheries Council"].phrase == "the Northern Fisheries Council"
    assert found["Harlow summit"].kind == EVENT and found["K-7"].kind == THING
    assert not {"However", "Also", "Analysts", "Veltrian", "GENEVA", "Okonkwo", "Foreign Minister"} & set(found)
    assert "Monday" not in found and "March" not in found
    assert mentions_any(found["Amara Okonkwo"], ["What did Okonkwo say?"])
    assert not mentions_any(found["Tessaly"], ["What did Okonkwo say?"])
    assert names_across([STORY, STORY.replace("Tessaly", "Brindle")], min_texts=2)[0].text == "Amara Okonkwo"


def test_questions_read_as_questions() -> None:
    subject = Name("Veltria", PLACE, 3, 0)
    assert phrase_question(Name("Amara Okonkwo", PERSON, 4, 0), subject) == "What did Amara Okonkwo say about Veltria?"
    assert phrase_question(Name("Tessaly", PLACE, 3, 0)) == "What happened in Tessaly?"
    assert phrase_question(Name("Andersen Air Base", PLACE, 1, 0)) == "What happened at Andersen Air Base?"
    assert phrase_question(Name("Fisheries Council", ORGANISATION, 2, 0, True), subject) == "What did the Fisheries Council do about Veltria?"
    assert phrase_question(Name("Harlow summit", EVENT, 2, 0, True)) == "What happened at the Harlow summit?"
    assert phrase_question(Name("K-7", THING, 2, 0, True)) == "What is known about the K-7?"
    assert phrase_question(Name("Bayley", OTHER, 2, 0)) == "What is the latest on Bayley?"


def test_follow_ups_of_a_real_answer(sample_assistant) -> None:  # type: ignore[no-untyped-def]
    asked = "What did Tillerson require in March?"
    answer = sample_assistant.ask(asked)
    texts = {aid: a.text for aid, a in sample_assistant.index.catalog.articles(c.article_id for c in answer.citations).items()}
    followups = suggest_followups(answer.citations, texts, [asked, answer.standalone_question])
    assert 2 <= len(followups) <= 3 and len(set(followups)) == len(followups)
    assert followups == suggest_followups(answer.citations, texts, [asked, answer.standalone_question])  # deterministic
    cited = "\n".join(texts.values())
    for question in followups:
        assert "Tillerson" not in question  # already asked about
        for name in named_in(question):
            assert_a_name_the_articles_write(name, cited)
    assert suggest_followups([], {}, [asked]) == []


def test_follow_ups_over_hundreds_of_real_articles() -> None:
    """Cite each of 300 corpus articles' first sentence: every suggestion is a whole question about
    a name that article writes, never the outlet, at most three."""
    corpus = require_shared(CORPUS_NAME)
    checked = 0
    with corpus.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if number >= 300:
                break
            record = json.loads(line)
            text = record.get("text") or ""
            end = text.find(". ") + 1
            if len(text) < 200 or end <= 0:
                continue
            cited = Citation(1, "a", record.get("title", ""), "", "", "cnn.com", text[:end], 0, end)
            questions = suggest_followups([cited], {"a": text}, [record.get("title", "")])
            assert len(questions) <= 3
            for question in questions:
                for name in named_in(question):
                    assert_a_name_the_articles_write(name, text)
                    assert name.lower() not in ("cnn", "associated press", "getty images")
            checked += bool(questions)
    assert checked > 200  # suggestions for most articles, not a test that passes by saying nothing


@pytest.mark.parametrize("archive", ["three sample articles", "sample", "realtimeqa", "reuters"])
def test_example_questions_are_whole_questions_at_any_archive_size(archive: str, tmp_path: Path) -> None:
    """From 3 articles to the 19k Reuters items: no one-word fragment ("What happened with Port?"),
    no common word ("about plan"), every name one the newest articles write."""
    from assistant.ui.corpus import example_questions, recent_headlines

    inputs = {
        "three sample articles": sorted(p for p in EXAMPLES.iterdir() if p.suffix == ".txt")[:3],
        "sample": [EXAMPLES],
        "realtimeqa": [require_shared(CORPUS_NAME)],
        "reuters": [require_shared(REUTERS_NAME)],
    }[archive]
    catalog = catalog_only(tmp_path / "catalog.sqlite3", inputs)
    questions = example_questions(catalog, briefing=True)
    leads = "\n".join(h.lead for h in recent_headlines(catalog))
    assert len(questions) >= (1 if archive == "three sample articles" else 3), questions
    assert questions == example_questions(catalog, briefing=True)
    for question in questions:
        for name in named_in(question):
            assert_a_name_the_articles_write(name, leads)
    catalog.close()
