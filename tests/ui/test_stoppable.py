"""Stop and the answer slots (assistant/ui/stoppable.py, assistant/limits.py): the worker that
computes an answer holds its slot, so Stop frees the user at once, gives the slot back as soon as
the abandoned work ends, never lets the next answer run beside it, and never leaks a slot."""

from __future__ import annotations

import threading
import time
from typing import Iterator

import pytest

from assistant.limits import Busy, Slots
from assistant.ui.stoppable import StopFlags, Stopped, until_stopped
from support import wait_until


def test_a_stopped_answer_gives_its_slot_back_when_its_work_ends_and_not_before() -> None:
    slot = Slots("answers", 1)
    flags = StopFlags()
    run = flags.start("session-a")
    working, finish, closed = threading.Event(), threading.Event(), threading.Event()

    def answer() -> Iterator[str]:
        try:
            yield "first words"
            working.set()
            finish.wait(30)  # a long step the user will not wait for
            yield "more words"
            yield "never produced"
        finally:
            closed.set()

    stream = until_stopped(answer(), run.is_set, slot)
    assert next(stream) == "first words" and slot.held == 1
    working.wait(10)
    assert flags.stop("session-a")
    started = time.monotonic()
    with pytest.raises(Stopped):
        next(stream)
    assert time.monotonic() - started < 2  # the user is free at once...
    assert slot.held == 1  # ...but the work still runs, so its slot stays taken

    second_started = threading.Event()

    def second_answer() -> Iterator[str]:
        second_started.set()
        yield "the next answer"

    results: list[str] = []
    nobody_stops = threading.Event()
    consumer = threading.Thread(target=lambda: results.extend(until_stopped(second_answer(), nobody_stops.is_set, slot)))
    consumer.start()
    wait_until(lambda: slot.waiting == 1)
    time.sleep(0.3)
    assert not second_started.is_set()  # one slot: the next answer waits for the abandoned one

    finish.set()
    consumer.join(10)
    assert results == ["the next answer"]
    assert closed.is_set()  # the abandoned generator was closed, not left to the garbage collector
    wait_until(lambda: slot.held == 0 and slot.waiting == 0)


def test_stop_while_waiting_for_a_slot_runs_nothing_and_leaks_nothing() -> None:
    slot = Slots("answers", 1)
    stop = threading.Event()
    ran = threading.Event()

    def answer() -> Iterator[str]:
        ran.set()
        yield "should not be computed"

    with slot.hold():  # another face's answer has the only slot
        stream = until_stopped(answer(), stop.is_set, slot)
        stop.set()
        with pytest.raises(Stopped):
            next(stream)
        wait_until(lambda: slot.waiting == 1)
    wait_until(lambda: slot.held == 0 and slot.waiting == 0)
    assert not ran.is_set()


def test_an_error_or_a_full_line_reaches_the_handler_and_frees_the_slot() -> None:
    slot = Slots("answers", 1, max_waiting=0)
    never = threading.Event()

    def failing() -> Iterator[str]:
        yield "partial"
        raise ValueError("the backend broke")

    with pytest.raises(ValueError, match="the backend broke"):
        list(until_stopped(failing(), never.is_set, slot))
    wait_until(lambda: slot.held == 0)
    with slot.hold():
        with pytest.raises(Busy, match="the server is busy"):
            list(until_stopped(iter(["x"]), never.is_set, slot))
    assert slot.held == 0 and slot.waiting == 0
