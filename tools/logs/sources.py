"""Where the statements to match against come from: a Java repository or a loghub templates CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from anomalygen.records import LogStatement

if TYPE_CHECKING:
    from anomalygen.tools.java import Program, SourceScope


class SourceError(ValueError):
    """A repository that cannot be scanned (not a directory, no Java files)."""


def statements_from_repo(repo: str | Path) -> dict[str, LogStatement]:
    """Scan ``repo`` with tools/java and return its log statements by id."""
    return dict(program_from_repo(repo).log_statements)


def program_from_repo(repo: str | Path, scope: SourceScope | None = None) -> Program:
    """Scan ``repo`` (the part ``scope`` keeps) with tools/java: its statements and its types
    (superclasses help matching)."""
    root = Path(repo)
    if not root.is_dir():
        raise SourceError(f"{root} is not a directory (give the repository root, or use --templates CSV "
                          "to match without source)")
    # heavy (tree-sitter): imported only when a repository is scanned
    from anomalygen.tools.java import NoJavaSourceError, SourceRootError, load_program

    try:
        program = load_program(root, scope=scope)
    except (SourceRootError, NoJavaSourceError) as exc:
        raise SourceError(str(exc)) from exc
    if not program.log_statements:
        raise SourceError(f"no log statements found in {root} ({len(program.files)} Java files scanned)")
    return program


def statements_from_templates(path: str | Path) -> dict[str, LogStatement]:
    from anomalygen.tools.logs.templates_csv import load_templates

    return {s.id: s for s in load_templates(path)}
