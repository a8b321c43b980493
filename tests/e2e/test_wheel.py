"""A wheel built from the repository is whole: every module, every prompt, the trained weights
(models/ ships as assistant/models), and it runs installed.

A checkout reads prompts/ at the top of the repository; an installed newsdesk has only what the
wheel carries.  So the wheel is built (`pip wheel --no-deps`, as `pip install .` builds it),
installed into an empty folder, and run from there: every prompt loads and renders, the answer
prompt is built for the LLM backend, and the command line starts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from support import REPO

SHIPPED = ("pyproject.toml", "README.md", "assistant", "ingest", "prompts", "models", "training")

INSTALLED_CHECK = """
import json, sys
from pathlib import Path
import assistant
from assistant.llm.answerer import LLMAnswerer
from assistant.llm.prompts import PROMPTS_DIR, load_prompt, prompt_names
from assistant.llm.verify import Passage
from assistant.retrieve import Evidence
from assistant.briefing.aliases import countries

site = Path(sys.argv[1]).resolve()
assert Path(assistant.__file__).resolve().is_relative_to(site), assistant.__file__
rendered = {}
for name in prompt_names():
    prompt = load_prompt(name)
    rendered[name] = prompt.render(**{variable: f"<{variable}>" for variable in prompt.variables})
evidence = Evidence(1, "c1", "a1", "Coal ban", "", "2017-08-06", "Relay Wire", 0, 40, "The council banned coal exports.", 1.0)
messages = LLMAnswerer("openai", None, None).messages("What was banned?", [Passage(1, evidence)])
from assistant.relevance.trained import TrainedSentenceScorer, models_dir
scorer = TrainedSentenceScorer.load()
logit = float(scorer.pairs.score("Who won?", [("Rovers won the cup final on Saturday.", "Cup final")])[0])
print(json.dumps({"dir": str(PROMPTS_DIR), "rendered": rendered, "messages": messages, "pyongyang": countries()["North Korea"].capitals,
                  "models": str(models_dir()), "logit": logit}))
"""


def run(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_the_wheel_holds_every_module_and_prompt_and_runs_installed(tmp_path: Path) -> None:
    source = tmp_path / "source"
    for name in SHIPPED:  # a copy, so building never writes build/ or *.egg-info into the checkout
        origin = REPO / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(origin, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(source), "-w", str(tmp_path / "dist"))
    (wheel,) = (tmp_path / "dist").glob("newsdesk-*.whl")

    inside = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for package in ("assistant", "ingest", "training") for p in (REPO / package).rglob("*.py")}
    prompts = {f"assistant/prompts/{p.name}" for p in (REPO / "prompts").glob("*.txt")}
    assert len(prompts) >= 3
    data = {p.relative_to(REPO).as_posix() for p in (REPO / "assistant" / "briefing" / "data").glob("*.tsv")}
    assert data  # the briefing's gazetteer
    models = {f"assistant/models/{p.relative_to(REPO / 'models').as_posix()}" for p in (REPO / "models").rglob("*") if p.is_file()}
    assert {"assistant/models/relevance/model.safetensors", "assistant/models/relevance/model.json"} <= models
    missing = sorted((modules | prompts | data | models) - inside)
    assert not missing, f"not in the wheel (list their packages in pyproject.toml [tool.setuptools]): {missing}"

    site = tmp_path / "site"
    run(sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel))
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    done = run(sys.executable, "-c", INSTALLED_CHECK, str(site), cwd=tmp_path, env=env)
    report = json.loads(done.stdout)
    assert Path(report["dir"]) == site / "assistant" / "prompts"
    assert Path(report["models"]) == site / "assistant" / "models" and isinstance(report["logit"], float)
    assert sorted(report["rendered"]) == sorted(p.removeprefix("assistant/prompts/").removesuffix(".txt") for p in prompts)
    for name, messages in report["rendered"].items():
        assert messages and all(text and "{{" not in text for _, text in messages), name
    (system, user) = report["messages"]
    assert system[0] == "system" and '<passage n="1">' in user[1] and "What was banned?" in user[1]
    assert report["pyongyang"] == ["Pyongyang"]  # the gazetteer loads from the installed package

    helped = run(sys.executable, "-m", "assistant.cli", "--help", cwd=tmp_path, env=env)
    assert "ingest" in helped.stdout and "brief" in helped.stdout
