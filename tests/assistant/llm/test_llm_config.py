"""Settings for the LLM backends fail early with one line naming what to fix."""

from __future__ import annotations


import pytest

from assistant.llm.client import normalise_url
from assistant.settings import AssistantSettings
from ingest.errors import ConfigError
from support import free_port



def one_line(exc: pytest.ExceptionInfo) -> str:  # type: ignore[type-arg]
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_openai_backend_needs_url_and_model(sample_settings) -> None:  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    with pytest.raises(ConfigError) as exc:
        Assistant(sample_settings, AssistantSettings(llm="openai", llm_model="m"))
    assert "NEWSDESK_LLM_URL" in one_line(exc)
    with pytest.raises(ConfigError) as exc:
        Assistant(sample_settings, AssistantSettings(llm="openai", llm_url="http://127.0.0.1:11434/v1"))
    assert "NEWSDESK_LLM_MODEL" in one_line(exc)


def test_unreachable_server_is_a_config_error(sample_settings) -> None:  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    url = f"http://127.0.0.1:{free_port()}/v1"
    assistant = Assistant(sample_settings, AssistantSettings(llm="openai", llm_url=url, llm_model="m"))
    with pytest.raises(ConfigError) as exc:
        assistant.ask("What did the UN Security Council ban in August 2017?")
    assert one_line(exc) == f"LLM server {url} is unreachable: check NEWSDESK_LLM_URL and that the server runs"


def test_local_backend_needs_an_existing_gguf(sample_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    missing = tmp_path / "nope.gguf"
    with pytest.raises(ConfigError) as exc:
        Assistant(sample_settings, AssistantSettings(llm="local", llm_gguf=str(missing)))
    assert one_line(exc) == f"NEWSDESK_LLM_GGUF={str(missing)!r}: no such file"
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a model")
    pytest.importorskip("xllamacpp")
    with pytest.raises(ConfigError) as exc:
        Assistant(sample_settings, AssistantSettings(llm="local", llm_gguf=str(junk)))
    assert "llama.cpp could not load it" in one_line(exc)


def test_server_urls_are_normalised() -> None:
    assert normalise_url("http://127.0.0.1:11434") == "http://127.0.0.1:11434/v1"
    assert normalise_url("127.0.0.1:8080/") == "http://127.0.0.1:8080/v1"
    assert normalise_url("https://api.openai.com/v1") == "https://api.openai.com/v1"
    with pytest.raises(ConfigError):
        normalise_url("ftp://x")
