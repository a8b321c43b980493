"""What changed: the difference between two statements of one thread, named."""

from __future__ import annotations

from assistant.briefing import make_brief
from assistant.briefing.changes import figures, name_difference, same_thread


def label(before: str, after: str) -> str | None:
    difference = name_difference(before, after)
    return difference.label if difference else None


def test_a_changed_figure_is_named() -> None:
    assert label(
        "At least 120 people were killed in the ferry disaster, officials said.",
        "At least 151 people were killed in the ferry disaster, the coast guard said.",
    ) == "killed: 120 → 151"
    assert label("The death toll rose to 5,000 on Tuesday.", "The death toll passed 35,000 by Sunday.") == "death toll: 5,000 → 35,000"
    # Two figures of different things are no change: "played 12 seasons" is not "Week 18".
    assert label("He played 12 seasons as quarterback.", "Players must prepare to play Week 18.") is None


def test_a_changed_state_is_named() -> None:
    assert label("Hamlin remains in critical condition at the hospital.", "Hamlin was released from the hospital on Monday.") == (
        "status: critical → released"
    )
    assert label("The terminal was closed on Sunday.", "The terminal reopened on Saturday with a memorial.") == "status: closed → reopened"
    assert label("No documents were found at the office.", "Documents were recovered at the office.") is None  # negated
    # A capitalised word is a name, not a state ("Matt Freed/AP").
    assert label("Matt Freed/AP photographed the players on the field.", "The players were released.") is None


def test_a_changed_position_is_named() -> None:
    assert label("The senator opposes the ban on the app.", "The senator now supports the ban on the app.") == "position: opposes → supports"
    assert label(
        "In March, Mr. Tillerson said talks would come only after disarmament.",
        "Mr. Tillerson praised the restraint on Tuesday, a clear softening of the line he took in the spring.",
    ) == "position: softening"
    # A shift named of someone else is not this thread's.
    assert label("In March, Mr. Tillerson said talks would come only after disarmament.", "Analysts saw a softening of prices.") is None


def test_unrelated_events_are_not_a_change() -> None:
    launch = "North Korea fired a missile into the sea in March."
    test = "North Korea carried out an underground nuclear test in September."
    assert label(launch, test) is None
    assert not same_thread(launch, test, {"north", "korea"})


def test_figures_are_read_without_dates_or_years() -> None:
    found = figures("On March 3, 2023, at least 151 people were killed, up from 120 in 2022.")
    assert [written for written, _, _, _ in found] == ["151", "120"]


def test_a_brief_names_what_changed(harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    brief = make_brief(harbor_assistant, "Harbor City ferry")
    labels = [c.difference.label for c in brief.changes if c.difference]
    assert "killed: 120 → 151" in labels
    for change in brief.changes:
        assert change.difference is not None and change.before.date < change.after.date
