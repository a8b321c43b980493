"""The browser side of an article viewer (a gr.HTML), shared by the chat and the Briefing tab.

Clicks (or Enter/Space) on citation markers and source rows inside one container become a
`click` event on the viewer carrying the key of what to open; after each new article the
highlighted quote is scrolled into view.  Each tab has its own container, selector and key
scheme, so each gets its own listener (registered once per page, replaced on reload).
"""

from __future__ import annotations

import re
from string import Template

# "article-<id>:<start>:<end>": open that article at that passage (source rows, leads).
ARTICLE_KEY = re.compile(r"^article-([0-9A-Za-z_-]{1,64}):(\d{1,9}):(\d{1,9})$")

_OPENER = Template("""
const opener = (event) => {
  const box = document.getElementById('$container');
  const target = event.target.closest('$selector');
  if (!target || !box || !box.contains(target) || event.target.closest('a.nd-link')) return;
  if (event.type === 'keydown' && event.key !== 'Enter' && event.key !== ' ') return;
  event.preventDefault();
  event.stopPropagation();
  const href = target.getAttribute('href');
  const key = $key;
  trigger('click', {key: key});
};
if (window.$handle) {
  document.removeEventListener('click', window.$handle, true);
  document.removeEventListener('keydown', window.$handle, true);
}
window.$handle = opener;
document.addEventListener('click', opener, true);
document.addEventListener('keydown', opener, true);
watch('value', () => {
  // Scroll the article body to the quote, then bring the viewer itself into sight if needed.
  const quote = element.querySelector('#nd-quote');
  const body = element.querySelector('.nd-article-body');
  if (!quote || !body) return;
  body.scrollTop = Math.max(0, quote.offsetTop - body.clientHeight / 3);  // body is the offsetParent
  element.scrollIntoView({block: 'nearest', behavior: 'instant'});
});
""")


def opener_js(container: str, selector: str, key: str, handle: str) -> str:
    """The viewer's `js_on_load`: `key` is a JS expression over `target` and `href`."""
    return _OPENER.substitute(container=container, selector=selector, key=key, handle=handle)
