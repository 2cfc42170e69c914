"""``anomalygen serve-vllm``: the command line it builds, its errors, and the readiness wait."""

from __future__ import annotations

import argparse
import json
import socket
import time

import pytest

from anomalygen.cli import main
from anomalygen.command import UsageError
from anomalygen.llm.options import add_llm_arguments, backend_from_args
from anomalygen.llm.serve import SERVE_VLLM, wait_until_ready

from .fake_server import fake_server


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    SERVE_VLLM.configure(parser)
    return parser.parse_args(list(argv))


def test_dry_run_prints_the_vllm_command_and_the_pipeline_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve-vllm", "Qwen/Qwen2.5-7B-Instruct", "--port", "8011", "--max-model-len", "8192",
                 "--gpu-memory-utilization", "0.8", "--served-model-name", "qwen", "--dry-run", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    argv = out["command"]
    assert argv[:3] == ["vllm", "serve", "Qwen/Qwen2.5-7B-Instruct"]
    flags = dict(zip(argv[3::2], argv[4::2], strict=True))
    assert flags["--port"] == "8011" and flags["--host"] == "127.0.0.1"
    assert flags["--served-model-name"] == "qwen" and flags["--max-model-len"] == "8192"
    assert flags["--gpu-memory-utilization"] == "0.8"
    assert json.loads(flags["--structured-outputs-config"]) == {"backend": "xgrammar"}
    assert not any("guided" in a for a in argv)
    assert out["llm_flags"] == ["--llm", "openai", "--llm-base-url", "http://127.0.0.1:8011/v1",
                                "--llm-model", "qwen", "--llm-structured-output", "json_schema"]


def test_without_vllm_on_path_it_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(UsageError, match=r"anomalygen\\\[vllm\]"):
        SERVE_VLLM.run(_args("some/model"))


@pytest.mark.parametrize("argv", [["m", "--port", "0"], ["m", "--gpu-memory-utilization", "1.5"],
                                  ["m", "--max-model-len", "0"]])
def test_bad_settings_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(UsageError):
        SERVE_VLLM.run(_args(*argv, "--dry-run"))


def test_wait_until_ready_sees_a_live_server_and_gives_up_on_a_dead_one() -> None:
    with fake_server() as server:
        assert wait_until_ready(server.base_url, timeout=5, poll=0.05)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    start = time.monotonic()
    assert not wait_until_ready(f"http://127.0.0.1:{port}/v1", timeout=0.3, poll=0.05)
    assert not wait_until_ready(f"http://127.0.0.1:{port}/v1", timeout=30, alive=lambda: False)
    assert time.monotonic() - start < 5


def test_llm_flags_build_the_named_backend(tmp_path) -> None:
    parser = argparse.ArgumentParser()
    add_llm_arguments(parser)
    assert backend_from_args(parser.parse_args([])).available is False
    backend = backend_from_args(parser.parse_args(
        ["--llm", "openai", "--llm-base-url", "http://127.0.0.1:9/v1", "--llm-model", "m",
         "--llm-structured-output", "json_object"]), cache_dir=str(tmp_path))
    info = backend.describe()
    assert info["model"] == "m" and info["structured_output"] == "json_object"
    assert info["cache"] == str(tmp_path)
    with pytest.raises(UsageError, match="http"):
        backend_from_args(parser.parse_args(["--llm", "openai", "--llm-base-url", "localhost:8000"]))


FAKE_VLLM = '''#!{python}
"""Stands in for `vllm serve`: records its argv, answers /v1/models, exits after a moment."""
import json, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer

argv = sys.argv[1:]
with open({record!r}, "w") as fh:
    json.dump(argv, fh)

class Models(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        blob = json.dumps({{"data": [{{"id": argv[argv.index("--served-model-name") + 1]}}]}}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(blob)))
        self.end_headers()
        self.wfile.write(blob)

server = HTTPServer(("127.0.0.1", int(argv[argv.index("--port") + 1])), Models)
threading.Timer(1.5, server.shutdown).start()
server.serve_forever()
'''


def test_launches_vllm_waits_for_it_and_prints_the_settings(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os
    import sys

    record = tmp_path / "argv.json"
    script = tmp_path / "bin" / "vllm"
    script.parent.mkdir()
    script.write_text(FAKE_VLLM.format(python=sys.executable, record=str(record)), encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code = SERVE_VLLM.run(_args("org/model", "--port", str(port), "--wait", "20", "--json"))
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "serving" and out["base_url"] == f"http://127.0.0.1:{port}/v1"
    assert json.loads(record.read_text(encoding="utf-8"))[:2] == ["serve", "org/model"]
