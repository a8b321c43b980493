"""Settings: the index's (ingest) and the assistant's, both from NEWSDESK_* with flags on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import AssistantSettings
from ingest.errors import ConfigError
from ingest.settings import Settings


def test_the_assistant_reads_its_own_variables_and_flags_win(monkeypatch: pytest.MonkeyPatch) -> None:
    assert AssistantSettings.load() == AssistantSettings()  # conftest removed the developer's NEWSDESK_*
    monkeypatch.setenv("NEWSDESK_LLM", "openai")
    monkeypatch.setenv("NEWSDESK_LLM_URL", " http://127.0.0.1:11434/v1 ")
    monkeypatch.setenv("NEWSDESK_AUTH", "ann:secret")
    settings = AssistantSettings.load(llm=None, auth="bob:pw")  # an unset flag is None: the environment stays
    assert (settings.llm, settings.llm_url, settings.auth) == ("openai", "http://127.0.0.1:11434/v1", "bob:pw")
    assert AssistantSettings.load(llm="local").llm == "local"


def test_an_unknown_backend_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_LLM", "gpt")
    with pytest.raises(ConfigError, match="--llm 'gpt': use one of extractive, openai, local"):
        AssistantSettings.load()


def test_the_index_settings_know_nothing_of_backends_or_logins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSDESK_INDEX", str(tmp_path / "from-env"))
    monkeypatch.setenv("NEWSDESK_LLM", "gpt")  # not the index's business: no error here
    assert Settings.load().index == tmp_path / "from-env"
    assert Settings.load(index="~/elsewhere").index == Path.home() / "elsewhere"
    with pytest.raises(TypeError):
        Settings.load(llm="openai")


def test_assistant_open_sorts_overrides_to_the_settings_they_belong_to(sample_settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="no setting named colour"):
        Assistant.open(index=sample_settings.index, colour="blue")
    with pytest.raises(ConfigError, match="NEWSDESK_LLM_URL"):  # reached the backend: llm went to AssistantSettings
        Assistant.open(index=sample_settings.index, llm="openai", llm_model="m")
