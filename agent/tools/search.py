"""Code search for the agent: the retrieval room's index when it is there, else a lexical scan.

The retrieval room (tools/retrieval, ``CodeIndex``) ranks methods, classes and log statements by
meaning and by words. Until it is installed, ``LexicalSearch`` answers the same calls from the
parsed program: camelCase-split words of identifiers and templates, scored by how many query words
they contain, so ``search_code`` works either way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any, Protocol

from anomalygen.agent.workspace import Workspace
from anomalygen.tools.lcfg.analysis import is_test_file

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def words(text: str) -> set[str]:
    """Lower-case words, identifiers split at camelCase and underscores (``blockReport`` -> block, report)."""
    return {w.lower() for w in _WORD.findall(text) if len(w) > 1}


@dataclass(frozen=True, slots=True)
class Hit:
    """The retrieval contract's hit shape."""

    kind: str
    id: str
    name: str
    file: str
    line: int
    score: float
    snippet: str
    statement_id: str | None = None
    method_id: str | None = None
    how: str = "lexical"


class Searcher(Protocol):
    def search(self, query: str, k: int = 10, kind: str | None = None) -> list[Any]: ...


STOPWORDS = frozenset((
    "a", "an", "and", "are", "at", "be", "by", "do", "does", "for", "from", "give", "how", "i", "in", "is",
    "it", "me", "my", "of", "on", "or", "the", "to", "up", "what", "when", "where", "which", "who", "why",
    "with",
))
TEST_WEIGHT = 0.8
"""Code under test folders ranks below the system's own (a running system does not execute it)."""


class LexicalSearch:
    """Documents (statements, methods) scored by the idf-weighted share of the query's words they hold."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._program: object = None
        self._docs: list[tuple[Hit, set[str]]] = []
        self._idf: dict[str, float] = {}

    def _index(self) -> None:
        program = self.workspace.program()
        if program is self._program:
            return
        docs: list[tuple[Hit, set[str]]] = []
        for st in program.log_statements.values():
            have = words(st.template) | words(st.method.split("(")[0].rsplit(".", 2)[-1])
            docs.append(
                (
                    Hit(
                        "statement",
                        st.id,
                        st.template,
                        st.file,
                        st.line,
                        0.0,
                        f"{st.level.value} {st.template}",
                        st.id,
                        st.method,
                    ),
                    have,
                )
            )
        for method in program.methods.values():
            if not method.is_lambda:
                have = words(method.type_name.rsplit(".", 1)[-1]) | words(method.name)
                docs.append(
                    (
                        Hit(
                            "method",
                            method.id,
                            method.name,
                            method.file,
                            method.start_line,
                            0.0,
                            method.signature,
                            None,
                            method.id,
                        ),
                        have,
                    )
                )
        counts: dict[str, int] = {}
        for _, have in docs:
            for word in have:
                counts[word] = counts.get(word, 0) + 1
        self._idf = {w: math.log((1 + len(docs)) / (1 + n)) + 1 for w, n in counts.items()}
        self._docs, self._program = docs, program

    def search(self, query: str, k: int = 10, kind: str | None = None) -> list[Hit]:
        self._index()
        wanted = {w for w in words(query) if w not in STOPWORDS} or words(query)
        weights = {w: self._idf.get(w, 0.0) for w in wanted}
        total = sum(weights.values())
        if not total:
            return []
        scored: list[Hit] = []
        for hit, have in self._docs:
            if kind is not None and hit.kind != kind:
                continue
            score = sum(weights[w] for w in wanted & have) / total
            if is_test_file(hit.file):
                score *= TEST_WEIGHT
            if score > 0:
                scored.append(replace(hit, score=round(score, 4)))
        scored.sort(key=lambda h: (-h.score, h.kind != "method", h.file, h.line))
        return scored[:k]


_LAYOUT_START = re.compile(r"^\s*(\d|\[)")
"""A pasted runtime line usually starts with its timestamp (or a bracketed field)."""


def search_or_match(workspace: Workspace, query: str, k: int = 10, kind: str | None = None) -> list[Any]:
    """``query`` searched; when it is a runtime log line a template matches, the statement that
    printed it comes first (the matcher is exact; retrieval ranks the rest, and every line no
    template matches, by its message without the timestamp and logger)."""
    from anomalygen.agent.tools.logs import identify_line

    line = query.strip()
    if kind not in (None, "statement") or not line or "\n" in line:
        return list(searcher(workspace).search(query, k=k, kind=kind))
    statement, _, message = identify_line(workspace, line, layout=bool(_LAYOUT_START.match(line)))
    hits = list(searcher(workspace).search(message, k=k, kind=kind))
    if statement is None:
        return hits
    first = Hit("statement", statement.id, statement.template, statement.file, statement.line, 1.0,
                f"{statement.level.value} {statement.template}", statement.id, statement.method, "log line")
    return [first, *[h for h in hits if h.id != statement.id][: k - 1]]


def searcher(workspace: Workspace) -> Searcher:
    """The retrieval index when the retrieval room provides one, else the lexical scan."""
    cached = workspace.memory.get("searcher")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found: Searcher = LexicalSearch(workspace)
    try:
        from anomalygen.tools.retrieval import CodeIndex
    except ImportError:
        pass
    else:
        index = CodeIndex.open(
            workspace.repo,
            cache_dir=workspace.output_dir("index", "code"),
            program=workspace.program,
            # the first search of a big repository indexes it for a minute: say so, do not look hung
            notify=lambda message: workspace.emit("status", {"message": message}),
        )
        found = index
    workspace.memory["searcher"] = found
    return found
