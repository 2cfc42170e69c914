"""One template in six methods, told apart by the printed argument or reported ambiguous.

The fixture (``tests/fixtures/generality/contexts``) logs ``"Operation Context: {}"`` in the search,
bind, lookup, add, delete and rename methods of one interceptor; its log prints through log4j 1's
default layout, which names the logger but not the method.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.java import Program, load_program
from anomalygen.tools.logs import match_file
from anomalygen.tools.logs.coverage import CoverageCounter, summarise
from anomalygen.tools.logs.match import MatchedLine

REPO = Path(__file__).parents[2] / "fixtures" / "generality" / "contexts"


def _method(statement_id: str, program: Program) -> str:
    return program.log_statements[statement_id].method.split("(")[0].rsplit(".", 1)[1]


@pytest.fixture(scope="module")
def program() -> Program:
    return load_program(REPO)


@pytest.fixture(scope="module")
def lines(program: Program) -> list[MatchedLine]:
    return list(match_file(program, REPO / "logs" / "server.log"))


def test_the_printed_context_names_the_method(program: Program, lines: list[MatchedLine]) -> None:
    decided = {line.entry.line_no: line for line in lines if not line.ambiguous}
    assert {n: _method(line.event_id, program) for n, line in decided.items()} == {
        1: "bind", 2: "search", 3: "lookup", 4: "lookup", 5: "add", 8: "bind"}
    assert all(line.resolved_by == "argument" for line in decided.values())


def test_what_the_value_cannot_decide_is_ambiguous_among_what_it_does_not_rule_out(
        program: Program, lines: list[MatchedLine]) -> None:
    # "cn=old (delete)": delete's and rename's contexts print a value first, so neither is ruled
    # out; the other four print a known start that this value lacks
    deleted = lines[5]
    assert {_method(deleted.event_id, program), *(_method(a, program) for a in deleted.ambiguous)} == {
        "delete", "rename"}
    assert len(lines[6].ambiguous) == 5  # "null": any of the six


def test_ambiguous_lines_are_counted_apart_from_exact_ones(program: Program,
                                                           lines: list[MatchedLine]) -> None:
    counter = CoverageCounter()
    for line in lines:
        counter.add(line)
    summary = summarise(counter, program.log_statements)
    assert (summary["lines_matched"], summary["lines_exact"], summary["lines_ambiguous"]) == (8, 6, 2)
    assert lines[0].to_dict()["resolved_by"] == "argument" and "ambiguous" not in lines[0].to_dict()
    assert lines[5].to_dict()["ambiguous"] == list(lines[5].ambiguous)
