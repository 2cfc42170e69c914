"""The structure of real sessions: which entry points' paths make up one session, and how often each.

A real session (one block's life, one ZooKeeper session) is the work of several entry points on
one identifier, and some of them run several times: a block write is one client path plus three
datanode receive paths, each ended by the namenode's ``addStoredBlock``. Count invariants that
detectors learn (``#Receiving == #Received == 3 x #allocateBlock``) hold only when synthetic
sessions keep that multiplicity. This module explains each real session by kept paths (a greedy
*path cover*: at each unexplained line, the longest kept path starting with its statement whose
statements all occur, in order, among the still unexplained lines), and keeps per real session
its *shape*: the entry points with how many of their paths it holds, in first-appearance order.
``SessionStructure`` is also the entry-point ordering mapping the composer already takes, so the
learned shapes travel through the same call.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from anomalygen.records import Path

MAX_COVER_EVENTS = 200
"""Events per real session that the path cover looks at (longer sessions are cut, not dropped)."""

Shape = tuple[tuple[str, int], ...]
"""(entry point, number of its paths) in the order the entry points' work first appears."""


@dataclass(frozen=True, slots=True)
class SessionStructure:
    """Entry-point ordering plus the shapes and path use learned from real sessions."""

    entry_order: dict[tuple[str, str], int] = field(default_factory=dict)
    """(entry a, entry b) -> real sessions in which a's work starts before b's."""
    shapes: tuple[tuple[Shape, int], ...] = ()
    """Distinct shapes with the number of real sessions that have them (most frequent first)."""
    path_use: dict[str, dict[str, int]] = field(default_factory=dict)
    """Entry point -> path id -> times the path cover used it in real sessions."""
    explained: float = 0.0
    """Share of real lines (of known statements) the path cover explained."""
    templates: tuple[tuple[tuple[str, ...], int], ...] = ()
    """Distinct covers of complete real sessions (path ids, first-line order) with their counts:
    whole real sessions at path level, which keep couplings across entry points (a failed datanode
    receive always comes with the writer's retry line) that per-entry shapes lose."""
    partial: frozenset[Shape] = frozenset()
    """Shapes seen only in real sessions with lines no kept path explains (a loop that ran more
    often than paths unroll it: three invalidations where paths stop at two). Kept paths cannot
    reproduce their counts, so they are used only when no complete shape has room."""

    def pick_shape(self, needs: Mapping[str, int], rng: random.Random) -> Shape | None:
        """A real shape with room for ``needs`` (entry -> places the driver fills), drawn by how
        often real sessions have it; None when no real session has room for them."""
        if not needs:
            return None
        fitting = [(shape, n) for shape, n in self.shapes
                   if all(dict(shape).get(entry, 0) >= k for entry, k in needs.items())]
        candidates = [(shape, n) for shape, n in fitting if shape not in self.partial] or fitting
        if not candidates:
            return None
        return rng.choices([s for s, _ in candidates], weights=[n for _, n in candidates])[0]

    def fixed_run_entries(self) -> frozenset[str]:
        """Entry points that every real session holding them runs equally often. Such an entry
        point is never re-run after a failure (a retried datanode receive makes four receives
        where there are usually three; a block is written once, failed or not), so a synthetic
        retry of it would invent a recovery the system never makes. Entry points absent from real
        sessions are not in the set: nothing is known about them."""
        runs: dict[str, set[int]] = {}
        for shape, _ in self.shapes:
            for entry, times in shape:
                runs.setdefault(entry, set()).add(times)
        return frozenset(entry for entry, seen in runs.items() if len(seen) == 1)

    def real_paths(self, paths: Iterable[Path]) -> list[Path]:
        """The kept paths the path cover used to explain real sessions."""
        used = {pid for counts in self.path_use.values() for pid in counts}
        return [p for p in paths if p.id in used]

    def summary(self) -> dict[str, object]:
        return {"shapes": len(self.shapes), "explained": round(self.explained, 4),
                "top": [[list(map(list, s)), n] for s, n in self.shapes[:5]]}


