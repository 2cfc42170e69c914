"""Packages, classes and log statements of the repository, with a live filter."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Tree

from anomalygen.records import LogStatement

MAX_SHOWN = 400
"""Statements shown at most: a tree of 2,000 nodes is slow to build and useless to scroll."""


def _package(type_name: str) -> tuple[str, str]:
    parts = type_name.split(".")
    for i, part in enumerate(parts):
        if part[:1].isupper():
            return ".".join(parts[:i]) or "(default)", ".".join(parts[i:])
    return ".".join(parts[:-1]) or "(default)", parts[-1] if parts else "?"


class SourceTree(Vertical):
    DEFAULT_CSS = """
    SourceTree { width: 34; min-width: 24; border-right: solid $primary-background; }
    SourceTree Input { height: 3; }
    """

    def __init__(self, statements: Iterable[LogStatement], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.statements = sorted(statements, key=lambda s: (s.type_name, s.line))

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter statements…", id="filter")
        tree: Tree[LogStatement | str] = Tree("source", id="tree")
        tree.show_root = False
        yield tree

    def on_mount(self) -> None:
        self.fill("")

    def fill(self, needle: str) -> int:
        """Show the statements whose template, class or level contains ``needle``; returns how many."""
        tree = self.query_one("#tree", Tree)
        tree.clear()
        needle = needle.lower().strip()
        grouped: dict[str, dict[str, list[LogStatement]]] = defaultdict(lambda: defaultdict(list))
        shown = 0
        for statement in self.statements:
            text = f"{statement.level.value} {statement.template} {statement.type_name}".lower()
            if needle and needle not in text:
                continue
            package, cls = _package(statement.type_name)
            grouped[package][cls].append(statement)
            shown += 1
            if shown >= MAX_SHOWN:
                break
        for package, classes in grouped.items():
            branch = tree.root.add(package, data=package, expand=bool(needle))
            for cls, items in classes.items():
                leaf = branch.add(f"{cls} ({len(items)})", data=cls, expand=bool(needle))
                for st in items:
                    leaf.add_leaf(f"{st.level.value[0]} {st.template[:60]}", data=st)
        return shown

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)
