from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.cli import main


def test_scan_json_counts(loggers_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(loggers_repo), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("files", "methods", "log_statements", "parse_errors", "unresolved_calls", "seconds",
                "types", "calls", "external_calls", "by_level", "skipped"):
        assert key in data
    assert data["files"] == 10 and data["log_statements"] == 37
    assert data["by_level"]["FATAL"] == 1 and data["parse_errors"] == 1
    assert data["unresolved_calls"] == 2 and "statements" not in data


def test_scan_lists_statements(loggers_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(loggers_repo), "--json", "--list"]) == 0
    rows = json.loads(capsys.readouterr().out)["statements"]
    assert len(rows) == 37
    row = next(r for r in rows if r["template"] == "Receiving block {} src: {}")
    assert row["file"].endswith("Worker.java") and row["line"] == 41 and row["level"] == "INFO"
    assert main(["scan", str(loggers_repo), "--list"]) == 0
    out = capsys.readouterr().out
    assert "Receiving block {} src: {}" in out and "Worker.java:41" in out


def test_scan_bad_inputs_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path / "nope")]) == 2
    assert "does not exist" in " ".join(capsys.readouterr().err.split())  # Rich wraps lines
    assert main(["scan", str(tmp_path)]) == 2
    assert "no .java files" in " ".join(capsys.readouterr().err.split())
    assert main(["scan", str(tmp_path), "--max-file-bytes", "0"]) == 2


def test_scan_without_log_statements_succeeds_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "A.java").write_text("class A { }\n")
    assert main(["scan", str(tmp_path), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["log_statements"] == 0
    assert "no log statements" in captured.err


def test_scan_shows_ten_warnings_and_counts_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = 'package p; class A { void f(org.slf4j.Logger log) { log.info("x"); } }\n'
    for i in range(13):  # the same type in 13 folders: 12 "declared twice" warnings
        folder = tmp_path / f"m{i}" / "p"
        folder.mkdir(parents=True)
        (folder / "A.java").write_text(source)
    assert main(["scan", str(tmp_path), "--json"]) == 0
    captured = capsys.readouterr()
    assert len(json.loads(captured.out)["warnings"]) == 12
    err = " ".join(captured.err.split())
    assert err.count("warning:") == 11 and "2 more warnings" in err
