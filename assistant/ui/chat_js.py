"""The chat's browser side: opening cited articles, what the copy buttons copy, and a briefing
shown from its top.

Each constant is the `js_on_load` of one component (or the `js` of one event step); they run
once per page and find what they need by element ids and Gradio's own class names.
"""

from __future__ import annotations

from assistant.ui.viewer_js import opener_js

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

# Runs once per page on the hidden element holding, per message, the text to copy (written by
# the server: the answer as plain text and its sources).  Gradio's copy button copies a
# message's raw Markdown (escapes, link syntax); a click on it is noted first (capture phase),
# and the clipboard write that follows gets the readable text instead.  Both of Gradio's ways
# of copying are covered: navigator.clipboard, and execCommand('copy') where that is missing
# (plain http on another host).
COPY_JS = """
const pending = {text: null};
document.addEventListener('click', (event) => {
  const button = event.target.closest('#chatbot button[aria-label="Copy message"]');
  if (!button) return;
  const row = button.closest('.message-buttons')?.previousElementSibling;
  if (!row || !row.classList.contains('message-row')) return;
  const kind = row.classList.contains('bot-row') ? 'bot' : 'user';
  const rows = [...document.querySelectorAll('#chatbot .message-row.' + kind + '-row')];
  const holder = document.querySelector('#nd-copy-texts [data-nd-copy="' + kind + '-' + rows.indexOf(row) + '"]');
  pending.text = holder ? holder.dataset.text : null;
}, true);
if (navigator.clipboard && !window.__ndClipboard) {
  window.__ndClipboard = navigator.clipboard.writeText.bind(navigator.clipboard);
  navigator.clipboard.writeText = (text) => {
    const mine = pending.text;
    pending.text = null;
    return window.__ndClipboard(mine ?? text);
  };
}
document.addEventListener('copy', (event) => {
  if (pending.text === null || !event.clipboardData) return;
  event.clipboardData.setData('text/plain', pending.text);
  pending.text = null;
  event.preventDefault();
});
"""

# After an answer: a briefing is long, and the chat scrolls to its end ("What changed"); bring
# its heading to the top of the chat instead.  Other answers are left where autoscroll put them.
BRIEF_TOP_JS = """
() => {
  // Gradio's own autoscroll runs (smoothly) after the new value; keep placing the heading at the
  // top for a moment so the last word is ours.
  let tries = 0;
  const place = () => {
    const rows = document.querySelectorAll('#chatbot .message-row.bot-row');
    const row = rows[rows.length - 1];
    const heading = row && row.querySelector('h1');
    const wrap = document.querySelector('#chatbot .bubble-wrap');
    if (!heading || !wrap || !heading.textContent.startsWith('Briefing')) return;
    // 32 px below the top: the chat's "Conversation" label floats over its first lines.
    const offset = row.getBoundingClientRect().top - wrap.getBoundingClientRect().top - 32;
    if (Math.abs(offset) > 2) wrap.scrollTop += offset;
    if (++tries < 8) setTimeout(place, 150);
  };
  setTimeout(place, 50);
}
"""

# The browser asks before a conversation is deleted; its answer replaces the first input.
CONFIRM_DELETE_JS = (
    "(confirmed, conversation) => [window.confirm('Delete this conversation? It cannot be brought back.') ? 'yes' : 'no', conversation]"
)
