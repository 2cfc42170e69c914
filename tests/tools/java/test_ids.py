from __future__ import annotations

import re
import shutil
from pathlib import Path

from anomalygen.tools.java import Program, load_program

from .conftest import statement_at, write_java


def test_ids_are_readable_and_unique(loggers: Program) -> None:
    for statement_id, statement in loggers.log_statements.items():
        assert statement.id == statement_id
        assert re.fullmatch(r"[A-Za-z0-9_.$]+-[0-9a-f]{8}", statement_id)
    assert statement_at(loggers, "Worker.java", 41).id.startswith("Worker.receive-")
    first, second = statement_at(loggers, "Worker.java", 56), statement_at(loggers, "Worker.java", 57)
    assert first.template == second.template and first.id != second.id


def test_ids_survive_edits_elsewhere_and_rescans(
    loggers_repo: Path, loggers: Program, tmp_path: Path
) -> None:
    copy = tmp_path / "repo"
    shutil.copytree(loggers_repo, copy)
    worker = copy / "src/main/java/com/acme/core/Worker.java"
    text = worker.read_text()
    # Insert a method (with its own log statement) above every other one, and add a file.
    text = text.replace("    private final int id;", "    private final int id;\n\n"
                        "    void added() {\n        LOG.info(\"added\");\n    }\n", 1)
    worker.write_text(text)
    write_java(copy, "src/main/java/com/acme/core/Zzz.java", "package com.acme.core;\nclass Zzz { }\n")
    edited = load_program(copy)
    before = {(s.file, s.template, s.method): s.id for s in loggers.log_statements.values()}
    after = {(s.file, s.template, s.method): s.id for s in edited.log_statements.values()}
    for key, statement_id in before.items():
        if key[2].endswith("$lambda@61:23"):
            continue  # the lambda moved down 5 lines: its method id names its position
        assert after[key] == statement_id, key
    lambda_ids = {s.id for s in edited.log_statements.values() if "$lambda@" in s.method}
    assert {s.id for s in loggers.log_statements.values() if "$lambda@" in s.method} == lambda_ids
    assert len(edited.log_statements) == len(loggers.log_statements) + 1
