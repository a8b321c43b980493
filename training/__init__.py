"""Training code for newsdesk's learned models (not imported by the assistant at run time).

    newsdesk train relevance      (or `make models`)

data.py      the RealTime QA training questions/articles and the by-week validation split
labels.py    which sentences answer a question (the labels)
groups.py    training groups: one answering sentence + on-topic sentences that do not answer
loop.py      the training loop (fixed steps, validation every N steps, best checkpoint kept)
relevance.py the `train relevance` recipe: data -> groups -> model in models/relevance
"""
