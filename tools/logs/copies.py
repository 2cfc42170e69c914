"""Which copy of a duplicated class ran: the same class in two source trees of one repository.

An OSGi copy of a service module, two versions of a storage module: the scan keeps both copies
(``symbols.add_type`` names the second ``org.a.Foo#2``) and a line of ``Foo`` matches the
statement of each. The log itself says which tree the running system was built from: its lines
that map, undisputed, to statements of one source tree (a class only that tree has, or a copy
whose text only that tree prints) are evidence for that tree. For each duplicated class the tree
with the most evidence is preferred; with none, or a tie, nothing is preferred and such lines stay
``ambiguous``.

A statement's *source tree* is the folder its package starts in (``osgi/src/main/java`` for
``osgi/src/main/java/org/a/Foo.java`` of package ``org.a``), read from its file and type name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from anomalygen.records import LogStatement

_COPY = re.compile(r"#\d+")


def copy_free(type_name: str) -> str:
    """``org.a.Foo#2.Inner`` -> ``org.a.Foo.Inner``: the name Java gives every copy."""
    return _COPY.sub("", type_name) if "#" in type_name else type_name


def source_tree(statement: LogStatement) -> str:
    """The folder of ``statement.file`` where its package's folders start ("" at the root)."""
    folder = statement.file.replace("\\", "/").rpartition("/")[0]
    segments = copy_free(statement.type_name).split(".")
    first_class = next((i for i, s in enumerate(segments) if s[:1].isupper()), len(segments) - 1)
    tail = "/".join(segments[:first_class])
    if tail and (folder == tail or folder.endswith("/" + tail)):
        return folder[: len(folder) - len(tail)].rstrip("/")
    return folder


class Copies:
    """Duplicated classes of a statement set, the evidence of a log, and the tree preferred."""

    __slots__ = ("_tree", "_trees_seen", "evidence", "preferred", "trees")

    def __init__(self, statements: Iterable[LogStatement]) -> None:
        self._tree: dict[str, str] = {}
        """Statement id -> its source tree (statements of duplicated classes only)."""
        holders: dict[str, set[str]] = {}
        classes: dict[str, str] = {}
        for statement in statements:
            if not statement.type_name:
                continue
            name = copy_free(statement.type_name)
            tree = source_tree(statement)
            classes[statement.id] = name
            holders.setdefault(name, set()).add(tree)
            self._tree[statement.id] = tree
        self.trees: dict[str, tuple[str, ...]] = {
            name: tuple(sorted(trees)) for name, trees in holders.items() if len(trees) > 1}
        """Copy-free class name -> the source trees holding a copy, for classes held by several."""
        self._tree = {sid: tree for sid, tree in self._tree.items() if classes[sid] in self.trees}
        self.evidence: Counter[str] = Counter()
        """Source tree -> lines that mapped undisputed to one of its statements."""
        self.preferred: dict[str, str] = {}
        """Copy-free class name -> the tree whose copy is preferred."""
        self._trees_seen: dict[str, str] = {}
        """Statement id -> source tree, for the statements ``witness`` has counted."""

    def __bool__(self) -> bool:
        return bool(self.trees)

    def duplicated(self, statement: LogStatement) -> bool:
        """Whether ``statement`` belongs to a class that another source tree holds too."""
        return statement.id in self._tree

    def score(self, statement: LogStatement) -> int:
        """0 for a copy the log's evidence argues against, else 1 (the preferred copy, a class
        with one copy, or a duplicated class nothing has decided)."""
        tree = self._tree.get(statement.id)
        if tree is None:
            return 1
        chosen = self.preferred.get(copy_free(statement.type_name))
        return int(chosen is None or chosen == tree)

    def witness(self, statement: LogStatement) -> None:
        """Count a line that mapped undisputed to ``statement`` for the statement's source tree."""
        tree = self._trees_seen.get(statement.id)
        if tree is None:
            tree = self._trees_seen[statement.id] = source_tree(statement)
        self.evidence[tree] += 1

    def decide(self) -> None:
        """Prefer, for each duplicated class, the tree with strictly the most evidence."""
        self.preferred.clear()
        for name, trees in self.trees.items():
            ranked = sorted(trees, key=lambda t: -self.evidence[t])
            if self.evidence[ranked[0]] > (self.evidence[ranked[1]] if len(ranked) > 1 else 0):
                self.preferred[name] = ranked[0]

    def describe(self) -> list[dict[str, Any]]:
        """Per duplicated class: its copies, the one chosen (None: undecided) and why."""
        rows = []
        for name, trees in sorted(self.trees.items()):
            chosen = self.preferred.get(name)
            counts = {tree: self.evidence[tree] for tree in trees}
            if chosen is None:
                why = "no line of the log maps to one tree more than to the others: lines stay ambiguous"
            else:
                others = "".join(f"; {n} to {t}" for t, n in counts.items() if t != chosen)
                why = (f"{counts[chosen]} line(s) map undisputed to statements of {chosen} (classes or texts "
                       f"the other copies lack){others}")
            rows.append({"class": name, "copies": list(trees), "chosen": chosen, "evidence": counts,
                         "why": why})
        return rows
