"""The chat UI (`newsdesk chat`): a Gradio app over the same Assistant the CLI uses.

app.py checks the host/login and launches, chat.py lays out the chat tab and its handlers,
render.py turns answers and articles into escaped HTML, uploads.py copies and ingests dropped
files, corpus.py describes the index (status line, example questions).  briefing_tab.py is the
Briefing tab, added when it is present.
"""
