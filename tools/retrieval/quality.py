"""Retrieval quality: plain-word questions whose answer is one method or one log statement, and the
rank at which a searcher returns it (top-1, top-5). Shared by the quality test and the benchmark.

A question file is JSON: ``{"questions": [{"q": ..., "method": ["Class.method", ...]} |
{"q": ..., "statement": "template fragment", "file": "Name.java"}]}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class _HitLike(Protocol):
    kind: str
    name: str
    file: str
    statement_id: str | None
    method_id: str | None


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    methods: tuple[str, ...] = ()
    """``Class.method`` names that answer it (inner classes by their simple name)."""
    statement: str | None = None
    """A fragment of the answering log statement's template."""
    file: str | None = None

    def answered_by(self, hit: _HitLike) -> bool:
        """Whether ``hit`` is the answer: the method (or a statement written in it), or the statement."""
        if self.statement is not None:
            return (
                hit.kind == "statement"
                and self.statement in hit.name
                and (self.file is None or hit.file.rsplit("/", 1)[-1] == self.file)
            )
        owner_and_name = _owner_and_name(hit.method_id or "")
        return owner_and_name is not None and owner_and_name in self.methods


_TAIL = re.compile(r"([\w$]+)[.$]([\w$<>]+)$")


def _owner_and_name(method_id: str) -> str | None:
    """``org.x.ClientCnxn.SendThread.sendPing(...)`` -> ``SendThread.sendPing``."""
    found = _TAIL.search(method_id.split("(", 1)[0])
    return f"{found.group(1)}.{found.group(2)}" if found else None


def load_questions(path: Path) -> list[Question]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    questions = []
    for item in raw["questions"]:
        if not isinstance(item.get("q"), str) or not (item.get("method") or item.get("statement")):
            raise ValueError(f"{path}: a question needs 'q' and 'method' or 'statement': {item!r}")
        questions.append(
            Question(item["q"], tuple(item.get("method", ())), item.get("statement"), item.get("file"))
        )
    return questions


@dataclass(frozen=True, slots=True)
class Graded:
    question: Question
    rank: int | None
    """1-based rank of the first right hit within the top ``k``, None when absent."""
    top: tuple[str, ...]
    """What came back, for the report of a miss."""


def grade(search: Callable[[str, int], Sequence[Any]], questions: list[Question], k: int = 5) -> list[Graded]:
    graded = []
    for question in questions:
        hits = list(search(question.text, k))[:k]
        rank = next((i + 1 for i, hit in enumerate(hits) if question.answered_by(hit)), None)
        graded.append(Graded(question, rank, tuple(f"{h.kind} {h.name}" for h in hits)))
    return graded


def share_within(graded: list[Graded], k: int) -> float:
    """The share of questions whose answer is ranked ``k`` or better."""
    return sum(1 for g in graded if g.rank is not None and g.rank <= k) / len(graded) if graded else 0.0
