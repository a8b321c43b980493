"""The chat UI (`newsdesk chat`): a Gradio app over the same Assistant the CLI uses.

app.py checks the host and login and launches; chat.py is the Chat tab and its handlers,
briefing_tab.py the Briefing tab; render.py turns answers and articles into escaped HTML,
viewer_js.py is the article viewer's browser side, theme.py the look, filters.py the date and
source filter boxes both tabs use, uploads.py copies and ingests dropped files, corpus.py
describes the index (status line, example questions).
"""

import os

# The one place: every module of this package imports gradio after this line has run, and
# nothing here may phone home (analytics) or reach a model hub.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
