"""Saved conversations and their exports, without a browser: the store on disk, the records'
round trip through JSON, the Markdown and JSON files, and what the copy button copies."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from assistant.answer import Answer
from assistant.briefing import Brief, make_brief
from assistant.filters import Filters
from assistant.ui.conversations import ANSWER, BRIEF, ERROR, Conversation, ConversationError, ConversationStore, Turn
from assistant.ui.export import conversation_json, conversation_markdown, export_files, turn_text

QUESTION = "What did Tillerson require in March?"


@pytest.fixture(scope="module")
def conversation(sample_assistant) -> Conversation:  # type: ignore[no-untyped-def]
    """Three turns: an answer within filters, a briefing, an error."""
    answer = sample_assistant.ask(QUESTION, since="2017-03-01")
    brief = make_brief(sample_assistant, "North Korea sanctions", max_points=4)
    turns = [
        Turn(QUESTION, ANSWER, answer=answer, filters=Filters(since="2017-03-01"), followups=["What happened in Seoul?"]),
        Turn("Brief me on North Korea sanctions", BRIEF, brief=brief),
        Turn("And then?", ERROR, error="the index is unavailable"),
    ]
    chat = Conversation()
    for turn in turns:
        chat = chat.add(turn)
    return chat


def test_answers_and_briefs_round_trip_through_their_json(conversation: Conversation) -> None:
    answer, brief = conversation.turns[0].answer, conversation.turns[1].brief
    assert answer is not None and brief is not None
    assert Answer.from_dict(json.loads(json.dumps(answer.to_dict()))).to_dict() == answer.to_dict()
    assert Brief.from_dict(json.loads(json.dumps(brief.to_dict()))).to_dict() == brief.to_dict()
    again = Conversation.from_dict(json.loads(json.dumps(conversation.to_dict())))
    assert again.to_dict() == conversation.to_dict()
    assert again.turns[0].filters == Filters(since="2017-03-01") and again.turns[0].citations == answer.citations


def test_issue_13_answers_and_answers_saved_before_it_both_read_back() -> None:
    """A saved conversation holds answers of either shape: one written before issue 13 (no
    passages, roles, direct answer, period coverage or reason) and one with all of them."""
    cited = {"n": 1, "article_id": "a1", "title": "Ferry strike", "url": "", "published": "2024-02-12", "source": "Wire",
             "quote": "The union said 412 of its 455 members backed the walkout.", "start": 40, "end": 98}  # fmt: skip
    old = {"question": "How many backed it?", "answer": f"{cited['quote']} [1]", "abstained": False, "citations": [cited],
           "sentences": [{"text": cited["quote"], "citations": [1], "supported": True, "support": 1.0}], "leads": []}  # fmt: skip
    before = Answer.from_dict(old)
    assert before.citations[0].passages[0].quote == cited["quote"] and len(before.citations[0].passages) == 1
    assert before.sentences[0].role == "quote" and before.direct is None and before.period_coverage is None
    assert not before.outside_period and before.abstain_reason == "" and before.missing_terms == []
    second = {"quote": "Ferry workers voted to strike.", "start": 0, "end": 30}
    new = {
        **old,
        "citations": [{**cited, "passages": [{"quote": cited["quote"], "start": 40, "end": 98}, second]}],
        "sentences": [{"text": "412 of its 455 members", "citations": [1], "supported": True, "support": 1.0, "role": "direct"},
                      *old["sentences"]],
        "direct_answer": {"text": "412 of its 455 members", "kind": "number", "citation": 1, "start": 55, "end": 77, "confidence": 0.9},
        "period_coverage": {"phrase": "June 2023", "start": "2023-06-01", "end": "2023-06-30", "covered": False,
                            "enforced": False, "archive_first": "2024-02-12", "archive_last": "2024-02-12"},
        "abstained": True, "abstain_reason": "period not covered", "missing_terms": ["June 2023"],
    }  # fmt: skip
    after = Answer.from_dict(json.loads(json.dumps(new)))
    assert [p.quote for p in after.citations[0].passages] == [cited["quote"], second["quote"]]
    assert after.sentences[0].role == "direct" and after.direct and after.direct.text == "412 of its 455 members"
    assert after.outside_period and after.period_coverage and after.period_coverage.phrase == "June 2023"
    assert after.abstain_reason == "period not covered" and after.missing_terms == ["June 2023"]
    assert Answer.from_dict(json.loads(json.dumps(after.to_dict()))).to_dict() == after.to_dict()
    chat = Conversation.from_dict({"id": "c1", "title": "t", "turns": [{"question": "q1", "answer": old}, {"question": "q2", "answer": new}]})
    markdown = conversation_markdown(chat)
    assert "**Sources (nearest, from outside the period asked about)**" in markdown
    assert markdown.count(f"   > {cited['quote']}") == 2 and f"   > {second['quote']}" in markdown


def test_history_and_what_was_asked(conversation: Conversation) -> None:
    history = conversation.history()
    assert [m["role"] for m in history] == ["user", "assistant", "user", "assistant"]  # the error turn is left out
    assert history[0]["content"] == QUESTION and history[1]["content"] == conversation.turns[0].reply
    assert conversation.title == QUESTION
    assert QUESTION in conversation.asked() and "And then?" in conversation.asked()


def test_the_store_saves_lists_loads_and_deletes(tmp_path: Path, conversation: Conversation) -> None:
    store = ConversationStore.for_index(tmp_path)
    assert store.list() == []
    store.save(conversation)
    later = Conversation(title="Second").add(Turn("Second question", ERROR, error="x"))
    store.save(later)
    listed = store.list()
    assert [c.id for c in listed] == [later.id, conversation.id]  # most recently updated first
    assert listed[1].title == QUESTION and listed[1].turns == 3
    loaded = store.load(conversation.id)
    assert loaded is not None and loaded.to_dict() == conversation.to_dict()
    path = store.root / f"{conversation.id}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the owner's questions are the owner's
    assert store.delete(conversation.id) and not path.exists() and not store.delete(conversation.id)
    assert [c.id for c in store.list()] == [later.id]


def test_ids_from_the_browser_are_never_paths(tmp_path: Path) -> None:
    store = ConversationStore.for_index(tmp_path)
    (tmp_path / "secret.json").write_text("{}", encoding="utf-8")
    for bad in ("../secret", "../../etc/passwd", "", "ABCDEF0123456789", "0123456789abcdef/.."):
        assert store.load(bad) is None and not store.delete(bad)
    with pytest.raises(ConversationError):
        store.save(Conversation(id="../secret"))


def test_each_login_has_its_own_folder_and_a_failure_to_save_is_one_line(tmp_path: Path, conversation: Conversation) -> None:
    local, ann, bob = (ConversationStore.for_index(tmp_path, who) for who in (None, "ann", "../bob"))
    assert len({local.root, ann.root, bob.root}) == 3 and all(s.root.parent == tmp_path / "conversations" for s in (ann, bob))
    ann.save(conversation)
    assert local.list() == [] and [c.id for c in ann.list()] == [conversation.id]
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(ConversationError) as failure:
        ConversationStore(blocked / "local").save(conversation)
    assert "cannot save the conversation" in str(failure.value) and "\n" not in str(failure.value)


def test_markdown_export_has_answers_and_numbered_sources(conversation: Conversation) -> None:
    markdown = conversation_markdown(conversation)
    answer = conversation.turns[0].answer
    assert answer is not None
    assert markdown.startswith(f"# {QUESTION}\n") and f"## 1. {QUESTION}" in markdown
    assert "Filtered: only articles published on or after 2017-03-01." in markdown
    assert answer.answer in markdown and "**Sources**" in markdown
    for c in answer.citations:
        head = f"{c.n}. **{c.title}** — {c.source}, {c.published}" + (f" <{c.url}>" if c.url else "")
        assert head in markdown and f"   > {' '.join(c.quote.split())}" in markdown
    assert "### Briefing: North Korea sanctions" in markdown and "#### Timeline" in markdown
    assert "## 3. And then?" in markdown and "Could not answer: the index is unavailable" in markdown


def test_json_export_holds_each_answer_as_ask_json_prints_it(conversation: Conversation, tmp_path: Path) -> None:
    data = conversation_json(conversation)
    first, second, third = data["turns"]
    assert first["answer"] == conversation.turns[0].answer.to_dict()  # type: ignore[union-attr]
    assert second["brief"] == conversation.turns[1].brief.to_dict()  # type: ignore[union-attr]
    assert third == {"question": "And then?", "asked_at": third["asked_at"], "filters": third["filters"], "error": "the index is unavailable"}
    md_path, json_path = export_files(conversation, tmp_path)
    assert Path(md_path).read_text(encoding="utf-8") == conversation_markdown(conversation)
    assert json.loads(Path(json_path).read_text(encoding="utf-8")) == data
    assert Path(md_path).name.startswith("newsdesk-what-did-tillerson-require-in-march")


def test_the_copy_text_is_readable_with_its_sources(conversation: Conversation) -> None:
    text = turn_text(conversation.turns[0])
    answer = conversation.turns[0].answer
    assert answer is not None
    assert text.startswith(answer.answer) and "\nSources:\n[1] " in text
    assert f'"{answer.citations[0].quote}"' in text and text.endswith("Filtered: only articles published on or after 2017-03-01.")
    assert "\\" not in text and "](#" not in text
    brief = turn_text(conversation.turns[1])
    assert brief.startswith("Briefing: North Korea sanctions") and "**" not in brief and "## " not in brief
    assert turn_text(conversation.turns[2]) == "Could not answer: the index is unavailable"


def test_a_write_error_never_leaves_a_half_written_file(tmp_path: Path, conversation: Conversation, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = ConversationStore.for_index(tmp_path)
    store.save(conversation)
    before = (store.root / f"{conversation.id}.json").read_text(encoding="utf-8")

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ConversationError, match="No space left"):
        store.save(conversation.add(Turn("More?", ERROR, error="x")))
    assert (store.root / f"{conversation.id}.json").read_text(encoding="utf-8") == before
