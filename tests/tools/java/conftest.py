"""Fixtures for the Java front end: the hand-written ``loggers`` repository, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.records import LogStatement
from anomalygen.tools.java import Program, load_program

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "java_frontend"


@pytest.fixture(scope="session")
def loggers_repo() -> Path:
    return FIXTURES / "loggers"


@pytest.fixture(scope="session")
def loggers(loggers_repo: Path) -> Program:
    return load_program(loggers_repo)


def statement_at(program: Program, file_suffix: str, line: int) -> LogStatement:
    """The log statement on ``line`` of the one file whose path ends with ``file_suffix``."""
    found = [s for s in program.log_statements.values() if s.file.endswith(file_suffix) and s.line == line]
    assert len(found) == 1, f"expected one statement at {file_suffix}:{line}, found {found}"
    return found[0]


def write_java(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
