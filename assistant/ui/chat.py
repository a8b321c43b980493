"""The Chat tab's handlers: ask (streamed, stoppable), read the cited passages, open the article
they come from, and keep the conversation.

A thin layer over `Assistant.stream()`: whatever backend answers, the chat shows the streamed
text, then the verified Answer with clickable [n] markers, the filters that applied, a sources
panel and 2-3 suggested follow-ups (assistant/followups.py).  "Brief me on X" is answered with a
briefing.  Every answer is saved with its conversation (conversations.py) and can be exported
(export.py).  The page and its events are wired in page.py; the components the handlers update
are named in `ChatView`.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generator, Iterator, Sequence

import gradio as gr

from assistant.answer import Answer
from assistant.briefing import build_brief, parse_briefing_request, render_brief_markdown
from assistant.filters import Filters
from assistant.followups import suggest_followups
from assistant.limits import Limits
from assistant.ui import render
from assistant.ui.conversations import ANSWER, BRIEF, ERROR, Conversation, ConversationError, ConversationStore, Turn
from assistant.ui.export import brief_file, export_files, turn_text
from assistant.ui.filters import read_filters
from assistant.ui.markdown_view import is_markdown
from assistant.ui.stoppable import StopFlags, Stopped, one, until_stopped
from assistant.ui.viewer_js import ARTICLE_KEY
from ingest.catalog import StoredArticle
from ingest.errors import ConfigError, NewsdeskError

if TYPE_CHECKING:
    from assistant.api import Assistant

log = logging.getLogger("newsdesk.ui")

_KEY = re.compile(r"^(cite|lead)-(\d{1,5})-(\d{1,4})$")
NO_ARTICLE = "Click a [n] marker or a source to read its article, with the quote highlighted."


@dataclass
class ChatView:
    """The components the chat handlers update (built by page.py)."""

    question: Any
    chat: Any
    conversation: Any
    opened: Any  # gr.BrowserState: {"id": ...} of the conversation this browser has open
    conversations: Any  # the list (gr.Radio)
    sources: Any
    article: Any
    ask: Any
    stop: Any
    note: Any
    filters: Any  # the Filters accordion
    export_md: Any
    export_json: Any
    brief_download: Any
    copy_texts: Any
    saved_note: Any  # under the conversation list: a deletion done, or why saving failed
    examples: list[Any]


class ChatApp:
    """Handlers over one Assistant; page.py builds the components into `view` and wires them.

    Answers take a slot of `limits.answers`, briefings one of `limits.briefs` (assistant/limits.py),
    which `newsdesk serve` shares with `/v1` and MCP; the worker that computes holds it
    (stoppable.py).  Gradio's queue keeps the same limit so a waiting user sees a position.
    """

    def __init__(self, assistant: "Assistant", limits: Limits) -> None:
        self.assistant = assistant
        self.limits = limits
        self.catalog = assistant.index.catalog
        self.index_dir = assistant.index.settings.index
        self.exports = Path(tempfile.mkdtemp(prefix="newsdesk-exports-"))
        self.stops = StopFlags()
        self.view: ChatView  # set by page.py

    def store(self, request: gr.Request | None) -> ConversationStore:
        return ConversationStore.for_index(self.index_dir, getattr(request, "username", None))

    # -- rendering a conversation ------------------------------------------------------------------
    def articles(self, turns: Sequence[Turn]) -> dict[str, StoredArticle]:
        return self.catalog.articles(c.article_id for t in turns for c in t.citations)

    def message(self, turn: Turn, number: int, markdown_ids: set[str]) -> str:
        """The assistant's message for one turn: the answer (with the filters that applied), a
        briefing, or what went wrong."""
        if turn.kind == ERROR:
            return render.error_markdown(turn.error)
        if turn.brief is not None:
            return render_brief_markdown(turn.brief, marker=lambda n: render.marker(number, n), text=render.md_text, with_sources=False)
        body = render.answer_markdown(turn.answer, number, markdown_ids) if turn.answer is not None else ""
        note = render.filter_note(turn.filters)
        return f"{body}\n\n{note}" if note else body

    def messages(self, conversation: Conversation) -> list[dict[str, Any]]:
        """The chat's messages; the last answer offers its follow-ups as one-click options."""
        found = self.articles(conversation.turns)
        markdown_ids = {aid for aid, article in found.items() if is_markdown(article.path)}
        out: list[dict[str, Any]] = []
        for number, turn in enumerate(conversation.turns):
            out.append({"role": "user", "content": render.md_text(turn.question)})
            out.append({"role": "assistant", "content": self.message(turn, number, markdown_ids)})
        if conversation.turns and conversation.turns[-1].followups:
            out[-1]["options"] = [{"value": q, "label": q} for q in conversation.turns[-1].followups]
        return out

    def sources_html(self, conversation: Conversation, number: int, active: int | None = None) -> str:
        if not 0 <= number < len(conversation.turns):
            return render.sources_panel([], {})
        turn = conversation.turns[number]
        if turn.citations:
            heading = f"Sources for \u201c{turn.question}\u201d"
            if turn.answer is not None and turn.answer.outside_period:
                heading = f"Nearest sources, from outside the period asked about, for \u201c{turn.question}\u201d"
            return render.sources_panel(turn.citations, self.articles([turn]), number, active, heading)
        return render.leads_panel(turn.leads, number)

    def copy_texts(self, conversation: Conversation) -> str:
        """What the copy buttons copy, per message: readable text, no Markdown escapes or links."""
        items = []
        for number, turn in enumerate(conversation.turns):
            items.append(f'<div data-nd-copy="user-{number}" data-text="{render.esc(turn.question)}"></div>')
            items.append(f'<div data-nd-copy="bot-{number}" data-text="{render.esc(turn_text(turn))}"></div>')
        return "".join(items)

    def side(self, conversation: Conversation, request: gr.Request | None) -> dict[Any, Any]:
        """What goes with a conversation besides the chat: the list (this one selected), the id the
        browser keeps, the export files, a briefing's download, the copy buttons' texts."""
        v = self.view
        exported = export_files(conversation, self.exports) if conversation.turns else (None, None)
        last = conversation.turns[-1] if conversation.turns else None
        brief_path = brief_file(last.brief, self.exports / conversation.id) if last and last.brief else None
        listed = self.store(request).list()
        return {
            v.conversations: gr.update(
                choices=[(c.label, c.id) for c in listed], value=conversation.id if conversation.turns else None
            ),
            v.opened: {"id": conversation.id},
            v.export_md: gr.update(value=exported[0], interactive=bool(conversation.turns)),
            v.export_json: gr.update(value=exported[1], interactive=bool(conversation.turns)),
            v.brief_download: gr.update(value=brief_path, visible=brief_path is not None),
            v.copy_texts: self.copy_texts(conversation),
        }

    def show(self, conversation: Conversation, request: gr.Request | None, saved: str = "") -> dict[Any, Any]:
        """Every component that shows a conversation, showing this one."""
        v = self.view
        last = len(conversation.turns) - 1
        return {
            v.chat: self.messages(conversation),
            v.conversation: conversation,
            v.sources: self.sources_html(conversation, last),
            v.article: render.empty_panel(NO_ARTICLE if conversation.turns else "No article open."),
            v.saved_note: saved,
            **self.side(conversation, request),
        }

    def after_answer(self, conversation: Conversation | None, request: gr.Request) -> dict[Any, Any]:
        return self.side(conversation or Conversation(), request)

    # -- asking ------------------------------------------------------------------------------------
    def question_of(self, typed: str, examples: Sequence[str], evt: gr.EventData | None) -> tuple[str, bool]:
        """(the question, whether it came from the question box): a follow-up option or an
        example button asks its own text and leaves a draft in the box alone."""
        # The target is the session's copy of the component (its props may have been updated): the
        # elem_id says which one it is.
        target = getattr(getattr(evt, "target", None), "elem_id", None)
        data = getattr(evt, "_data", None)
        if target == self.view.chat.elem_id and isinstance(data, dict) and data.get("value"):
            return str(data["value"]), False
        for button, text in zip(self.view.examples, examples):
            if target == button.elem_id:
                return str(text or ""), False
        return str(typed or ""), True

    def respond(
        self,
        typed: str,
        chat: list[dict[str, Any]],
        conversation: Conversation | None,
        since: str,
        until: str,
        sources: list[str] | None,
        example_0: str,
        example_1: str,
        example_2: str,
        example_3: str,
        evt: gr.EventData,
        request: gr.Request,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat.  Outputs: question box, chat, conversation, sources,
        article, Ask, Stop, filter note, Filters panel, saved note."""
        skip = gr.skip()
        question, from_box = self.question_of(typed, (example_0, example_1, example_2, example_3), evt)
        question = question.strip()
        if not question:
            yield (skip,) * 10
            return
        try:
            filters = read_filters(self.assistant.dates, since, until, sources)
        except ConfigError as exc:
            # The question stays in the box; the problem is said where the filters are.
            log.info("chat: not asked, %s", exc)
            gr.Warning(f"{exc}. Your question was not asked; fix the filter and press Enter again.")
            problem = f"**Filter problem:** {render.md_text(str(exc))}"
            yield skip, skip, skip, skip, skip, skip, skip, problem, gr.update(open=True), skip
            return
        conversation = conversation or Conversation()
        shown = [*self.messages(conversation), {"role": "user", "content": render.md_text(question)}]
        shown.append({"role": "assistant", "content": render.streaming_markdown("")})
        busy = gr.update(interactive=False), gr.update(visible=True, interactive=True, value="Stop")
        yield ("" if from_box else skip), shown, skip, render.empty_panel("Searching the archive\u2026"), skip, *busy, skip, skip, skip
        idle = gr.update(interactive=True), gr.update(visible=False)
        session = request.session_hash or ""
        run = self.stops.start(session)
        try:
            turn = yield from self._answer(question, conversation, filters, shown, run.is_set)
        except Stopped:
            stopped = render.empty_panel("Stopped. Your question is back in the box.")
            yield question, self.messages(conversation), skip, stopped, skip, *idle, skip, skip, skip
            return
        finally:
            self.stops.finish(session, run)
        if turn.citations:
            texts = {aid: a.text for aid, a in self.articles([turn]).items()}
            turn.followups = suggest_followups(turn.citations, texts, [*conversation.asked(), question])
        conversation = conversation.add(turn)
        saved = self.save(conversation, request)
        number = len(conversation.turns) - 1
        viewer = render.empty_panel(NO_ARTICLE if turn.citations or turn.leads else "No article open.")
        sources = self.sources_html(conversation, number)
        yield skip, self.messages(conversation), conversation, sources, viewer, *idle, skip, skip, saved

    def _answer(
        self, question: str, conversation: Conversation, filters: Filters, shown: list[dict[str, Any]], stopped: Callable[[], bool]
    ) -> Generator[tuple[Any, ...], None, Turn]:
        """Answer (or brief) in a worker, streaming into the chat's last message; the Turn.
        Raises Stopped when the user pressed Stop."""
        skip = gr.skip()
        turn = Turn(question, filters=filters)
        try:
            request_brief = parse_briefing_request(question)
            if request_brief is not None:
                shown[-1] = {"role": "assistant", "content": render.streaming_markdown("Gathering evidence across the archive for a briefing")}
                yield skip, shown, skip, skip, skip, skip, skip, skip, skip, skip
                briefing = one(lambda: build_brief(self.assistant, request_brief, filters))
                for brief in until_stopped(briefing, stopped, self.limits.briefs):
                    turn.kind, turn.brief = BRIEF, brief
                return turn
            text, answer = "", None
            stream = self.assistant.stream(question, conversation.history(), since=filters.since, until=filters.until, sources=filters.sources)
            for item in until_stopped(stream, stopped, self.limits.answers):
                if isinstance(item, Answer):
                    answer = item
                    continue
                text += item
                shown[-1] = {"role": "assistant", "content": render.streaming_markdown(text)}
                yield skip, shown, skip, skip, skip, skip, skip, skip, skip, skip
            if answer is None:  # a backend that ends without its Answer is a bug; say so, do not hang
                raise RuntimeError("the answer backend returned nothing")
            turn.kind, turn.answer = ANSWER, answer
        except Stopped:
            raise
        except NewsdeskError as exc:
            log.info("chat: %r not answered: %s", question, exc)
            turn.kind, turn.error = ERROR, str(exc)
        except Exception as exc:  # a bug must not leave a spinning cursor in the chat: say it, log it
            log.exception("answering %r failed", question)
            turn.kind, turn.error = ERROR, f"unexpected error ({type(exc).__name__}: {exc}); the server log has the details"
        return turn

    def save(self, conversation: Conversation, request: gr.Request | None) -> str:
        """Save; a store that cannot be written (a read-only index) is said, and the chat goes on."""
        try:
            self.store(request).save(conversation)
        except ConversationError as exc:
            log.warning("chat: %s", exc)
            return f"**Not saved:** {render.md_text(str(exc))}"
        return ""

    def stop(self, request: gr.Request) -> Any:
        """Stop: the running answer ends at once (stoppable.py) and puts its question back in the box."""
        if self.stops.stop(request.session_hash or ""):
            return gr.update(value="Stopping\u2026", interactive=False)
        return gr.update(visible=False)

    # -- reading sources ---------------------------------------------------------------------------
    def open_source(self, conversation: Conversation | None, evt: gr.EventData) -> tuple[Any, Any]:
        """A click on [n], a source row or a lead: (sources panel, article viewer)."""
        conversation = conversation or Conversation()
        data = evt._data if isinstance(evt._data, dict) else {}
        key = str(data.get("key", ""))
        match = _KEY.match(key)
        if match:
            kind, number, item = match.group(1), int(match.group(2)), int(match.group(3))
            if number >= len(conversation.turns):
                return gr.skip(), render.empty_panel("That answer belongs to another conversation; ask again.")
            turn = conversation.turns[number]
            if kind == "lead":
                if item >= len(turn.leads):
                    return gr.skip(), gr.skip()
                lead = turn.leads[item]
                article = self.catalog.article(lead.article_id)
                return gr.skip(), render.article_view(article) if article else render.missing_article(lead.article_id)
            cited = next((c for c in turn.citations if c.n == item), None)
            if cited is None:
                return gr.skip(), gr.skip()
            article = self.catalog.article(cited.article_id)
            viewer = (
                render.article_view(article, cited.start, cited.end, cited.quote, cited.n, cited.passages[1:])
                if article
                else render.missing_article(cited.article_id)
            )
            return self.sources_html(conversation, number, active=cited.n), viewer
        match = ARTICLE_KEY.match(key)
        if match:
            article = self.catalog.article(match.group(1))
            if article is None:
                return gr.skip(), render.missing_article(match.group(1))
            return gr.skip(), render.article_view(article, int(match.group(2)), int(match.group(3)))
        return gr.skip(), gr.skip()

    # -- the conversation list -------------------------------------------------------------------
    def load(self, opened: dict[str, Any] | None, request: gr.Request) -> dict[Any, Any]:
        """Page (re)load: the conversation this browser had open, else a new one."""
        wanted = str((opened or {}).get("id", ""))
        try:
            conversation = self.store(request).load(wanted) if wanted else None
        except ConversationError as exc:
            log.warning("chat: %s", exc)
            conversation = None
        return self.show(conversation or Conversation(), request)

    def open_conversation(self, conversation_id: str | None, request: gr.Request) -> dict[Any, Any]:
        try:
            conversation = self.store(request).load(conversation_id or "")
        except ConversationError as exc:
            gr.Warning(str(exc))
            return {}
        return self.show(conversation or Conversation(), request)

    def new_conversation(self, request: gr.Request) -> dict[Any, Any]:
        return self.show(Conversation(), request)

    def delete_conversation(self, confirmed: str, conversation: Conversation | None, request: gr.Request) -> dict[Any, Any]:
        """Delete the open conversation (after the browser's confirm dialog said yes)."""
        if confirmed != "yes" or conversation is None or not conversation.turns:
            return {}
        try:
            self.store(request).delete(conversation.id)
        except ConversationError as exc:
            gr.Warning(str(exc))
            return {}
        return self.show(Conversation(), request, saved=f"Deleted \u201c{conversation.title}\u201d.")
