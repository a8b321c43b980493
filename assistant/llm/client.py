"""One OpenAI-compatible chat endpoint (ChatOpenAI), whichever server is behind it.

Ollama's /v1, vLLM, a llama.cpp server, OpenAI itself, or the embedded llama.cpp of the
"local" backend: all are reached through `langchain_openai.ChatOpenAI`.  Connection and
authentication failures become one-line ConfigErrors naming the setting to fix.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Iterator, Sequence
from urllib.parse import urlparse

from assistant.llm.local import LocalConfig, local_server, resolve_gguf
from assistant.llm.prompts import load_prompt
from assistant.settings import AssistantSettings
from ingest.errors import ConfigError, NewsdeskError

Messages = Sequence[tuple[str, str]]


class LLMError(NewsdeskError):
    """The model server answered with an error that is not a setting to fix."""


@dataclass(frozen=True)
class ClientConfig:
    max_tokens: int = 220  # three sentences with markers; bounds latency on a slow CPU
    temperature: float = 0.0  # the same passages give the same answer
    timeout: float = 300.0  # a 1,600-token prompt takes ~25 s on 2 cores; be patient, not endless
    max_retries: int = 1


@dataclass
class Generation:
    """What the last streamed call produced (filled as the stream is consumed)."""

    text: str = ""
    finish_reason: str = ""
    first_token_ms: float = 0.0
    total_ms: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)


def normalise_url(url: str) -> str:
    """Accept "http://host:port" for servers that serve the API under /v1 (Ollama, llama.cpp)."""
    url = url.strip().rstrip("/")
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"NEWSDESK_LLM_URL={url!r}: expected http://host:port/v1")
    if parsed.path in ("", "/"):
        return f"{parsed.scheme}://{parsed.netloc}/v1"
    return f"{parsed.scheme}://{parsed.netloc}{parsed.path}"


class LLMClient:
    """Chat completions against one endpoint: `complete()` for text, `stream_messages()` for deltas."""

    def __init__(self, url: str, model: str, api_key: str = "", config: ClientConfig = ClientConfig(), label: str = "openai") -> None:
        from langchain_openai import ChatOpenAI

        self.url = url
        self.model = model
        self.label = label
        self.config = config
        # Local servers take any key; ChatOpenAI insists on one, and must never fall back to a
        # developer's OPENAI_API_KEY from the environment for someone else's server.
        self.chat = ChatOpenAI(
            base_url=url,
            model=model,
            api_key=api_key or "not-needed",
            temperature=config.temperature,
            max_tokens=config.max_tokens,
            timeout=config.timeout,
            max_retries=config.max_retries,
            streaming=True,
        )

    # -- calls --------------------------------------------------------------------------------
    def stream_messages(self, messages: Messages, generation: Generation | None = None, max_tokens: int | None = None) -> Iterator[str]:
        """Text deltas as the server produces them; `generation` collects text and timings."""
        record = generation if generation is not None else Generation()
        chat = self.chat if max_tokens is None else self.chat.bind(max_tokens=max_tokens)
        started = time.perf_counter()
        try:
            for chunk in chat.stream(list(messages)):
                finish = (chunk.response_metadata or {}).get("finish_reason")
                if finish:
                    record.finish_reason = str(finish)
                text = chunk.content if isinstance(chunk.content, str) else "".join(
                    part.get("text", "") for part in chunk.content if isinstance(part, dict)
                )
                if not text:
                    continue
                if not record.text:
                    record.first_token_ms = (time.perf_counter() - started) * 1000
                record.text += text
                yield text
        except Exception as exc:  # openai's exception family, translated to settings to fix
            raise self._explain(exc) from exc
        finally:
            record.total_ms = (time.perf_counter() - started) * 1000

    def complete_messages(self, messages: Messages, max_tokens: int | None = None) -> str:
        return "".join(self.stream_messages(messages, max_tokens=max_tokens))

    def complete(self, prompt_name: str, max_tokens: int | None = None, **variables: object) -> str:
        """Render prompts/<prompt_name>.txt with `variables` and return the model's whole reply."""
        return self.complete_messages(load_prompt(prompt_name).render(**variables), max_tokens)

    # -- errors -------------------------------------------------------------------------------
    def _explain(self, exc: Exception) -> Exception:
        import openai

        where = f"LLM server {self.url}"
        if isinstance(exc, NewsdeskError):
            return exc
        if isinstance(exc, openai.APITimeoutError):
            return ConfigError(f"{where} did not answer within {self.config.timeout:.0f} s")
        if isinstance(exc, openai.APIConnectionError):
            return ConfigError(f"{where} is unreachable: check NEWSDESK_LLM_URL and that the server runs")
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return ConfigError(f"{where} refused the API key: set NEWSDESK_LLM_API_KEY")
        if isinstance(exc, openai.NotFoundError):
            return ConfigError(f"{where}: model {self.model!r} or the /chat/completions route was not found (check NEWSDESK_LLM_MODEL and that the URL ends in /v1)")
        if isinstance(exc, openai.APIStatusError):
            return LLMError(f"{where} answered HTTP {exc.status_code}: {_one_line(exc.message)}")
        if isinstance(exc, openai.OpenAIError):
            return LLMError(f"{where}: {_one_line(str(exc))}")
        return exc


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- settings -> client (cached per endpoint: the embedded server is a loaded model) -----------

_clients: dict[tuple[str, ...], LLMClient] = {}
_lock = threading.Lock()


def client_for(settings: AssistantSettings, config: ClientConfig = ClientConfig(), local: LocalConfig = LocalConfig()) -> LLMClient:
    """The client the settings name: "openai" -> NEWSDESK_LLM_URL/MODEL; "local" -> the GGUF."""
    if settings.llm == "openai":
        if not settings.llm_url:
            raise ConfigError("--llm openai needs NEWSDESK_LLM_URL, e.g. http://127.0.0.1:11434/v1 for Ollama")
        if not settings.llm_model:
            raise ConfigError("--llm openai needs NEWSDESK_LLM_MODEL, the model name the server knows")
        key = ("openai", normalise_url(settings.llm_url), settings.llm_model, settings.llm_api_key, repr(config))
        with _lock:
            if key not in _clients:
                _clients[key] = LLMClient(key[1], settings.llm_model, settings.llm_api_key, config, "openai")
            return _clients[key]
    if settings.llm == "local":
        gguf = resolve_gguf(settings.llm_gguf)
        server = local_server(gguf, local)
        key = ("local", server.url, server.api_key, repr(config))
        with _lock:
            if key not in _clients:
                _clients[key] = LLMClient(server.url, server.model, server.api_key, config, "local")
            return _clients[key]
    raise ConfigError(f"--llm {settings.llm!r} has no language model: use openai or local")
