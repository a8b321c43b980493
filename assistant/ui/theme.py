"""How the app looks: system fonts (nothing fetched, even with the network cut) and the CSS of
the chat, the sources panel and the article viewer, shared by both tabs."""

from __future__ import annotations

import gradio as gr

THEME = gr.themes.Default(
    # System fonts: the default theme's web fonts are local files, but a system stack needs no
    # fetch at all and renders the same with the network cut.
    font=["system-ui", "Segoe UI", "Liberation Sans", "DejaVu Sans", "Helvetica", "Arial", "sans-serif"],
    font_mono=["ui-monospace", "Liberation Mono", "DejaVu Sans Mono", "monospace"],
    primary_hue="blue",
)

CSS = """
#nd-header h1 { margin: 0; font-size: 1.5rem; }
#corpus-status { color: var(--body-text-color-subdued); }
#corpus-status p { margin: 0; }
.nd-example { flex: 0 1 auto !important; min-width: 0 !important; }
#chatbot a[href^="#nd-cite-"] { text-decoration: none; font-weight: 600; padding: 0 1px; }
#chatbot a[href^="#nd-cite-"]:hover { text-decoration: underline; }
.nd-unsupported { text-decoration: underline wavy #c0392b; text-underline-offset: 3px; }
.nd-sources, .nd-article, .nd-empty { font-size: 0.92rem; line-height: 1.45; }
.nd-panel-title, .nd-article-title { margin: 0 0 6px 0 !important; font-size: 1.05rem !important; }
.nd-source-list { list-style: none; padding: 0 !important; margin: 0 !important; }
.nd-source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px;
             margin: 0 0 8px 0 !important; cursor: pointer; background: var(--block-background-fill); }
.nd-source:hover, .nd-source:focus { border-color: var(--color-accent); outline: none; }
.nd-source.nd-active { border-color: var(--color-accent); box-shadow: 0 0 0 1px var(--color-accent); }
.nd-source-head { font-weight: 600; }
.nd-n { color: var(--color-accent); font-weight: 700; }
.nd-meta { color: var(--body-text-color-subdued); font-size: 0.85rem; margin: 2px 0 4px 0; }
.nd-passage { margin: 4px 0 0 0 !important; padding: 4px 0 4px 10px !important;
              border-left: 3px solid var(--border-color-primary); white-space: pre-wrap; }
.nd-sources mark, .nd-article mark { background: #ffe58a; color: #1f2328; padding: 0 1px; border-radius: 2px; }
.nd-article mark#nd-quote { outline: 2px solid #f0b400; }
.nd-article mark.nd-more { outline: 1px dashed #f0b400; }
.nd-article-body { white-space: pre-wrap; max-height: 36vh; position: relative; overflow-y: auto; padding-right: 6px;
                   border-top: 1px solid var(--border-color-primary); padding-top: 6px; }
.nd-empty { color: var(--body-text-color-subdued); padding: 8px 2px; }
#upload-log textarea { font-family: var(--font-mono); font-size: 0.85rem; }
"""
