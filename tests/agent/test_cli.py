"""``anomalygen ask``: JSON output, exit statuses, slash commands without a model, saved conversations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.cli import main

from ..tools.explain.minirepo import NORMAL, write_log, write_repo
from .helpers import write_script


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    return write_repo(tmp_path / "repo"), write_log(tmp_path / "app.log", NORMAL), tmp_path / "out"


def _ask(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["ask", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_ask_json_answers_with_tool_calls_usage_and_conversation(
    setup: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, log, out = setup
    status, stdout, _ = _ask(
        capsys,
        str(repo),
        "which log statements do my logs never show?",
        "--logs",
        str(log),
        "--out",
        str(out),
        "--llm",
        "mock",
        "--json",
    )
    assert status == 0
    data = json.loads(stdout)
    assert set(data) >= {"answer", "tool_calls", "usage", "conversation"}
    assert (
        data["tool_calls"][0]["name"] == "coverage" and "the logs show" in data["tool_calls"][0]["result"]
    )
    assert "Job {} too large" in data["answer"]
    assert data["usage"]["turn"]["total_tokens"] > 0
    status, stdout, _ = _ask(capsys, str(repo), "x", "--out", str(out), "--llm", "mock", "--list", "--json")
    assert status == 0 and [c["id"] for c in json.loads(stdout)] == [data["conversation"]]
    status, stdout, _ = _ask(
        capsys,
        str(repo),
        "and the paths of Worker.run?",
        "--out",
        str(out),
        "--llm",
        "mock",
        "--resume",
        "last",
        "--json",
    )
    again = json.loads(stdout)
    assert status == 0 and again["conversation"] == data["conversation"]
    assert again["tool_calls"][0]["name"] == "paths"


def test_ask_with_a_script_and_a_failing_run_exits_1(
    setup: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _log, out = setup
    script = write_script(
        tmp_path / "script.json", [[{"tool": "nope", "args": {}}, {"tool": "nope", "args": {}}]]
    )
    status, stdout, _ = _ask(
        capsys, str(repo), "q", "--out", str(out), "--llm", "mock", "--mock-script", str(script), "--json"
    )
    assert status == 1 and json.loads(stdout)["status"] == "gave-up"


def test_an_unreachable_server_exits_1_with_one_clear_message(
    setup: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _log, out = setup
    status, stdout, _ = _ask(
        capsys,
        str(repo),
        "hello",
        "--out",
        str(out),
        "--llm",
        "openai",
        "--llm-base-url",
        "http://127.0.0.1:9/v1",
        "--llm-timeout",
        "2",
        "--json",
    )
    data = json.loads(stdout)
    assert status == 1 and "unreachable" in data["error"] and "slash commands still work" in data["error"]


def test_slash_commands_work_without_a_model(
    setup: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    repo, log, out = setup
    status, stdout, _ = _ask(
        capsys, str(repo), "/coverage", "--logs", str(log), "--out", str(out), "--llm", "none"
    )
    assert status == 0 and "the logs show 5 of 7 log statements" in stdout
    status, stdout, _ = _ask(capsys, str(repo), "/lcfg Worker.handle", "--out", str(out), "--llm", "none")
    assert status == 0 and "LCFG demo.Worker.handle(Job)" in stdout
    status, stdout, _ = _ask(capsys, str(repo), "/help", "--out", str(out), "--llm", "none")
    assert "/explain" in stdout and "/tokens" in stdout
    status, stdout, _ = _ask(capsys, str(repo), "hello", "--out", str(out), "--llm", "none")
    assert status == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["/no/such/repo", "q"],
        ["{repo}", "q", "--logs", "/no/such.log"],
        ["{repo}", "q", "--resume", "nope"],
        ["{repo}", "  "],
        ["{repo}", "q", "--llm", "none", "--mock-script", "x.json"],
    ],
)
def test_usage_errors_exit_2_with_one_line(
    setup: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    repo, _log, out = setup
    status, _, stderr = _ask(
        capsys, *[a.replace("{repo}", str(repo)) for a in argv], "--out", str(out), "--llm", "mock"
    )
    assert status == 2 and stderr.strip().startswith("error:")
