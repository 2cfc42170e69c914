"""Entry discovery and --entry resolution."""

from __future__ import annotations

from anomalygen.tools.lcfg import discover_entries, ranked_entries, resolve_entry

from .minijava import load_fixture


def test_ranking_by_kind() -> None:
    program = load_fixture("Service.java")
    ranked = ranked_entries(program)
    kinds = {mid: kind for mid, kind, _ in ranked}
    assert ranked[0][0] == "Worker.run()" and kinds["Worker.run()"] == 0
    assert kinds["FastHandler.handle(int)"] == 2  # a handler of a class implementing an interface
    assert kinds["Retry.caller()"] == 3  # nobody calls it
    assert "Worker.step(int)" not in kinds  # called by run
    assert "Retry.fetch()" not in kinds
    assert discover_entries(program, limit=2) == [mid for mid, _, _ in ranked[:2]]


def test_lambda_without_caller_is_an_entry() -> None:
    program = load_fixture("Flows.java")
    assert any("$lambda" in m for m in discover_entries(program))


def test_resolve_entry_forms() -> None:
    program = load_fixture("Service.java")
    assert resolve_entry(program, "Worker.run") == ["Worker.run()"]
    assert resolve_entry(program, "Worker.run()") == ["Worker.run()"]
    assert resolve_entry(program, "handle") == ["FastHandler.handle(int)", "Handler.handle(int)",
                                                "SlowHandler.handle(int)"]
    assert resolve_entry(program, "Nope.run") == []