class PathCover:
    """Explains statement sequences by kept paths; cached per distinct sequence (real logs repeat)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        by_first: dict[str, list[Path]] = {}
        for path in paths:
            if path.statements:
                by_first.setdefault(path.statements[0], []).append(path)
        # Longest first: a whole datanode unit beats its two-line prefix; ties by id, so reruns agree.
        self.by_first = {sid: sorted(ps, key=lambda p: (-len(p.statements), p.id))
                         for sid, ps in by_first.items()}
        self._cache: dict[tuple[str, ...], tuple[tuple[Path, ...], int]] = {}

    def cover(self, sequence: Sequence[str]) -> tuple[tuple[Path, ...], int]:
        """(paths in order of their first line, lines explained)."""
        key = tuple(sequence[:MAX_COVER_EVENTS])
        if key not in self._cache:
            self._cache[key] = self._cover(key)
        return self._cache[key]

    def _cover(self, seq: tuple[str, ...]) -> tuple[tuple[Path, ...], int]:
        used = [False] * len(seq)
        found: list[Path] = []
        explained = 0
        for start, sid in enumerate(seq):
            if used[start]:
                continue
            for path in self.by_first.get(sid, ()):
                positions = _embed(seq, used, start, path.statements)
                if positions is not None:
                    for i in positions:
                        used[i] = True
                    found.append(path)
                    explained += len(positions)
                    break
        return tuple(found), explained


def _embed(seq: Sequence[str], used: Sequence[bool], start: int,
           statements: Sequence[str]) -> list[int] | None:
    """Positions of ``statements`` in order among unused lines from ``start`` on (None: no fit)."""
    positions = [start]
    at = start
    for sid in statements[1:]:
        at += 1
        while at < len(seq) and (used[at] or seq[at] != sid):
            at += 1
        if at >= len(seq):
            return None
        positions.append(at)
    return positions


def learn_structure(sequences: Iterable[Sequence[str]], paths: Sequence[Path],
                    entry_order: Mapping[tuple[str, str], int]) -> SessionStructure:
    """Shapes and path use of real sessions (``sequences``: statement ids per session, with repeats)."""
    cover = PathCover(paths)
    shapes: Counter[Shape] = Counter()
    templates: Counter[tuple[str, ...]] = Counter()
    complete: set[Shape] = set()
    use: dict[str, Counter[str]] = {}
    lines = explained = 0
    for sequence in sequences:
        found, n = cover.cover(sequence)
        lines += min(len(sequence), MAX_COVER_EVENTS)
        explained += n
        if not found:
            continue
        counts = Counter(p.entry for p in found)
        shape = tuple((entry, counts[entry]) for entry in dict.fromkeys(p.entry for p in found))
        shapes[shape] += 1
        if n == min(len(sequence), MAX_COVER_EVENTS):
            complete.add(shape)
            templates[tuple(p.id for p in found)] += 1
        for path in found:
            use.setdefault(path.entry, Counter())[path.id] += 1
    ranked = tuple(sorted(shapes.items(), key=lambda item: (-item[1], item[0])))
    whole = tuple(sorted(templates.items(), key=lambda item: (-item[1], item[0])))
    return SessionStructure(dict(entry_order), ranked,
                            {e: dict(sorted(c.items())) for e, c in sorted(use.items())},
                            explained / lines if lines else 0.0, whole, frozenset(set(shapes) - complete))


def stand_ins(path: Path, real_cover: PathCover, entries_in_shapes: Iterable[str]) -> dict[str, int]:
    """The places of a real shape that ``path`` can fill: the entry points of the real paths its own
    statements contain (a datanode thread's path that runs one block receive fills one receive
    place), else its own entry point when real sessions show that entry point at all."""
    found, _ = real_cover.cover(path.statements)
    needs = dict(Counter(p.entry for p in found))
    if not needs and path.entry in set(entries_in_shapes):
        needs = {path.entry: 1}
    return needs
