"""The same class in two source trees: the copy the log's own lines point to is preferred.

The fixture (``tests/fixtures/generality/copies``) holds ``org.acme.core.Service`` in a server
module and in its OSGi copy, ``Launcher`` only in the server module and ``Activator`` only in the
OSGi one. The scan meets the OSGi copy first, so the server's is ``Service#2``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.cli import main
from anomalygen.records import Level, LogStatement
from anomalygen.tools.java import Program, load_program
from anomalygen.tools.logs import match_file
from anomalygen.tools.logs.copies import Copies, copy_free, source_tree

REPO = Path(__file__).parents[2] / "fixtures" / "generality" / "copies"
Capture = pytest.CaptureFixture[str]


@pytest.fixture(scope="module")
def program() -> Program:
    return load_program(REPO)


def _files(program: Program, log: str) -> list[tuple[str, bool]]:
    return [(line.statement.file.split("/", 1)[0], bool(line.ambiguous))
            for line in match_file(program, REPO / "logs" / log) if line.statement is not None]


def test_lines_of_a_class_only_the_server_has_make_its_copy_the_one_that_ran(program: Program) -> None:
    assert _files(program, "server.log") == [("server", False)] * 4


def test_the_choice_follows_the_evidence_not_the_scan_order(program: Program) -> None:
    assert _files(program, "bundle.log") == [("osgi", False), ("osgi", False)]


def test_without_evidence_a_copy_is_a_guess_and_says_so(program: Program) -> None:
    [(_, ambiguous)] = _files(program, "service-only.log")
    assert ambiguous


def test_the_report_names_the_copy_chosen_and_why(capsys: Capture) -> None:
    assert main(["coverage", str(REPO), str(REPO / "logs" / "server.log"), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    [row] = summary["duplicate_classes"]
    assert row["class"] == "org.acme.core.Service" and row["chosen"] == "server/src/main/java"
    assert row["evidence"] == {"osgi/src/main/java": 0, "server/src/main/java": 2}
    assert summary["lines_exact"] == 4 and summary["lines_ambiguous"] == 0
    assert main(["match", str(REPO), str(REPO / "logs" / "server.log")]) == 0
    assert "chose server/src/main/java" in capsys.readouterr().err


def test_source_trees_come_from_the_file_and_the_package() -> None:
    def statement(file: str, type_name: str) -> LogStatement:
        return LogStatement(file + type_name, file, 1, Level.INFO, "x", (), type_name)

    assert source_tree(statement("a/src/main/java/org/x/Foo.java", "org.x.Foo#2.Inner")) == "a/src/main/java"
    assert source_tree(statement("Foo.java", "Foo")) == ""
    assert source_tree(statement("odd/place/Foo.java", "org.x.Foo")) == "odd/place"  # not under its package
    assert copy_free("org.x.Foo#2.Inner#3") == "org.x.Foo.Inner"
    unique = Copies([statement("a/org/x/Foo.java", "org.x.Foo"), statement("a/org/x/Bar.java", "org.x.Bar")])
    assert not unique  # nothing duplicated: match_file reads the log once
