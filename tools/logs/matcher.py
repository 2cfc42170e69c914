"""Map a log message to the source log statement that printed it.

Templates are indexed by one *anchor*: the constant word (whole, not glued to a slot) that the
fewest templates share. A message is tried only against the templates whose anchor is one of its
words, plus the few templates that have no whole constant word; constant-only templates are a dict
lookup. The candidate list is cached by the message's shape (its digits masked).

When several statements match, the winner is chosen by, in order: the class named by the line
(location or logger field) against the statement's enclosing type, the level, specificity (more
constant characters), then nearness of the source line; the losers are reported as ``ambiguous``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from anomalygen.tools.logs.hints import class_score
from anomalygen.tools.logs.template import WORD, CompiledTemplate, compile_template

from anomalygen.records import Level, LogStatement

_DIGITS = re.compile(r"\d+")
_CACHE_LIMIT = 200_000
_SCORE_NAMES = ("class", "level", "specificity", "line")


@dataclass(frozen=True, slots=True)
class Match:
    statement: LogStatement
    params: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()
    """Ids of the other statements whose template matched too."""
    resolved_by: str | None = None
    """Which criterion separated the winner from the runner-up: class, level, specificity, line, order."""
    loose: bool = False
    """Matched only once slot types were ignored (a declared type did not fit the printed value)."""


def _level(text: str | None) -> Level | None:
    if not text:
        return None
    try:
        return Level.parse(text)
    except ValueError:
        return None


class Matcher:
    """Compiled templates of a set of log statements, indexed for fast lookup."""

    __slots__ = ("_by_constant", "_cache", "_index", "_unanchored", "templates")

    def __init__(self, statements: Iterable[LogStatement]) -> None:
        self.templates: list[CompiledTemplate] = [compile_template(s) for s in statements]
        self._by_constant: dict[str, list[CompiledTemplate]] = {}
        self._index: dict[str, list[CompiledTemplate]] = {}
        self._unanchored: list[CompiledTemplate] = []
        self._cache: dict[str, tuple[CompiledTemplate, ...]] = {}
        # anchors hold no digit, so two messages equal up to their digits share their candidates
        anchors = {id(t): [w for w in t.anchors if not _DIGITS.search(w)] for t in self.templates}
        frequency = Counter(word for words in anchors.values() for word in words)
        for template in self.templates:
            usable = anchors[id(template)]
            if template.slots == 0:
                self._by_constant.setdefault(template.constant.strip(), []).append(template)
            elif usable:
                anchor = min(usable, key=lambda w: (frequency[w], -len(w)))
                self._index.setdefault(anchor, []).append(template)
            else:
                self._unanchored.append(template)

    def __len__(self) -> int:
        return len(self.templates)

    def candidates(self, message: str) -> tuple[CompiledTemplate, ...]:
        """Templates with a slot that could match ``message`` (its anchor word is in the message)."""
        shape = _DIGITS.sub("0", message)
        found = self._cache.get(shape)
        if found is None:
            index = self._index
            seen: dict[int, CompiledTemplate] = {}
            for word in dict.fromkeys(WORD.findall(message)):
                for template in index.get(word, ()):
                    seen[id(template)] = template
            found = (*seen.values(), *self._unanchored)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[shape] = found
        return found

    def match(self, message: str, *, level: str | None = None, hint: str | None = None,
              source_line: int | None = None) -> Match | None:
        """The statement that printed ``message``, or None. ``hint`` is the line's class or logger."""
        hits: list[tuple[CompiledTemplate, tuple[str, ...]]] = [
            (t, ()) for t in self._by_constant.get(message.strip(), ())
        ]
        candidates = self.candidates(message)
        for template in candidates:
            found = template.regex.fullmatch(message)
            if found is not None:
                hits.append((template, found.groups()))
        loose = False
        if not hits:
            for template in candidates:
                found = template.loose.fullmatch(message)
                if found is not None:
                    hits.append((template, found.groups()))
            loose = bool(hits)
        if not hits:
            return None
        # a template of slots only ("{}") says nothing about a line from a different class
        if (len(hits) == 1 and not hits[0][0].constant.strip() and hint
                and class_score(hint, hits[0][0].statement.type_name) == 0):
            return None
        if len(hits) == 1:
            return Match(hits[0][0].statement, hits[0][1], loose=loose)
        return self._resolve(hits, _level(level), hint, source_line, loose)

    def _resolve(self, hits: list[tuple[CompiledTemplate, tuple[str, ...]]], level: Level | None,
                 hint: str | None, source_line: int | None, loose: bool) -> Match | None:
        def score(template: CompiledTemplate) -> tuple[int, int, int, int]:
            statement = template.statement
            by_class = class_score(hint, statement.type_name)
            distance = abs(statement.line - source_line) if source_line is not None and by_class else 10**9
            return (by_class, int(level is not None and statement.level == level),
                    len(template.constant), -distance)

        ranked = sorted(hits, key=lambda hit: (score(hit[0]), hit[0].statement.id), reverse=True)
        best, runner_up = score(ranked[0][0]), score(ranked[1][0])
        if not ranked[0][0].constant.strip() and hint and best[0] == 0:
            return None
        resolved_by = next((name for name, a, b in zip(_SCORE_NAMES, best, runner_up, strict=True) if a != b),
                           "order")
        winner, params = ranked[0]
        others = tuple(h[0].statement.id for h in ranked[1:])
        return Match(winner.statement, params, others, resolved_by, loose)


def build_matcher(statements: Iterable[LogStatement]) -> Matcher:
    return Matcher(statements)
