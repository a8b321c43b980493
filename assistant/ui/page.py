"""The page: header, status line, the Chat, Briefing and Library tabs, and every event wired.

The Chat tab has three columns: the conversations (New chat, the list, export, delete), the
conversation itself (filter chips above it; question, Ask and Stop, example questions and the
filter boxes below it), and the sources with the article viewer.  Handlers live in chat.py,
library_tab.py, briefing_tab.py and api.py; this module only lays out and connects.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.ui import render
from assistant.ui.api import add_ask_endpoint
from assistant.ui.briefing_tab import build_briefing_tab
from assistant.ui.chat import ChatApp, ChatView
from assistant.ui.chat_js import ACTIVE_ROW_JS, BRIEF_TOP_JS, CONFIRM_DELETE_JS, COPY_JS, OPEN_JS
from assistant.ui.corpus import corpus_status, example_questions
from assistant.ui.filters import CHIPS_JS, chips_html, cleared, date_boxes, filter_note, sources_dropdown
from assistant.ui.library_tab import build_library_tab
from assistant.ui.uploads import IndexWriter

if TYPE_CHECKING:
    from assistant.api import Assistant
    from assistant.limits import Limits

EXAMPLE_SLOTS = 4
PRIVATE = {"api_visibility": "private"}


class IndexViews:
    """What shows the index's contents and changes when articles are added or deleted."""

    def __init__(self, assistant: "Assistant") -> None:
        self.assistant = assistant
        self.catalog = assistant.index.catalog

    def status(self) -> str:
        line = render.md_text(corpus_status(self.catalog).line())
        line = f"{line} &middot; answers by the *{render.md_text(self.assistant.settings.llm)}* backend"
        damage = self.assistant.damage()  # a few counts: the same one line `newsdesk ask` prints
        return line + (f"\n\n**Warning:** {render.md_text(damage)}" if damage else "")

    def example_updates(self) -> list[Any]:
        questions = example_questions(self.catalog, briefing=True)[:EXAMPLE_SLOTS]
        return [
            gr.update(value=questions[i], visible=True) if i < len(questions) else gr.update(visible=False)
            for i in range(EXAMPLE_SLOTS)
        ]

    def refresh(self) -> tuple[Any, ...]:
        """(status line, example buttons..., chat sources choices, briefing sources choices)."""
        sources = gr.update(choices=self.catalog.sources())
        return (self.status(), *self.example_updates(), sources, sources)


