"""Map a log message to the source log statement that printed it.

Templates are indexed by one *anchor*: the constant word (whole, not glued to a slot, no digit)
that the fewest templates share. A message is tried only against the templates whose anchor is one
of its words, plus the few with words but no usable anchor; constant-only templates are a dict
lookup. What matched is cached by the message's *shape* (each digit masked, each ``0x`` hex number
reduced to ``0x#``): the next message of that shape only re-runs the templates that matched before,
and a shape nothing matched costs one byte translation and a dict lookup.

When several statements match, the winner is chosen by, in order: the class named by the line
(location or logger field) against the statement's enclosing type, whether the statement's type is
a superclass of the line's class (``ancestors``), the method named by the line
(``%M``, java.util.logging's source method) against the statement's method, the level, the
printed values against the slots' declared classes (``arguments``: a ``SearchContext ...`` value is
no ``BindOperationContext``), the copy of a duplicated class the log's other lines point to
(``copies``), specificity (more constant characters), nearness of the source line, then nearness
to the statements of the thread's last few lines (one operation's statements are written close
together). The others are ``rivals``. Superclass and method matter where the class cannot tell: a
logger named by ``getClass()`` prints the runtime subclass (Spring's
``DataSourceTransactionManager`` for a statement of ``AbstractPlatformTransactionManager``).

Everything up to the source line is evidence about the line itself; the thread's last lines and
the order of ids are only a guess. A line the evidence cannot settle keeps its likeliest
statement but is ``ambiguous``: the rivals nothing ruled out are listed there, and such lines are
counted apart from exact ones.

When no template with words matches and the line names its class, ``approximate.DriftMatcher``
looks for the statement of that class with the closest words (another code version); failing that,
a template without words (``{}``: ``LOG.info(msg)``) of that class and level may claim the line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from anomalygen.records import Level, LogStatement
from anomalygen.tools.logs.approximate import DriftMatcher
from anomalygen.tools.logs.arguments import argument_score
from anomalygen.tools.logs.copies import Copies
from anomalygen.tools.logs.hints import (
    class_score,
    inherited_score,
    method_score,
    outer_class,
    outer_class_of_hint,
)
from anomalygen.tools.logs.template import WORD, CompiledTemplate, compile_template

_DIGITS = re.compile(r"\d+")
_MASK = bytes.maketrans(b"0123456789", b"##########")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_CACHE_LIMIT = 200_000
_SCORE_NAMES = ("class", "superclass", "method", "level", "argument", "module", "specificity", "line",
                "previous")
_EVIDENCE = _SCORE_NAMES.index("previous")
"""Criteria before this one are evidence about the line; "previous" and "order" only guess."""


class Match(NamedTuple):
    statement: LogStatement
    params: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()
    """Ids of the other statements that matched and that no evidence about the line ruled out:
    the winner is a guess among them (``resolved_by`` previous or order). Empty when decided."""
    resolved_by: str | None = None
    """Which criterion separated the winner from the runner-up: class, superclass, method, level,
    argument, module, specificity, line, previous, order."""
    loose: bool = False
    """Matched only once slot types were ignored (a declared type did not fit the printed value)."""
    approximate: bool = False
    """No template matched; the statement of the line's class with the closest words was taken
    (logs from another version of the code, see ``approximate``). No parameters."""
    rivals: tuple[str, ...] = ()
    """Ids of every other statement whose template matched too, ruled out or not."""


_Evidence = tuple[str | None, str | None, int | None, str | None, Sequence[LogStatement]]
"""What the line says besides its message, for choosing among statements that match it: level,
class hint, source line, method, the thread's last statements. A plain tuple, not a NamedTuple:
it is built for every line off the single-template fast path."""


_Line = tuple[str, str | None, str | None, int | None, str | None]
"""(message, level, class hint, source line, method): a log line as ``Matcher.match`` reads it."""


class _Plan(NamedTuple):
    hits: tuple[CompiledTemplate, ...]
    recheck: tuple[CompiledTemplate, ...]
    loose: bool
    single: bool
    """Exactly one template and nothing to re-check: the fast path."""


def _agrees(statement: LogStatement, hint: str, level: str | None) -> bool:
    wanted = _level(level)
    return class_score(hint, statement.type_name) > 0 and (wanted is None or wanted == statement.level)


def _level(text: str | None) -> Level | None:
    if not text:
        return None
    try:
        return Level.parse(text)
    except ValueError:
        return None


class Matcher:
    """Compiled templates of a set of log statements, indexed for fast lookup."""

    __slots__ = ("_ancestors", "_by_constant", "_drift", "_fallbacks", "_index", "_plans", "_unanchored",
                 "_weak", "_weak_ids", "copies", "templates")

    def __init__(self, statements: Iterable[LogStatement], approximate: bool = True,
                 ancestors: Mapping[str, frozenset[str]] | None = None) -> None:
        """``ancestors`` (``hints.ancestor_classes``): the repository's superclasses of each class,
        so a line of a subclass prefers a statement its superclass declares."""
        self.templates: list[CompiledTemplate] = [compile_template(s) for s in statements]
        self.copies = Copies(t.statement for t in self.templates)
        """Duplicated classes (the same class in two source trees) and the copy the log prefers."""
        self._ancestors: Mapping[str, frozenset[str]] = ancestors or {}
        self._drift = DriftMatcher(self.templates) if approximate else None
        self._by_constant: dict[str, list[CompiledTemplate]] = {}
        self._index: dict[str, list[CompiledTemplate]] = {}
        self._unanchored: list[CompiledTemplate] = []
        self._weak: dict[str, list[CompiledTemplate]] = {}
        """Templates without a whole constant word ("{}", "{} = {}"), by outermost class."""
        self._weak_ids: set[str] = set()
        self._plans: dict[bytes, _Plan] = {}
        self._fallbacks: dict[tuple[bytes, str, int | None, str | None, str | None], Match | None] = {}
        # anchors hold no digit, so two messages equal up to their digits share their candidates
        anchors = {id(t): [w for w in t.anchors if not _DIGITS.search(w)] for t in self.templates}
        frequency = Counter(word for words in anchors.values() for word in words)
        for template in self.templates:
            usable = anchors[id(template)]
            if template.slots == 0:
                self._by_constant.setdefault(template.constant.strip(), []).append(template)
            elif not template.informative:
                self._weak_ids.add(template.statement.id)
                self._weak.setdefault(outer_class(template.statement.type_name), []).append(template)
            elif usable:
                anchor = min(usable, key=lambda w: (frequency[w], -len(w)))
                self._index.setdefault(anchor, []).append(template)
            else:
                self._unanchored.append(template)

    def __len__(self) -> int:
        return len(self.templates)

    def learn_copies(self, lines: Iterable[_Line]) -> None:
        """Decide which copy of each duplicated class to prefer from a whole log read beforehand:
        ``lines`` are (message, level, class hint, source line, method). A line counts for the
        source tree of its statement when it maps undisputed (not ``ambiguous``, and not an
        approximate guess within a duplicated class); see ``copies``."""
        copies = self.copies
        copies.preferred.clear()
        copies.evidence.clear()
        self._fallbacks.clear()
        for message, level, hint, source_line, method in lines:
            found = self.match(message, level, hint, source_line, method)
            if found is not None and not found.ambiguous and not (
                    found.approximate and copies.duplicated(found.statement)):
                copies.witness(found.statement)
        copies.decide()
        self._fallbacks.clear()  # approximate/weak outcomes cached before the choice

    def candidates(self, message: str) -> tuple[CompiledTemplate, ...]:
        """Templates with a whole constant word that could match ``message`` (its anchor is in it)."""
        index = self._index
        seen: dict[int, CompiledTemplate] = {}
        for word in dict.fromkeys(WORD.findall(message)):
            for template in index.get(word, ()):
                seen[id(template)] = template
        return (*seen.values(), *self._unanchored)

    def _plan(self, message: str, shape: bytes) -> _Plan:
        """Which templates match ``message`` (typed first, else loose), cached for its shape.

        Messages of one shape differ only in the values of their digits, which slots absorb; a
        template with digits in its constant text can tell them apart, so when it is a candidate
        that failed it is kept to be re-checked on every message of the shape.
        """
        hits = list(self._by_constant.get(message.strip(), ()))
        candidates = self.candidates(message)
        matched = [t for t in candidates if t.regex.fullmatch(message)]
        loose = False
        if not hits and not matched:
            matched = [t for t in candidates if t.loose.fullmatch(message)]
            loose = bool(matched)
        hits += matched
        recheck = tuple(t for t in candidates if t not in hits and _DIGITS.search(t.constant))
        plan = _Plan(tuple(hits), recheck, loose, len(hits) == 1 and not recheck)
        if len(self._plans) >= _CACHE_LIMIT:
            self._plans.clear()
        self._plans[shape] = plan
        return plan

    def match(self, message: str, level: str | None = None, hint: str | None = None,
              source_line: int | None = None, method: str | None = None,
              previous: Sequence[LogStatement] = ()) -> Match | None:
        """The statement that printed ``message``, or None. ``hint`` is the line's class or logger,
        ``method`` the method its location field names, ``previous`` the statements of the last
        few lines of the same thread (a tie goes to the statement written nearest to one of them).

        Order of evidence: a template with words matches; else, when the line names its class,
        the closest statement of that class by words (``approximate``); else a template without
        words ("{}") of that class and level.
        """
        if "0x" in message:
            shape = _HEX.sub("0x#", message).encode("utf-8", "surrogatepass").translate(_MASK)
        else:
            shape = message.encode("utf-8", "surrogatepass").translate(_MASK)
        plan = self._plans.get(shape)
        if plan is not None and plan.single:  # the common case, inlined: one template, no re-checks
            template = plan.hits[0]
            found = (template.loose if plan.loose else template.regex).fullmatch(message)
            if found is not None:
                return Match(template.statement, found.groups(""), (), None, plan.loose)
        evidence = (level, hint, source_line, method, previous)
        match = self._exact(message, shape, evidence)
        if match is not None or not hint:
            return match
        key = (shape, hint, source_line, level, method)
        if key in self._fallbacks:  # the approximate/weak outcome depends on words, not on values
            return self._fallbacks[key]
        result = None
        if self._drift is not None:
            statement = self._drift.match(message, hint, source_line)
            if statement is not None:
                result = Match(statement, (), (), None, False, True)
        if result is None:
            result = self._weak_match(message, hint, evidence)
            if result is not None and result.params:
                return result  # parameters differ from line to line: not cached
        if len(self._fallbacks) >= _CACHE_LIMIT:
            self._fallbacks.clear()
        self._fallbacks[key] = result
        return result

    def _exact(self, message: str, shape: bytes, evidence: _Evidence) -> Match | None:
        plan = self._plans.get(shape)
        if plan is None:
            plan = self._plan(message, shape)
        templates, recheck, loose, _ = plan
        if len(templates) == 1 and not recheck:  # the common case, kept lean
            template = templates[0]
            found = (template.loose if loose else template.regex).fullmatch(message)
            if found is not None:
                return Match(template.statement, found.groups(""), (), None, loose)
            return self._uncached(message, shape, evidence)
        if not templates and not recheck:
            return None
        hits: list[tuple[CompiledTemplate, tuple[str, ...]]] = []
        for template in templates:
            found = (template.loose if loose else template.regex).fullmatch(message)
            if found is None:  # a digit-shape collision: plan this message afresh
                return self._uncached(message, shape, evidence)
            hits.append((template, found.groups("")))
        for template in recheck:
            found = template.regex.fullmatch(message)
            if found is not None:
                hits.append((template, found.groups("")))
        return self._choose(hits, evidence, loose)

    def _uncached(self, message: str, shape: bytes, evidence: _Evidence) -> Match | None:
        templates, _, loose, _ = self._plan(message, shape)
        hits = []
        for template in templates:
            found = (template.loose if loose else template.regex).fullmatch(message)
            if found is not None:
                hits.append((template, found.groups("")))
        return self._choose(hits, evidence, loose)

    def _weak_match(self, message: str, hint: str, evidence: _Evidence) -> Match | None:
        """A template without words, of the line's class and level: ``LOG.info(msg)`` prints "{}"."""
        hits = []
        for template in self._weak.get(outer_class_of_hint(hint), ()):
            if _agrees(template.statement, hint, evidence[0]):
                found = template.regex.fullmatch(message) or template.loose.fullmatch(message)
                if found is not None:
                    hits.append((template, found.groups("")))
        return self._choose(hits, evidence, False)

    def _choose(self, hits: list[tuple[CompiledTemplate, tuple[str, ...]]], evidence: _Evidence,
                loose: bool) -> Match | None:
        if not hits:
            return None
        if len(hits) == 1:
            return Match(hits[0][0].statement, hits[0][1], (), None, loose)
        return self._resolve(hits, evidence, loose)

    def _resolve(self, hits: list[tuple[CompiledTemplate, tuple[str, ...]]], evidence: _Evidence,
                 loose: bool) -> Match | None:
        level, hint, source_line, method, previous = evidence
        wanted = _level(level)
        copies = self.copies

        def score(hit: tuple[CompiledTemplate, tuple[str, ...]]) -> tuple[int, ...]:
            template, params = hit
            statement = template.statement
            by_class = class_score(hint, statement.type_name)
            distance = abs(statement.line - source_line) if source_line is not None and by_class else 10**9
            apart = min((abs(statement.line - p.line) for p in previous if p.file == statement.file),
                        default=10**9)
            return (by_class, inherited_score(hint, statement.type_name, self._ancestors),
                    method_score(method, statement.method),
                    int(wanted is not None and statement.level == wanted),
                    argument_score(statement.slots, params), copies.score(statement), len(template.constant),
                    -distance, -apart)

        scored = sorted(((score(hit), hit) for hit in hits), key=lambda s: (s[0], s[1][0].statement.id),
                        reverse=True)
        best, (winner, params) = scored[0]
        runner_up = scored[1][0]
        resolved_by = next((name for name, a, b in zip(_SCORE_NAMES, best, runner_up, strict=True) if a != b),
                           "order")
        rivals = tuple(hit[0].statement.id for _, hit in scored[1:])
        guessed = resolved_by == "order" or _SCORE_NAMES.index(resolved_by) >= _EVIDENCE
        undecided = tuple(hit[0].statement.id for other, hit in scored[1:]
                          if other[:_EVIDENCE] == best[:_EVIDENCE]) if guessed else ()
        return Match(winner.statement, params, undecided, resolved_by, loose, False, rivals)


def build_matcher(statements: Iterable[LogStatement], approximate: bool = True,
                  ancestors: Mapping[str, frozenset[str]] | None = None) -> Matcher:
    """A matcher over ``statements``; ``approximate=False`` turns off matching across code versions."""
    return Matcher(statements, approximate, ancestors)
