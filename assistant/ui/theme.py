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
/* The side column (sources and article) stays in view while the page scrolls, so opening a
   late [n] never moves the page. */
.nd-side { position: sticky; top: 8px; align-self: flex-start; }
/* Gradio's container hides its overflow, which makes it the sticky column's scroll box (so
   nothing sticks); clip cuts the same overflow without being one. */
.gradio-container { overflow: clip !important; }
#nd-conversations { gap: 8px; }
#conversation-list .wrap { max-height: 44vh; overflow-y: auto; flex-direction: column; flex-wrap: nowrap; }
#conversation-list label { width: 100%; font-size: 0.88rem; }
.nd-small p { margin: 4px 0 0 0; font-size: 0.85rem; color: var(--body-text-color-subdued); }
#saved-note p, #library-note p { font-size: 0.85rem; }
.nd-chips { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 0.88rem; }
.nd-chips-label { color: var(--body-text-color-subdued); }
.nd-chip { border: 1px solid var(--color-accent); border-radius: 999px; padding: 2px 10px; cursor: pointer;
           background: var(--block-background-fill); color: var(--body-text-color); font-size: 0.85rem; }
.nd-chip:hover, .nd-chip:focus { background: var(--color-accent-soft); }
.nd-chip-problem { border-color: #c0392b; color: #c0392b; }
.nd-chip-x { margin-left: 4px; font-size: 0.75rem; }
#filter-chips:empty, #filter-chips .prose:empty { display: none; }
#upload-progress { min-height: 48px; }
"""
