"""The app's one public endpoint, `/ask`, and what the API page says about it.

The answer is `Answer.to_dict()`, the same dict `newsdesk ask --json` prints.  `gr.api` names
each parameter after the function's argument but describes it only as "the input value that is
provided in the 1st Api component"; `document_parameters` gives each one its name as a label and
the meaning from the docstring's Args section, so the API page says what to pass.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable

import gradio as gr
from gradio.utils import get_function_description

from assistant.limits import Limits
from assistant.ui.filters import read_filters
from ingest.errors import NewsdeskError

if TYPE_CHECKING:
    from assistant.api import Assistant

log = logging.getLogger("newsdesk.ui")


class AskEndpoint:
    """`/ask` over one Assistant; each answer takes a slot of `limits.answers`, the same slots as
    the chat's answers (and, under `newsdesk serve`, /v1's and MCP's)."""

    def __init__(self, assistant: "Assistant", limits: Limits) -> None:
        self.assistant = assistant
        self.limits = limits

    def ask(
        self,
        question: str,
        history: list[dict[str, Any]] | None = None,
        since: str = "",
        until: str = "",
        sources: list[str] | None = None,
    ) -> dict[str, Any]:
        """Answer a question from the news archive: every sentence a verified quote with its [n] citation.

        Args:
            question: the question in plain words, e.g. "What did Tillerson require in March?"
            history: earlier turns of the conversation, [{"role": "user" or "assistant", "content": text}], so a follow-up such as "And what did he say later?" is understood; [] for a new conversation
            since: cite only articles published on or after this day: YYYY-MM-DD, a month (2017-08 or "August 2017") or a year (2017); "" for no limit
            until: cite only articles published on or before this day, in the same forms (a month or year means its last day); "" for no limit
            sources: cite only these publications, named as in the app's Sources filter; [] for all
        Returns:
            The answer as `newsdesk ask --json` prints it: question, answer, abstained, citations [{n, article_id, title, url, published, source, quote, start, end}], sentences, leads, timings_ms, standalone_question, ...
        """
        try:
            filters = read_filters(self.assistant.dates, since, until, sources)
            turn = self.assistant.turn(question, history or [], since=filters.since, until=filters.until, sources=filters.sources)
            with self.limits.answers.hold():
                answer = self.assistant.chain.invoke(turn)
        except NewsdeskError as exc:
            # A user's mistake (a bad date, an empty question): one line in the log, no traceback.
            log.info("/ask: %s", exc)
            raise gr.Error(str(exc), print_exception=False) from exc
        return answer.to_dict()


def document_parameters(app: gr.Blocks, dependency: Any, fn: Callable[..., Any]) -> None:
    """Label the endpoint's inputs with their argument names and describe each with its line of
    the docstring's Args section (and the result with its Returns section)."""
    _, described, returns = get_function_description(fn)
    block_fn = app.fns[dependency["id"]]
    for component, (name, meaning) in zip(block_fn.inputs, described.items()):
        component.label = name
        component._api_info = {**component._api_info, "additional_description": meaning}
    for component in block_fn.outputs:
        component.label = "answer"
        component._api_info = {**component._api_info, "description": " ".join(returns)}


def add_ask_endpoint(app: gr.Blocks, assistant: "Assistant", limits: Limits) -> None:
    """Register `/ask` inside `app` (call within its `with` block)."""
    endpoint = AskEndpoint(assistant, limits)
    size = limits.answers.size
    dependency = gr.api(endpoint.ask, api_name="ask", concurrency_limit=size, concurrency_id="answer")
    document_parameters(app, dependency, endpoint.ask)
