"""Units of real sessions: kept paths as the real logs can see them, and the runs that explain a session.

A real session is the work of several threads and processes on one identifier, each running some
path of the source: a block's session is an ``allocateBlock`` on the NameNode, three
``writeBlock`` receives and three packet responders on DataNodes, three ``addStoredBlock``... A
*unit* is a kept path projected on the events real sessions can show (``project``: a statement's
vocabulary key, or None for statements the deployment does not print), with the statements behind
each event so a synthetic line still traces to the statement that prints it. The *cover* of a
real session explains it by runs of units: at each unexplained event, the longest unit starting
with it whose events all occur, in order, among the unexplained ones. Events no unit explains
become one-event runs of a unit that prints them (``partial``), so every real event is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from anomalygen.records import Path

MAX_COVER_EVENTS = 400
"""Events per real session that the cover looks at (longer sessions are cut, not dropped)."""


@dataclass(frozen=True, slots=True)
class Unit:
    entry: str
    """The entry point (a thread's or a request's starting method) whose path this is."""
    tokens: tuple[str, ...]
    """What real sessions can show of the path, in order."""
    statements: tuple[str, ...]
    """The statement behind each token."""
    path: str
    """Id of the kept path."""
    partial: bool = False
    """A single event of a longer path (a real event no whole unit explains)."""
    local: int = 0
    """How many of its statements the entry point's own method holds (a method's own path explains
    its lines better than a thread that reaches it through three calls)."""


@dataclass(frozen=True, slots=True)
class Run:
    """One unit's events inside one real session."""

    unit: Unit
    positions: tuple[int, ...]
    """Indexes of the unit's events in the session."""


class UnitCatalog:
    """The units of the kept paths, by entry point and by first event."""

    def __init__(self, paths: Iterable[Path], project: Callable[[str], str | None],
                 owner: Callable[[str], str] | None = None) -> None:
        """``owner``: the method a statement is in. Several entry points reach the same events (a
        thread's ``run()`` and the method it calls); one token sequence gets one unit, that of the
        entry point holding most of its statements itself, so real sessions are explained by the
        same units every time and their counts can be compared."""
        chosen: dict[tuple[str, ...], tuple[tuple[int, int, str], Unit]] = {}
        singles: dict[str, Unit] = {}
        for path in sorted(paths, key=lambda p: p.id):
            pairs = [(token, sid) for sid in path.statements if (token := project(sid)) is not None]
            if not pairs:
                continue
            tokens = tuple(t for t, _ in pairs)
            statements = tuple(s for _, s in pairs)
            local = sum(1 for s in statements if owner is not None and owner(s) == path.entry)
            rank = (-local, len(path.methods), path.id)
            if tokens not in chosen or rank < chosen[tokens][0]:
                chosen[tokens] = (rank, Unit(path.entry, tokens, statements, path.id, local=local))
        self.units = [unit for _, unit in chosen.values()]
        for unit in sorted(self.units, key=lambda u: (len(u.tokens), u.path)):
            for token, sid in zip(unit.tokens, unit.statements, strict=True):
                singles.setdefault(token, Unit(unit.entry, (token,), (sid,), unit.path, partial=True))
        self.singles = singles
        """token -> a one-event unit printing it (first path by id)."""
        self.by_entry: dict[str, list[Unit]] = {}
        for unit in self.units:
            self.by_entry.setdefault(unit.entry, []).append(unit)
        self.restrict(None)

    def restrict(self, seen: Collection[str] | None) -> None:
        """Cover real sessions with units cut down to the events they can show (``seen``: the events
        real sessions print; None: all). A real run of ``writeBlock`` printed ``Receiving block``
        alone because the line its path prints next is one the deployment never shows."""
        cut: dict[tuple[str, ...], Unit] = {}
        for unit in sorted(self.units, key=lambda u: (-u.local, len(u.tokens), u.entry, u.path)):
            pairs = [(t, s) for t, s in zip(unit.tokens, unit.statements, strict=True)
                     if seen is None or t in seen]
            if pairs:
                tokens = tuple(t for t, _ in pairs)
                cut.setdefault(tokens, Unit(unit.entry, tokens, tuple(s for _, s in pairs), unit.path,
                                            local=unit.local))
        by_first: dict[str, list[Unit]] = {}
        for unit in cut.values():
            by_first.setdefault(unit.tokens[0], []).append(unit)
        # Longest first: a whole responder (received, terminating) beats its one-line prefix.
        self.by_first = {t: sorted(us, key=lambda u: (-len(u.tokens), u.entry, u.path))
                         for t, us in by_first.items()}
        self._cache: dict[tuple[str, ...], tuple[Run, ...]] = {}

    @property
    def tokens(self) -> set[str]:
        return set(self.singles)

    def cover(self, sequence: Sequence[str]) -> tuple[Run, ...]:
        """Runs explaining ``sequence`` (tokens), ordered by their first event."""
        key = tuple(sequence[:MAX_COVER_EVENTS])
        if key not in self._cache:
            self._cache[key] = self._cover(key)
        return self._cache[key]

    def _cover(self, seq: tuple[str, ...]) -> tuple[Run, ...]:
        used = [False] * len(seq)
        runs: list[Run] = []
        for start, token in enumerate(seq):
            if used[start]:
                continue
            for unit in self.by_first.get(token, ()):
                positions = _embed(seq, used, start, unit.tokens)
                if positions is not None:
                    break
            else:
                single = self.singles.get(token)
                if single is None:
                    continue  # an event no kept path prints: nothing can stand for it
                unit, positions = single, [start]
            for i in positions:
                used[i] = True
            runs.append(Run(unit, tuple(positions)))
        return tuple(runs)


def _embed(seq: Sequence[str], used: Sequence[bool], start: int, tokens: Sequence[str]) -> list[int] | None:
    """Positions of ``tokens`` in order among unused events from ``start`` on (None: no fit)."""
    positions = [start]
    at = start
    for token in tokens[1:]:
        at += 1
        while at < len(seq) and (used[at] or seq[at] != token):
            at += 1
        if at >= len(seq):
            return None
        positions.append(at)
    return positions
