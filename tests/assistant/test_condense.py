"""Follow-ups made standalone by the rules (no model): the thread is kept, standalone questions pass."""

from __future__ import annotations

from assistant.condense import entities, is_follow_up, message_text, rewrite, standalone


def user(text: object) -> dict[str, object]:
    return {"role": "user", "content": text}


def test_names_are_runs_of_capitalised_words_without_question_words_or_months() -> None:
    assert entities("What did Tillerson require in March?") == ["Tillerson"]
    assert entities("Did the Security Council of the United Nations vote?") == ["Security Council of the United Nations"]
    assert entities("When did Kim Jong-un's missile fly?") == ["Kim Jong-un"]


def test_what_leans_on_the_conversation() -> None:
    assert is_follow_up("And what did he later suggest?")
    assert is_follow_up("What about the sanctions?")
    assert is_follow_up("Why did they do it?")
    assert is_follow_up("Why?")
    assert not is_follow_up("What did Tillerson require in March?")
    assert not is_follow_up("What happened this week in Seoul?")  # "this week" is time, not a reference


def test_a_pronoun_takes_the_previous_subject() -> None:
    history = [user("What happened to Damar Hamlin during the game?")]
    assert standalone("Which team does he play for?", history) == "Which team does Damar Hamlin play for?"
    assert rewrite("What did his doctors say?", "What happened to Damar Hamlin?") == "What did Damar Hamlin's doctors say?"


def test_without_a_pronoun_the_previous_topic_is_carried_along() -> None:
    assert rewrite("And who did the new sanctions target?", "What did Tillerson require in March?") == (
        "Who did the new sanctions target (Tillerson)?"
    )


def test_chained_follow_ups_are_rewritten_against_the_standalone_one() -> None:
    history = [
        user("What did Tillerson require in March?"),
        {"role": "assistant", "content": "He required ... [1]"},  # answers are not questions: ignored
        user("And what did he later suggest?"),
    ]
    assert standalone("Why did he change his mind?", history) == "Why did Tillerson change his mind?"


def test_standalone_questions_and_empty_history_pass_unchanged() -> None:
    question = "Who did the new sanctions target?"
    assert standalone(question) == question
    assert standalone("What did the UN ban in August?", [user("What did Tillerson require?")]) == "What did the UN ban in August?"


def test_history_content_may_be_a_list_of_parts() -> None:
    parts = [{"type": "text", "text": "What happened to"}, {"type": "text", "text": "Damar Hamlin?"}]
    assert message_text(parts) == "What happened to Damar Hamlin?"
    assert standalone("Which team does he play for?", [user(parts)]) == "Which team does Damar Hamlin play for?"
