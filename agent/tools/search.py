"""Code search for the agent: the retrieval room's index when it is there, else a lexical scan.

The retrieval room (tools/retrieval, ``CodeIndex``) ranks methods, classes and log statements by
meaning and by words. Until it is installed, ``LexicalSearch`` answers the same calls from the
parsed program: camelCase-split words of identifiers and templates, scored by how many query words
they contain, so ``search_code`` works either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from anomalygen.agent.workspace import Workspace

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


class LexicalSearch:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def search(self, query: str, k: int = 10, kind: str | None = None) -> list[Hit]:
        program = self.workspace.program()
        wanted = words(query)
        if not wanted:
            return []
        hits: list[Hit] = []
        if kind in (None, "statement"):
            for st in program.log_statements.values():
                have = words(st.template) | words(st.method.split("(")[0])
                score = len(wanted & have) / len(wanted)
                if score > 0:
                    hits.append(
                        Hit(
                            "statement",
                            st.id,
                            st.template,
                            st.file,
                            st.line,
                            score,
                            f"{st.level.value} {st.template}",
                            st.id,
                            st.method,
                        )
                    )
        if kind in (None, "method"):
            for method in program.methods.values():
                if method.is_lambda:
                    continue
                have = words(method.type_name.rsplit(".", 1)[-1]) | words(method.name)
                score = len(wanted & have) / len(wanted) + 0.01  # a named method beats a log mention
                if score > 0.01:
                    hits.append(
                        Hit(
                            "method",
                            method.id,
                            method.name,
                            method.file,
                            method.start_line,
                            score,
                            method.signature,
                            None,
                            method.id,
                        )
                    )
        hits.sort(key=lambda h: (-h.score, h.file, h.line))
        return hits[:k]


def searcher(workspace: Workspace) -> Searcher:
    """The retrieval index when the retrieval room provides one, else the lexical scan."""
    cached = workspace.memory.get("searcher")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    found: Searcher = LexicalSearch(workspace)
    try:
        from anomalygen.tools.retrieval import CodeIndex  # type: ignore[attr-defined]
    except ImportError:
        pass
    else:
        index = CodeIndex.open(workspace.repo, cache_dir=workspace.output_dir("index", "code"))
        found = index
    workspace.memory["searcher"] = found
    return found
