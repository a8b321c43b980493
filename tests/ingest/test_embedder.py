"""The embedder's precisions: bf16 agrees with fp32, serves a whole ingest-and-ask, and is refused
on a CPU that cannot do bf16 arithmetic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ingest import embedder as embedder_module
from ingest.errors import ConfigError
from ingest.settings import Settings

TEXTS = [
    "Tillerson said North Korea must give up its nuclear weapons before any talks.",
    "The Security Council capped North Korea's imports of refined petroleum.",
    "Glimmerfin Lake reopened after freshwater mussels cleared the algae bloom.",
    "Kansas City won the championship game in the final seconds.",
    "A short one.",
    " ".join(["A very long sentence about sanctions, coal, iron ore and seafood exports"] * 30),
]

needs_bf16 = pytest.mark.skipif(
    not embedder_module.cpu_has_bf16(), reason="this CPU has neither AMX nor AVX-512 BF16"
)


@needs_bf16
def test_bf16_vectors_agree_with_fp32() -> None:
    embedder, bf16 = embedder_module.load_embedder("fp32"), embedder_module.load_embedder("bf16")
    assert bf16.name == "bf16" and embedder.name == "fp32"
    a, b = embedder.encode(TEXTS), bf16.encode(TEXTS)
    assert b.dtype == np.float32 and b.shape == (len(TEXTS), embedder_module.DIMENSIONS)
    assert np.allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-4)
    assert float((a * b).sum(axis=1).min()) >= 0.9999
    assert not np.array_equal(a, b)  # it really ran in another precision


@needs_bf16
def test_bf16_index_answers_with_verbatim_citations(tmp_path: Path, seed_path: Path) -> None:
    from assistant.api import Assistant
    from ingest.index import Index
    from ingest.pipeline import ingest

    settings = Settings.load(index=tmp_path / "index", embedder="bf16")
    index = Index.open(settings)
    report = ingest(index, [seed_path])
    assert report.added == 1 and report.failed == 0
    index.close()
    assistant = Assistant(settings)
    assert assistant.index.embedder.name == "bf16"
    answer = assistant.ask("What did Tillerson require in March?")
    assert not answer.abstained and answer.citations
    assert any("surrender of nuclear weapons" in c.quote for c in answer.citations)
    for c in answer.citations:
        assert assistant.index.catalog.article(c.article_id).text[c.start : c.end] == c.quote


def test_bf16_is_refused_on_a_cpu_without_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(embedder_module, "cpu_has_bf16", lambda: False)
    with pytest.raises(ConfigError, match="bf16 needs a CPU with AMX or AVX-512 BF16"):
        embedder_module._load.__wrapped__("bf16")


def test_unknown_embedder_is_one_clear_error(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDESK_EMBEDDER", "int8")
    with pytest.raises(ConfigError, match="NEWSDESK_EMBEDDER='int8': use one of auto, fp32, bf16"):
        Settings.load()


def test_cpu_flags_are_read_from_proc(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cpuinfo = tmp_path / "cpuinfo"
    real_path = embedder_module.Path

    def fake_path(name: str):  # type: ignore[no-untyped-def]
        return cpuinfo if name == "/proc/cpuinfo" else real_path(name)

    monkeypatch.setattr(embedder_module, "Path", fake_path)
    cpuinfo.write_text("flags\t\t: fpu sse avx2 avx512f\n", encoding="ascii")
    assert embedder_module.cpu_has_bf16() is False
    cpuinfo.write_text("flags\t\t: fpu avx512f avx512_bf16 amx_tile\n", encoding="ascii")
    assert embedder_module.cpu_has_bf16() is True


def test_auto_picks_bf16_only_where_the_cpu_has_it(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(embedder_module, "cpu_has_bf16", lambda: True)
    assert embedder_module.resolve("auto") == "bf16"
    monkeypatch.setattr(embedder_module, "cpu_has_bf16", lambda: False)
    assert embedder_module.resolve("auto") == "fp32"
    assert embedder_module.resolve("fp32") == "fp32" and embedder_module.resolve("bf16") == "bf16"
