"""Approximate matching for logs printed by another version of the code than the one scanned.

A statement's text drifts between releases ("Send worker leaving thread" became "Send worker leaving
thread id {} my id = {}"). When no template matches a line exactly and the line names its class
(a location or logger field), the statements of that class (or of its outermost class) are compared
by their constant words: the line's digit-free words must mostly be found in the template, and either
the template's words must be partly found in the line or all of the line in the template. The best
(class, word overlap, line nearness) wins. Such matches are flagged ``approximate`` and carry no
parameters; they are never used when the line names no class, because word overlap across a whole
code base is too weak evidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from anomalygen.records import LogStatement
from anomalygen.tools.logs.hints import class_score, outer_class, outer_class_of_hint
from anomalygen.tools.logs.template import CompiledTemplate

MESSAGE_COVERAGE = 0.8
"""Share of the line's words that must appear in the template."""
TEMPLATE_COVERAGE = 0.3
"""Share of the template's words that must appear in the line."""
MIN_SHARED_WORDS = 2
_CACHE_LIMIT = 100_000


_PLAIN_WORD = re.compile(r"(?<!\w)[^\W\d]+(?!\w)")
"""A whole word without digits (``blk_12``, ``0x1f`` and ``3200`` are values, not words)."""


def plain_words(text: str) -> list[str]:
    """Lower-cased words without digits: what survives a change of parameter values."""
    return _PLAIN_WORD.findall(text.lower())


def words(text: str) -> Counter[str]:
    return Counter(plain_words(text))


@dataclass(frozen=True, slots=True)
class _Candidate:
    statement: LogStatement
    words: Counter[str]
    size: int


class DriftMatcher:
    """Statements grouped by outermost class, compared by constant words."""

    __slots__ = ("_by_outer", "_cache")

    def __init__(self, templates: Iterable[CompiledTemplate]) -> None:
        self._by_outer: dict[str, list[_Candidate]] = {}
        self._cache: dict[tuple[str, str, int | None], LogStatement | None] = {}
        for template in templates:
            if not template.statement.type_name:
                continue
            bag = words(template.constant)
            if sum(bag.values()) >= MIN_SHARED_WORDS:
                candidate = _Candidate(template.statement, bag, sum(bag.values()))
                self._by_outer.setdefault(outer_class(template.statement.type_name), []).append(candidate)

    def match(self, message: str, hint: str, source_line: int | None = None) -> LogStatement | None:
        """The closest statement of the class ``hint`` names (cached by the line's words and class)."""
        found_words = plain_words(message)
        found_words.sort()
        key = (" ".join(found_words), hint, source_line)
        if key in self._cache:
            return self._cache[key]
        found = self._best(Counter(found_words), hint, source_line)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = found
        return found

    def _best(self, bag: Counter[str], hint: str, source_line: int | None) -> LogStatement | None:
        size = sum(bag.values())
        if size < MIN_SHARED_WORDS:
            return None
        best: tuple[int, float, int] | None = None
        winner: LogStatement | None = None
        for candidate in self._by_outer.get(outer_class_of_hint(hint), ()):
            shared = sum((bag & candidate.words).values())
            if shared < MIN_SHARED_WORDS or shared < MESSAGE_COVERAGE * size:
                continue
            if shared < TEMPLATE_COVERAGE * candidate.size and shared < size:
                continue  # little of the template is in the line, and not all of the line is in it
            statement = candidate.statement
            distance = abs(statement.line - source_line) if source_line is not None else 0
            score = (class_score(hint, statement.type_name), 2 * shared / (size + candidate.size), -distance)
            if best is None or score > best:
                best, winner = score, statement
        return winner
