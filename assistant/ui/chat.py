"""The app's gr.Blocks and its Chat tab: ask, read the cited passages, open the article they come from.

A thin layer over `Assistant.stream()`: whatever backend answers, the chat shows the streamed
text, then the verified Answer with clickable [n] markers and a sources panel.  "Brief me on X"
in the chat is answered with a briefing (assistant/briefing/).  The same answer function is the
documented API endpoint `/ask` (docs/ui.md).  Launching lives in app.py, the Briefing tab in
briefing_tab.py.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Sequence

import gradio as gr

from assistant.answer import Answer, Citation, Lead
from assistant.briefing import BriefRequest, build_brief, parse_briefing_request, render_brief_markdown
from assistant.condense import Message
from assistant.filters import Filters
from assistant.ui import render
from assistant.ui.briefing_tab import build_briefing_tab
from assistant.ui.corpus import corpus_status, example_questions
from assistant.ui.filters import date_boxes, filter_note, read_filters, sources_dropdown
from assistant.ui.uploads import MAX_UPLOAD_MB, UPLOAD_SUFFIXES, UploadIngester, stage_uploads
from assistant.ui.viewer_js import ARTICLE_KEY, opener_js
from ingest.errors import NewsdeskError

if TYPE_CHECKING:
    from assistant.api import Assistant

log = logging.getLogger("newsdesk.ui")

EXAMPLE_SLOTS = 4
# Answers run in parallel up to this many per app.  The extractive backend is CPU-bound (torch
# already uses both cores for one encode), so more than the core count only adds latency to
# every answer; the queue absorbs bursts.  Generative backends wait on a server: allow more.
DEFAULT_CONCURRENCY = {"extractive": max(1, min(4, os.cpu_count() or 1)), "openai": 8, "local": 1}

# Runs once per page in the article viewer (a gr.HTML): clicks on [n] markers in the chat and on
# rows of the sources panel become a `click` event with the key of what to open; after each new
# article the highlighted quote is scrolled into view.
OPEN_JS = opener_js(
    container="nd-chat",
    selector='a[href^="#nd-cite-"], a[href^="#nd-lead-"], [data-nd-open], [data-nd-article]',
    key="href && href.startsWith('#nd-') ? href.slice(4)"
    " : target.dataset.ndOpen ? target.dataset.ndOpen : 'article-' + target.dataset.ndArticle",
    handle="__ndOpener",
)

# The sources panel keeps the row of the opened citation in sight.
ACTIVE_ROW_JS = """
watch('value', () => {
  const row = element.querySelector('.nd-active');
  if (row) row.scrollIntoView({block: 'nearest', behavior: 'instant'});
});
"""

_KEY = re.compile(r"^(cite|lead)-(\d{1,5})-(\d{1,4})$")


@dataclass
class ChatTurn:
    """One question and what answered it, kept per browser session for follow-ups and the panels."""

    question: str
    reply: str  # plain text, sent back as history
    citations: list[Citation] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    outside_period: bool = False  # the citations are the nearest evidence from outside the period asked about


# -- helpers the handlers share --------------------------------------------------------------------


def history_of(turns: Sequence[ChatTurn]) -> list[Message]:
    """The conversation as the assistant reads it: [{"role", "content"}] with plain text."""
    messages: list[Message] = []
    for turn in turns:
        messages.append({"role": "user", "content": turn.question})
        messages.append({"role": "assistant", "content": turn.reply})
    return messages


# -- the app ---------------------------------------------------------------------------------------


class ChatApp:
    """Handlers over one Assistant; `build()` wires them into a gr.Blocks."""

    def __init__(self, assistant: "Assistant", concurrency: int | None = None) -> None:
        self.assistant = assistant
        self.catalog = assistant.index.catalog
        self.uploader = UploadIngester(assistant.index)
        self.concurrency = concurrency or DEFAULT_CONCURRENCY.get(assistant.settings.llm, 2)

    # -- what the index holds --------------------------------------------------------------------
    def status_markdown(self) -> str:
        status = corpus_status(self.catalog)
        return f"{render.md_text(status.line())} &middot; answers by the *{render.md_text(self.assistant.settings.llm)}* backend"

    def examples(self) -> list[str]:
        return example_questions(self.catalog, briefing=True)[:EXAMPLE_SLOTS]

    def example_updates(self) -> list[Any]:
        questions = self.examples()
        return [
            gr.update(value=questions[i], visible=True) if i < len(questions) else gr.update(visible=False)
            for i in range(EXAMPLE_SLOTS)
        ]

    def article_texts(self, citations: Sequence[Citation]) -> dict[str, str]:
        found = self.catalog.articles(c.article_id for c in citations)
        return {aid: article.text for aid, article in found.items()}

    def sources_html(self, turn: ChatTurn, number: int, active: int | None = None) -> str:
        if turn.citations:
            heading = f"Sources for \u201c{turn.question}\u201d"
            if turn.outside_period:
                heading = f"Nearest sources, from outside the period asked about, for \u201c{turn.question}\u201d"
            return render.sources_panel(turn.citations, self.article_texts(turn.citations), number, active, heading)
        return render.leads_panel(turn.leads, number)

    # -- chat --------------------------------------------------------------------------------------
    def respond(
        self,
        question: str,
        chat: list[dict[str, Any]],
        turns: list[ChatTurn],
        since: str,
        until: str,
        sources: list[str] | None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer into the chat; outputs: question box, chat, turns, sources, article."""
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        chat = [
            *(chat or []),
            {"role": "user", "content": render.md_text(question)},
            {"role": "assistant", "content": render.streaming_markdown("")},
        ]
        searching = render.empty_panel("Searching the archive\u2026")
        yield "", chat, turns, searching, gr.skip()
        try:
            filters = read_filters(since, until, sources)
            request = parse_briefing_request(question)
            if request is not None:
                yield from self._brief(request, question, chat, turns, filters)
                return
            text = ""
            answer: Answer | None = None
            stream = self.assistant.stream(
                question, history_of(turns), since=filters.since, until=filters.until, sources=filters.sources
            )
            for item in stream:
                if isinstance(item, Answer):
                    answer = item
                    continue
                text += item
                chat[-1] = {"role": "assistant", "content": render.streaming_markdown(text)}
                yield gr.skip(), chat, turns, gr.skip(), gr.skip()
        except NewsdeskError as exc:
            chat[-1] = {"role": "assistant", "content": render.error_markdown(str(exc))}
            yield gr.skip(), chat, turns, render.empty_panel(str(exc)), gr.skip()
            return
        except Exception as exc:  # a bug must not leave a spinning cursor in the chat: say it, log it
            log.exception("answering %r failed", question)
            message = f"unexpected error ({type(exc).__name__}: {exc}); the server log has the details"
            chat[-1] = {"role": "assistant", "content": render.error_markdown(message)}
            yield gr.skip(), chat, turns, render.empty_panel(message), gr.skip()
            return
        if answer is None:  # a backend that ends without its Answer is a bug; say so, do not hang
            chat[-1] = {"role": "assistant", "content": render.error_markdown("the answer backend returned nothing")}
            yield gr.skip(), chat, turns, gr.skip(), gr.skip()
            return
        number = len(turns)
        turn = ChatTurn(question, answer.answer, list(answer.citations), list(answer.leads), answer.outside_period)
        turns = [*turns, turn]
        chat[-1] = {"role": "assistant", "content": render.answer_markdown(answer, number)}
        viewer = render.empty_panel("Click a [n] marker or a source to read its article, with the quote highlighted.")
        yield gr.skip(), chat, turns, self.sources_html(turn, number), viewer

    def _brief(
        self, request: BriefRequest, question: str, chat: list[dict[str, Any]], turns: list[ChatTurn], filters: Filters
    ) -> Iterator[tuple[Any, ...]]:
        """"brief me on X" in the chat: a briefing within the chat's filters, with clickable markers."""
        chat[-1] = {"role": "assistant", "content": render.streaming_markdown("Gathering evidence across the archive for a briefing")}
        yield gr.skip(), chat, turns, gr.skip(), gr.skip()
        brief = build_brief(self.assistant, request, filters)
        number = len(turns)
        # The sources panel lists the citations, so the Markdown leaves its source list out.
        markdown = render_brief_markdown(
            brief, marker=lambda n: render.marker(number, n), text=render.md_text, with_sources=False
        )
        turn = ChatTurn(question, render_brief_markdown(brief), list(brief.citations))
        chat[-1] = {"role": "assistant", "content": markdown}
        yield gr.skip(), chat, [*turns, turn], self.sources_html(turn, number), gr.skip()

    def open_source(self, turns: list[ChatTurn], evt: gr.EventData) -> tuple[Any, Any]:
        """A click on [n], a source row or a lead: (sources panel, article viewer)."""
        data = evt._data if isinstance(evt._data, dict) else {}
        key = str(data.get("key", ""))
        match = _KEY.match(key)
        if match:
            kind, number, item = match.group(1), int(match.group(2)), int(match.group(3))
            if number >= len(turns):
                return gr.skip(), render.empty_panel("That answer belongs to an earlier session; ask again.")
            turn = turns[number]
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
            return self.sources_html(turn, number, active=cited.n), viewer
        match = ARTICLE_KEY.match(key)
        if match:
            article = self.catalog.article(match.group(1))
            if article is None:
                return gr.skip(), render.missing_article(match.group(1))
            return gr.skip(), render.article_view(article, int(match.group(2)), int(match.group(3)))
        return gr.skip(), gr.skip()

    def new_conversation(self) -> tuple[Any, ...]:
        return [], [], render.sources_panel([], {}), render.empty_panel("No article open.")

    # -- uploads -----------------------------------------------------------------------------------
    def add_files(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> Iterator[tuple[Any, ...]]:
        """Ingest dropped files, one log line per file; then refresh status, sources and examples."""
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
        if not paths:
            yield (gr.skip(),) * (3 + EXAMPLE_SLOTS)
            return
        lines: list[str] = [f"Adding {len(paths)} file{'s' if len(paths) != 1 else ''}\u2026"]
        yield "\n".join(lines), gr.skip(), gr.skip(), *([gr.skip()] * EXAMPLE_SLOTS)
        staged = stage_uploads(paths, self.assistant.index.settings.index)

        def report(desc: str, done: int, total: int) -> None:
            progress((done, total), desc=desc, unit="passages")

        ok = 0
        for line in self.uploader.run(staged, report):
            lines.append(("ok    " if line.ok else "error ") + str(line))
            ok += line.ok
            yield "\n".join(lines), gr.skip(), gr.skip(), *([gr.skip()] * EXAMPLE_SLOTS)
        files_word = f"file{'s' if len(paths) != 1 else ''}"
        lines.append(
            f"Done: {ok} of {len(paths)} {files_word} indexed" + ("; ask about them now." if ok else "; nothing new to ask about.")
        )
        sources = self.catalog.sources()
        yield (
            "\n".join(lines),
            self.status_markdown(),
            gr.update(choices=sources),
            *self.example_updates(),
        )

    # -- API ---------------------------------------------------------------------------------------
    def ask_api(
        self,
        question: str,
        history: list[dict[str, Any]] | None = None,
        since: str = "",
        until: str = "",
        sources: list[str] | None = None,
    ) -> dict[str, Any]:
        """Answer a question from the archive with verified, cited quotes.

        Args:
            question: the question, e.g. "What did Tillerson require in March?"
            history: earlier turns as [{"role": "user"|"assistant", "content": text}], for follow-ups
            since: only cite articles published on/after this date (YYYY-MM-DD), or ""
            until: only cite articles published on/before this date (YYYY-MM-DD), or ""
            sources: only cite these publications (names as in the source filter), or []
        Returns:
            The Answer as a dict: question, answer, abstained, citations [{n, article_id, title, url,
            published, source, quote, start, end}], sentences, leads, timings_ms, ... (`newsdesk ask --json`)
        """
        try:
            filters = read_filters(since, until, sources)
            messages = [
                {"role": str(m.get("role", "")), "content": m.get("content", "")} for m in (history or []) if isinstance(m, dict)
            ]
            answer = self.assistant.ask(question, messages, since=filters.since, until=filters.until, sources=filters.sources)
        except NewsdeskError as exc:
            raise gr.Error(str(exc)) from exc
        return answer.to_dict()

    # -- layout ------------------------------------------------------------------------------------
    def build(self) -> gr.Blocks:
        examples = self.examples()
        with gr.Blocks(title="newsdesk", analytics_enabled=False) as app:
            turns = gr.State([])
            with gr.Row(elem_id="nd-header"):
                gr.Markdown("# newsdesk")
            status = gr.Markdown(self.status_markdown(), elem_id="corpus-status")
            with gr.Tabs():
                with gr.Tab("Chat", elem_id="nd-chat-tab"):
                    with gr.Row(elem_id="nd-chat", equal_height=False):
                        with gr.Column(scale=3, min_width=380):
                            chat = gr.Chatbot(
                                elem_id="chatbot",
                                label="Conversation",
                                height=480,
                                latex_delimiters=[],
                                sanitize_html=True,
                                allow_tags=False,
                                feedback_options=None,
                                buttons=["copy"],
                                placeholder="Ask about the articles in your archive. Every sentence of an answer is a quote you can open.",
                            )
                            with gr.Row():
                                question = gr.Textbox(
                                    elem_id="question",
                                    show_label=False,
                                    placeholder="Ask a question, e.g. a follow-up: \u201cAnd what did he later say?\u201d",
                                    lines=1,
                                    max_lines=4,
                                    scale=6,
                                    autofocus=True,
                                )
                                ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=1, min_width=80)
                            with gr.Row(elem_id="examples"):
                                example_buttons = [
                                    gr.Button(
                                        examples[i] if i < len(examples) else "",
                                        size="sm",
                                        variant="secondary",
                                        visible=i < len(examples),
                                        elem_classes=["nd-example"],
                                        elem_id=f"example-{i}",
                                    )
                                    for i in range(EXAMPLE_SLOTS)
                                ]
                            with gr.Accordion("Filters", open=False, elem_id="filters"):
                                with gr.Row():
                                    since, until = date_boxes()
                                    sources = sources_dropdown(self.catalog, "source-filter")
                                note = gr.Markdown(filter_note("", "", []), elem_id="filter-note")
                            with gr.Accordion("Add articles", open=False, elem_id="add-articles"):
                                files = gr.File(
                                    label=f"Drop {', '.join(UPLOAD_SUFFIXES)} files (up to {MAX_UPLOAD_MB} MB each)",
                                    file_count="multiple",
                                    file_types=list(UPLOAD_SUFFIXES),
                                    elem_id="upload",
                                )
                                upload_log = gr.Textbox(
                                    label="Ingest log", lines=4, max_lines=14, interactive=False, elem_id="upload-log"
                                )
                        with gr.Column(scale=2, min_width=320):
                            sources_panel = gr.HTML(
                                render.sources_panel([], {}), elem_id="sources", js_on_load=ACTIVE_ROW_JS, max_height="34vh"
                            )
                            article = gr.HTML(
                                render.empty_panel("No article open."),
                                elem_id="article",
                                js_on_load=OPEN_JS,
                            )
                with gr.Tab("Briefing", elem_id="nd-briefing"):
                    build_briefing_tab(self.assistant)

            answer_outputs = [question, chat, turns, sources_panel, article]
            answer_inputs = [question, chat, turns, since, until, sources]
            listen = dict(
                fn=self.respond,
                inputs=answer_inputs,
                outputs=answer_outputs,
                concurrency_limit=self.concurrency,
                concurrency_id="answer",
                api_visibility="private",
            )
            question.submit(**listen)
            ask.click(**listen)
            for button in example_buttons:
                button.click(lambda text: text, inputs=button, outputs=question, api_visibility="private", queue=False).then(**listen)
            chat.clear(self.new_conversation, outputs=[chat, turns, sources_panel, article], api_visibility="private", queue=False)
            article.click(
                self.open_source, inputs=[turns], outputs=[sources_panel, article], api_visibility="private", concurrency_limit=8
            )
            for box in (since, until, sources):
                box.change(filter_note, inputs=[since, until, sources], outputs=note, api_visibility="private", queue=False)
            files.upload(
                self.add_files,
                inputs=files,
                outputs=[upload_log, status, sources, *example_buttons],
                api_visibility="private",
                concurrency_limit=1,
                concurrency_id="upload",
            )
            gr.api(self.ask_api, api_name="ask", concurrency_limit=self.concurrency, concurrency_id="answer")
        return app
