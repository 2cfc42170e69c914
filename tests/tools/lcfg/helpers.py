"""Small helpers shared by the LCFG tests: readable paths (templates instead of ids)."""

from __future__ import annotations

from anomalygen.records import Path
from anomalygen.tools.java.model import Program
from anomalygen.tools.lcfg import PathEnumerator


def method_id(program: Program, prefix: str) -> str:
    found = [m for m in program.methods if m.startswith(prefix)]
    return prefix if prefix in found else found[0] if len(found) == 1 else ",".join(found)


def run_paths(program: Program, entry_prefix: str, **options: int) -> tuple[list[Path], PathEnumerator]:
    enumerator = PathEnumerator(program, [method_id(program, entry_prefix)], **options)
    return enumerator.run(), enumerator


def templates(program: Program, paths: list[Path]) -> list[tuple[str, ...]]:
    return [tuple(program.log_statements[s].template for s in p.statements) for p in paths]


def template_set(program: Program, entry_prefix: str, **options: int) -> set[tuple[str, ...]]:
    paths, _ = run_paths(program, entry_prefix, **options)
    return set(templates(program, paths))
