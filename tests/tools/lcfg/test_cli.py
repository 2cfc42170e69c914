"""The lcfg/paths commands end to end, on a small realistic app read by the real Java front end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.cli import main
from anomalygen.tools.java import load_program
from anomalygen.tools.lcfg import build_lcfg, discover_entries, enumerate_paths

from .minijava import FIXTURES

APP = FIXTURES / "realapp"


def test_real_front_end_paths() -> None:
    program = load_program(APP)
    entries = discover_entries(program)
    assert entries[0] == "demo.App.run()"
    templates = {tuple(program.log_statements[s].template for s in p.statements)
                 for p in enumerate_paths(program, ["demo.App.run()"])}
    assert ("app starting with {} retries", "giving up after {} attempts") in templates
    assert ("app starting with {} retries", "connected on attempt {}") in templates
    assert ("app starting with {} retries", "attempt {} failed", "giving up after {} attempts") in templates
    lcfg = build_lcfg(program, "demo.App.connect(int)")
    assert [n.kind for n in lcfg.nodes].count("log") == 1


def test_paths_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["paths", str(APP), "--entry", "demo.App.run", "--json", "--limit", "20"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data and all({"id", "entry", "statements", "conditions", "feasibility", "templates"} <= set(p)
                        for p in data)
    assert all(p["entry"] == "demo.App.run()" for p in data)
    assert all(len(p["templates"]) == len(p["statements"]) for p in data)


@pytest.mark.parametrize("fmt", ["text", "dot", "json"])
def test_lcfg_formats(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lcfg", str(APP), "--method", "App.run", "--format", fmt, "--depth", "1"]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        graphs = json.loads(out)
        assert {g["method"] for g in graphs} == {"demo.App.run()", "demo.App.connect(int)"}
        templates = {n["template"] for g in graphs for n in g["nodes"] if n["kind"] == "log"}
        assert "app starting with {} retries" in templates
    elif fmt == "dot":
        assert out.startswith("digraph") and "->" in out
    else:
        assert "app starting with {} retries" in out and "call demo.App.connect" in out


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["paths", str(tmp_path / "missing")]) == 2
    assert main(["lcfg", str(APP), "--method", "App.nothing"]) == 2
    assert main(["paths", str(APP), "--entry", "Nope.run"]) == 2
    assert main(["paths", str(APP), "--limit", "-1"]) == 2
    assert "error" in capsys.readouterr().err
