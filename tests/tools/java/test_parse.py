from __future__ import annotations

import os
from pathlib import Path

import pytest

from anomalygen.tools.java import Program, load_program
from anomalygen.tools.java.parse import parse_source

from .conftest import statement_at


def test_syntax_error_keeps_good_methods_and_reports_the_span(loggers: Program) -> None:
    errors = [e for e in loggers.parse_errors if e.file.endswith("Broken.java")]
    assert len(errors) == 1 and errors[0].start_line == 14
    assert statement_at(loggers, "Broken.java", 10).template == "still here"
    assert statement_at(loggers, "Broken.java", 19).template == "after the error"
    broken_methods = {m.name for m in loggers.methods.values() if m.file.endswith("Broken.java")}
    assert broken_methods == {"good", "alsoGood"}  # bad() overlaps the error and is dropped
    assert not any(s.template.startswith("lost") for s in loggers.log_statements.values())


def test_missing_token_is_reported() -> None:
    parsed = parse_source("A.java", b"class A { void m() { int x = 1 } }\n")
    assert parsed.errors and "missing" in parsed.errors[0].message


def test_non_utf8_bytes_are_replaced_and_reported(tmp_path: Path) -> None:
    source = (
        b"package p;\nimport org.slf4j.Logger;\nclass A {\n"
        b"  private static Logger LOG;\n"
        b"  void m(int n) { LOG.info(\"caf\xe9 open {}\", n); }\n}\n"
    )
    (tmp_path / "A.java").write_bytes(source)
    program = load_program(tmp_path)
    assert any("UTF-8" in e.message and e.start_line == 5 for e in program.parse_errors)
    (statement,) = program.log_statements.values()
    assert statement.template == "caf\ufffd open {}"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "Good.java").write_text("class Good { }\n")
    bad = tmp_path / "Bad.java"
    bad.write_text("class Bad { }\n")
    bad.chmod(0)
    try:
        program = load_program(tmp_path)
    finally:
        bad.chmod(0o644)
    assert "Good.java" in program.files
    assert any(e.file == "Bad.java" and "cannot read" in e.message for e in program.parse_errors)


def test_garbage_and_absurdly_deep_expressions_do_not_crash(tmp_path: Path) -> None:
    terms = " + ".join(f'"a{i} " + x' for i in range(3000))
    parens = "(" * 400 + "x" + ")" * 400
    (tmp_path / "D.java").write_text(
        "package p;\nimport org.slf4j.Logger;\n"
        f"class D {{ static Logger LOG; void m(int x) {{ LOG.info({terms}); foo({parens}); }}"
        " void foo(int z) { } }\n"
    )
    (tmp_path / "G.java").write_bytes(bytes(range(256)) * 20)
    program = load_program(tmp_path)
    (statement,) = program.log_statements.values()
    assert statement.template.startswith("a0 {}a1 {}") and len(statement.slots) == 3000
    assert [c.targets for c in program.calls.values()] == [("p.D.foo(int)",)]
    assert {e.file for e in program.parse_errors} == {"G.java"}
