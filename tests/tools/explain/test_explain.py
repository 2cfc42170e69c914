"""explain_lines on a small service: transitions, the nearest path and where it parts from the log."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.explain import Explanation, explain_lines, select_session, session_ids
from anomalygen.tools.explain.flow import EXIT, flow_graph
from anomalygen.tools.explain.render import explanation_text
from anomalygen.tools.java import Program, load_program
from anomalygen.tools.logs import match_file

from .minirepo import BROKEN, NORMAL, write_log, write_repo


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    return load_program(write_repo(tmp_path_factory.mktemp("repo")))


def _statement(program: Program, template: str) -> str:
    return next(s.id for s in program.log_statements.values() if s.template == template)


def _explain(program: Program, tmp_path: Path, rows: list[tuple[int, str, int, str]]) -> Explanation:
    lines = list(match_file(program, write_log(tmp_path / "app.log", rows)))
    assert all(line.statement is not None for line in lines)
    return explain_lines(program, lines)


def test_a_valid_session_follows_a_path_exactly(program: Program, tmp_path: Path) -> None:
    explanation = _explain(program, tmp_path, NORMAL)
    assert explanation.min_level == "INFO" and explanation.grouped_by == "thread"
    [group] = explanation.groups
    assert [t.status for t in group.transitions] == ["direct"] * 4
    assert explanation.impossible == []
    assert group.distance == 0 and group.parting is None
    assert group.path is not None and group.path["entry"].startswith("demo.Worker.run(")
    # the DEBUG statement between "Handling" and "done" is on the path but silent at INFO
    debug = _statement(program, "Job {} payload checked")
    assert debug in group.path["statements"]
    assert "the session follows this path exactly" in explanation_text(explanation, program.log_statements)


def test_a_transition_no_path_allows_is_reported_with_what_the_source_prints_instead(
        program: Program, tmp_path: Path) -> None:
    explanation = _explain(program, tmp_path, BROKEN)
    [bad] = explanation.impossible
    assert bad.before == _statement(program, "Worker starting with {} retries")
    assert bad.after == _statement(program, "Job {} done")
    allowed = {a.statement: a.conditions for a in bad.allowed}
    handling = _statement(program, "Handling job {}")
    assert handling in allowed and "!(job == null)" in allowed[handling]
    assert "!(job.size > 100)" in allowed[handling]
    [group] = explanation.groups
    assert group.distance == 1  # one statement the path prints and the log lacks
    parting = group.parting
    assert parting is not None and parting.path_next == handling
    assert parting.session_next == bad.after and not parting.session_next_possible
    assert "!(job.size > 100)" in parting.taken
    text = explanation_text(explanation, program.log_statements)
    assert "no source path allows (callees inlined 3 calls deep): 1" in text and "Handling job {}" in text


def test_a_loop_prints_the_same_statement_again(program: Program) -> None:
    graph = flow_graph(program, next(m for m in program.methods if m.startswith("demo.Worker.run(")),
                       silent={_statement(program, "Job {} payload checked")})
    empty = _statement(program, "Queue empty, waiting")
    assert empty in graph.followers(empty)
    assert EXIT in graph.followers(_statement(program, "Worker stopped"))


def test_threads_are_explained_apart(program: Program, tmp_path: Path) -> None:
    log = tmp_path / "two.log"
    rows = [*NORMAL[:2], *NORMAL[2:]]
    text = "\n".join(
        line for pair in zip(write_log(tmp_path / "a.log", rows, "w-1").read_text().splitlines(),
                             write_log(tmp_path / "b.log", rows, "w-2").read_text().splitlines(),
                             strict=True) for line in pair)
    log.write_text(text + "\n")
    explanation = explain_lines(program, list(match_file(program, log)))
    assert sorted(g.key for g in explanation.groups) == ["w-1", "w-2"]
    assert explanation.impossible == []  # interleaving two threads is not a transition


def test_select_session_takes_whole_tokens_only(program: Program, tmp_path: Path) -> None:
    rows = [(1, "INFO", 31, "Handling job 0x1f"), (2, "INFO", 31, "Handling job 0x1f0"),
            (3, "INFO", 33, "Job 0x1f done")]
    lines = list(match_file(program, write_log(tmp_path / "ids.log", rows)))
    assert [line.entry.line_no for line in select_session(lines, "0x1f")] == [1, 3]
    assert dict(session_ids(lines))["0x1f"] == 2
    with pytest.raises(ValueError):
        select_session(lines, "  ")