def build_page(assistant: "Assistant", limits: "Limits") -> gr.Blocks:
    """The whole app as a gr.Blocks (app.py sets up its queue and serves it).  Chat answers, the
    /ask endpoint, chat briefings and the Briefing tab all take slots of `limits`; the chat's and
    /ask's Gradio queue runs as many at once as there are answer slots."""
    chat_app = ChatApp(assistant, limits)
    views = IndexViews(assistant)
    writer = IndexWriter(assistant.index)
    examples = example_questions(views.catalog, briefing=True)[:EXAMPLE_SLOTS]
    # The browser keeps only the id of its open conversation; a key that stays the same across
    # restarts (the secret is no protection: Gradio sends it to the page) keeps it readable.
    secret = hashlib.sha256(str(assistant.index.settings.index.resolve()).encode()).hexdigest()[:32]
    with gr.Blocks(title="newsdesk", analytics_enabled=False) as app:
        conversation = gr.State(None)
        opened = gr.BrowserState({"id": ""}, storage_key="newsdesk-open-conversation", secret=secret)
        with gr.Row(elem_id="nd-header"):
            gr.Markdown("# newsdesk")
        status = gr.Markdown(views.status(), elem_id="corpus-status")
        with gr.Tabs():
            with gr.Tab("Chat", elem_id="nd-chat-tab"):
                with gr.Row(elem_id="nd-chat", equal_height=False):
                    with gr.Column(scale=1, min_width=210, elem_id="nd-conversations"):
                        new = gr.Button("New chat", elem_id="new-chat", size="sm", variant="primary")
                        conversations = gr.Radio([], label="Conversations", elem_id="conversation-list")
                        gr.Markdown("Export this conversation", elem_classes=["nd-small"])
                        with gr.Row():
                            export_md = gr.DownloadButton("Markdown", elem_id="export-md", size="sm", interactive=False)
                            export_json = gr.DownloadButton("JSON", elem_id="export-json", size="sm", interactive=False)
                        delete = gr.Button("Delete conversation", elem_id="delete-conversation", size="sm", variant="stop")
                        saved_note = gr.Markdown("", elem_id="saved-note")
                    with gr.Column(scale=3, min_width=380):
                        chips = gr.HTML("", elem_id="filter-chips", js_on_load=CHIPS_JS)
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
                        brief_download = gr.DownloadButton(
                            "Download this briefing (Markdown)", visible=False, elem_id="chat-brief-download", size="sm"
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
                            stop = gr.Button("Stop", variant="stop", elem_id="stop", scale=1, min_width=80, visible=False)
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
                        with gr.Accordion("Filters", open=False, elem_id="filters") as filters:
                            with gr.Row():
                                since, until = date_boxes()
                                sources = sources_dropdown(views.catalog, "source-filter")
                            note = gr.Markdown(filter_note(assistant.dates, "", "", []), elem_id="filter-note")
                    with gr.Column(scale=2, min_width=320, elem_classes=["nd-side"]):
                        sources_panel = gr.HTML(
                            render.sources_panel([], {}), elem_id="sources", js_on_load=ACTIVE_ROW_JS, max_height="34vh"
                        )
                        article = gr.HTML(render.empty_panel("No article open."), elem_id="article", js_on_load=OPEN_JS)
                copy_texts = gr.HTML("", elem_id="nd-copy-texts", visible="hidden", js_on_load=COPY_JS)
                confirm = gr.Textbox(visible=False)
            with gr.Tab("Briefing", elem_id="nd-briefing"):
                brief_sources = build_briefing_tab(assistant, limits)
            with gr.Tab("Library", elem_id="nd-library-tab"):
                library = build_library_tab(assistant, writer)

        chat_app.view = view = ChatView(
            question, chat, conversation, opened, conversations, sources_panel, article, ask, stop, note, filters,
            export_md, export_json, brief_download, copy_texts, saved_note, example_buttons,
        )  # fmt: skip
        shown = [view.chat, view.conversation, view.sources, view.article, view.saved_note, *_side(view)]
        index_views = [status, *example_buttons, sources, brief_sources]

        app.load(chat_app.load, inputs=opened, outputs=shown, show_progress="hidden", **PRIVATE)
        app.load(views.refresh, outputs=index_views, queue=False, show_progress="hidden", **PRIVATE)
        library_list = [library.table, library.ids, library.count]
        app.load(library.listing, inputs=library.search, outputs=library_list, queue=False, show_progress="hidden", **PRIVATE)
        answered = gr.on(
            triggers=[question.submit, ask.click, chat.option_select, *(b.click for b in example_buttons)],
            fn=chat_app.respond,
            inputs=[question, chat, conversation, since, until, sources, *example_buttons],
            outputs=[question, chat, conversation, sources_panel, article, ask, stop, note, filters, saved_note],
            concurrency_limit=limits.answers.size,
            concurrency_id="answer",
            trigger_mode="always_last",  # Enter while an answer streams asks next, nothing is lost
            show_progress_on=[chat],
            **PRIVATE,
        )
        answered.then(chat_app.after_answer, inputs=conversation, outputs=_side(view), **PRIVATE).then(
            None, js=BRIEF_TOP_JS, **PRIVATE
        )
        stop.click(chat_app.stop, outputs=stop, queue=False, **PRIVATE)
        article.click(chat_app.open_source, inputs=[conversation], outputs=[sources_panel, article], concurrency_limit=8, **PRIVATE)

        conversations.input(chat_app.open_conversation, inputs=conversations, outputs=shown, **PRIVATE)
        new.click(chat_app.new_conversation, outputs=shown, queue=False, **PRIVATE)
        chat.clear(chat_app.new_conversation, outputs=shown, queue=False, **PRIVATE)
        delete.click(
            chat_app.delete_conversation, inputs=[confirm, conversation], outputs=shown, js=CONFIRM_DELETE_JS, **PRIVATE
        )

        boxes = [since, until, sources]
        for box in boxes:
            box.change(
                lambda *v: (filter_note(assistant.dates, *v), chips_html(assistant.dates, *v)),
                inputs=boxes, outputs=[note, chips], queue=False, **PRIVATE,
            )  # fmt: skip

        def clear_chip(since_v: str, until_v: str, sources_v: list[str], evt: gr.EventData) -> tuple[Any, Any, Any]:
            data = evt._data if isinstance(evt._data, dict) else {}
            return cleared(str(data.get("clear", "")), since_v, until_v, sources_v)

        chips.click(clear_chip, inputs=boxes, outputs=boxes, queue=False, **PRIVATE)

        for changed in library.changed:
            changed.then(views.refresh, outputs=index_views, show_progress="hidden", **PRIVATE).then(
                library.listing, inputs=library.search, outputs=library_list, show_progress="hidden", **PRIVATE
            )
        add_ask_endpoint(app, assistant, limits)
    return app


def _side(view: ChatView) -> list[Any]:
    """The components `ChatApp.side` updates, in a fixed order."""
    return [view.conversations, view.opened, view.export_md, view.export_json, view.brief_download, view.copy_texts]
