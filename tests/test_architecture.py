"""The dependency direction of DESIGN.md, checked: core <- tools <- graphs <- agent <- tui."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROOMS_BELOW_TUI = ("anomalygen", "tools", "graphs", "agent", "detectors")
CORE_FORBIDDEN = ("anomalygen.tools", "anomalygen.graphs", "anomalygen.agent", "anomalygen.detectors",
                  "anomalygen.tui")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_nothing_imports_the_tui() -> None:
    offenders = [
        str(f.relative_to(REPO))
        for room in ROOMS_BELOW_TUI
        for f in (REPO / room).rglob("*.py")
        if any(n == "anomalygen.tui" or n.startswith("anomalygen.tui.") for n in _imports(f))
    ]
    assert offenders == []


def test_core_never_imports_a_room() -> None:
    offenders = [
        str(f.relative_to(REPO))
        for f in (REPO / "anomalygen").rglob("*.py")
        if any(n.startswith(CORE_FORBIDDEN) for n in _imports(f))
    ]
    assert offenders == []


def test_detectors_depend_only_on_the_core() -> None:
    banned = ("anomalygen.tools", "anomalygen.graphs", "anomalygen.agent", "anomalygen.tui")
    offenders = [
        str(f.relative_to(REPO))
        for f in (REPO / "detectors").rglob("*.py")
        if any(n.startswith(banned) for n in _imports(f))
    ]
    assert offenders == []
