"""A hostile LLM server on loopback: every bad answer is counted, retried, and ends in an LLMError."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from anomalygen.llm import LLMError, user
from anomalygen.llm.openai_backend import OpenAIBackend
from tests.badinput.conftest import run_cli
from tests.llm.fake_server import chat_reply, fake_server

SCHEMA: dict[str, Any] = {"title": "v", "type": "object", "properties": {"ok": {"type": "boolean"}},
                          "required": ["ok"]}
NULL_MESSAGE = {**chat_reply("x"), "choices": [{"index": 0, "finish_reason": "stop", "message": None}]}


@pytest.mark.parametrize("body", [
    "this is not json {",
    "[" * 100_000 + "]" * 100_000,
    NULL_MESSAGE,
    chat_reply("[" * 100_000 + "]" * 100_000),
], ids=["garbage", "deeply-nested-body", "null-message", "deeply-nested-answer"])
def test_every_bad_answer_is_retried_and_counted_as_a_failure(body: Any) -> None:
    with fake_server(lambda _body: (200, body, 0.0)) as server:
        backend = OpenAIBackend(base_url=server.base_url, model="m", max_retries=2, sleep=lambda s: None)
        with pytest.raises(LLMError) as raised:
            backend.complete([user("hi")], SCHEMA)
    assert raised.value.attempts == 3
    usage = backend.usage.to_dict()
    assert usage["requests"] == 3 and usage["retries"] == 2 and usage["failures"] == 1


@pytest.mark.parametrize("flag, value", [("--llm-timeout", "nan"), ("--llm-timeout", "inf"),
                                         ("--llm-timeout", "-1"), ("--llm-temperature", "nan")])
def test_non_finite_llm_settings_are_usage_errors(tmp_path: Any, flag: str, value: str) -> None:
    done = run_cli("run", str(tmp_path), "--out", str(tmp_path / "o"), "--llm", "openai", flag, value)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr


def test_a_server_that_keeps_failing_is_asked_no_more(capsys: pytest.CaptureFixture[str]) -> None:
    with fake_server(lambda _body: (500, {"error": "down"}, 0.0)) as server:
        backend = OpenAIBackend(base_url=server.base_url, model="m", max_retries=1, sleep=lambda s: None)
        for _ in range(20):
            with pytest.raises(LLMError):
                backend.complete([user("hi")], SCHEMA)
    usage = backend.usage.to_dict()
    assert usage["requests"] == 3 * 2 and usage["failures"] == 20
    assert capsys.readouterr().err.count("asking it no more") == 1


@contextmanager
def trickling_server(interval: float) -> Iterator[str]:
    """A loopback server that answers every request with headers, then one body byte per ``interval``."""
    stop = threading.Event()

    class Trickle(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000000")
            self.end_headers()
            try:
                while not stop.wait(interval):
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:
                pass  # the client hung up: what the test wants

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def test_a_server_that_trickles_bytes_is_cut_at_the_whole_request_timeout() -> None:
    # one byte every 0.2 s never leaves a 1 s gap, so only a bound on the whole request can end it
    with trickling_server(0.2) as base_url:
        backend = OpenAIBackend(base_url=base_url, model="m", timeout=1.0, max_retries=1,
                                sleep=lambda s: None)
        started = time.monotonic()
        with pytest.raises(LLMError) as raised:
            backend.complete([user("hi")], SCHEMA)
        elapsed = time.monotonic() - started
    assert raised.value.kind == "timeout" and raised.value.attempts == 2
    assert elapsed < 2 * 1.0 + 1.5, f"two 1 s attempts took {elapsed:.1f}s"


def test_the_agents_chat_model_has_the_same_whole_request_timeout() -> None:
    with trickling_server(0.2) as base_url:
        model = OpenAIBackend(base_url=base_url, model="m", timeout=1.0, max_retries=0).chat_model()
        started = time.monotonic()
        with pytest.raises(Exception, match=r"(?i)time"):
            model.invoke("hi")
        elapsed = time.monotonic() - started
    assert elapsed < 1.0 + 1.5, f"a 1 s request took {elapsed:.1f}s"
