"""Sessions with the structure of the real ones: real skeletons, recombined, re-timed, with new paths.

Learned from real sessions (``learn``): each real session is a *skeleton*, its cover by units
(``units``) with every run's place on the session's normalized time line (first event at 0, last at
1). Entry points whose run counts keep one ratio in every real session (three receives, three
responders and three ``addStoredBlock``s per ``allocateBlock``; as many deletions as invalidations)
form a *group*: detectors such as Invariants Mining learn exactly those count relations.

A synthetic session (``compose``) starts from a real skeleton drawn at random, then:

- *recombines*: with ``mix_rate``, each group may take its runs (and their timing) from another
  real skeleton, so groups combine in ways no single real session showed while every count
  relation inside a group still holds;
- *re-times*: each run's start moves by a small random shift, so interleavings vary around the
  real ones (a run's own events keep their order);
- *keeps the real orders*: an event that every real normal session printing both prints wholly
  before another (allocation before the first replica's end, replicas recorded before deletion)
  stays before it, however the runs were recombined and shifted (``precedence``);
- *varies*: with ``variant_rate``, one run is replaced by another kept path of the same entry point
  that real sessions never showed: a new valid path, the coverage synthetic data exists to add.

Anomalous sessions (``anomaly_share``) are normal ones in which one run takes a failing path of its
entry point (one the real normal sessions never print), or recombined anomalous real skeletons
when real labels exist. Every choice is drawn from a ``random.Random`` seeded per session.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from anomalygen.tools.synth.compose.units import Run, Unit, UnitCatalog

MIN_SKELETONS = 3
GROUP_SUPPORT = 0.98
"""Share of real sessions in which two events must keep one count ratio to move together (rare
variants, such as a re-replicated block, are allowed to break it)."""
"""Fewer real sessions than this say too little about structure: the caller falls back."""


@dataclass(frozen=True, slots=True)
class TimedRun:
    unit: Unit
    start: float
    """Normalized time of the run's first event in its session (0 first event, 1 last)."""
    offsets: tuple[float, ...]
    """Normalized time of each event after the run's start (the first is 0)."""


@dataclass(frozen=True, slots=True)
class Skeleton:
    runs: tuple[TimedRun, ...]
    label: int | None
    length: int
    tokens: tuple[str, ...] = ()
    """The real session's events, in order."""


DEFAULT_VARIANT_RATE = 0.1
DEFAULT_RECOVERY_RATE = 0.05
DEFAULT_SHAPE_POWER = 0.75
FULL_JITTER_SESSIONS = 20
"""Real sessions of one set of events it takes for its composed sessions to get the full jitter."""


@dataclass(frozen=True, slots=True)
class TimelineSettings:
    mix_rate: float = 0.5
    """Chance a session recombines its groups with other skeletons' runs."""
    jitter: float = 0.04
    """Standard deviation of a run's start shift, in session time (0..1)."""
    variant_rate: float = DEFAULT_VARIANT_RATE
    """Chance a normal session takes a new valid path for one of its runs."""
    anomaly_share: float = 0.03
    """Share of anomalous sessions composed."""
    recovery_rate: float = DEFAULT_RECOVERY_RATE
    """Chance a normal session fails once and recovers (``TimelineModel._recover``)."""
    unretried_recovery_rate: float = DEFAULT_RECOVERY_RATE
    """The same for a failure that no entry point of the session says it retries (at most
    ``recovery_rate``; ``TimelineModel.recovery_rate``: as the real normal sessions allow)."""
    shape_power: float = DEFAULT_SHAPE_POWER
    """Real sessions are drawn by their set of events with weight (sessions of that set) ** power:
    1 copies the real rates, lower powers draw a rare real variant (a re-replication, 3 of 1,000
    HDFS blocks) more often than the real sample did, as upsampling rare classes does."""


@dataclass(frozen=True, slots=True)
class Recovery:
    """What a normal session may fail and recover from, as the label rules define recovery."""

    failure: Callable[[Unit], bool]
    """A failing unit that real normal sessions never print (one they print needs no invention)."""
    success: Callable[[Unit], bool]
    """A unit that runs as in real normal sessions: the attempt that succeeds after the failure."""
    retry_line: Callable[[str], bool]
    """A statement that says a retry."""


@dataclass(frozen=True, slots=True)
class Composed:
    """One composed session: its events in order and how it came about."""

    events: tuple[tuple[Unit, int, int], ...]
    """(unit, index of the event in the unit, run number in the session), in session order."""
    label: int
    reasons: tuple[str, ...]


def _placed(lent: Sequence[TimedRun], mine: Sequence[TimedRun]) -> list[TimedRun]:
    """A donor's runs of one group moved into the time span the base session's own runs of that
    group took (a donor's deletions land where the base deleted, not amid its writes); both are
    non-empty."""
    d0, d1 = min(r.start for r in lent), max(r.start for r in lent)
    b0, b1 = min(r.start for r in mine), max(r.start for r in mine)
    scale = (b1 - b0) / (d1 - d0) if d1 > d0 else 0.0
    return [TimedRun(r.unit, b0 + (r.start - d0) * scale, r.offsets) for r in lent]


def _events(runs: Sequence[TimedRun]) -> frozenset[str]:
    return frozenset(t for r in runs for t in r.unit.tokens)


def _timed(run: Run, length: int) -> TimedRun:
    scale = max(1, length - 1)
    first = run.positions[0]
    return TimedRun(run.unit, first / scale, tuple((p - first) / scale for p in run.positions))


def _groups(counts: Sequence[Counter[str]], runs: Sequence[tuple[str, ...]]) -> list[frozenset[str]]:
    """Events whose counts keep one ratio in every skeleton (zero together) form a group, and so do
    the events of one run (``runs``: the events of every real run)."""
    entries = sorted({e for c in counts for e in c})
    parent = {e: e for e in entries}

    def find(e: str) -> str:
        while parent[e] != e:
            parent[e] = parent[parent[e]]
            e = parent[e]
        return e

    for i, a in enumerate(entries):
        for b in entries[i + 1:]:
            ratios: Counter[Fraction | None] = Counter()
            for c in counts:
                x, y = c.get(a, 0), c.get(b, 0)
                if (x == 0) != (y == 0):
                    ratios[None] += 1
                elif y:
                    ratios[Fraction(x, y)] += 1
            together = len(counts) - sum(1 for c in counts if not c.get(a) and not c.get(b))
            common = max((n for r, n in ratios.items() if r is not None), default=0)
            if together and common >= GROUP_SUPPORT * together:
                parent[find(a)] = find(b)
    for tokens in runs:
        for token in tokens[1:]:
            parent[find(token)] = find(tokens[0])
    grouped: dict[str, set[str]] = {}
    for e in entries:
        grouped.setdefault(find(e), set()).add(e)
    return sorted((frozenset(g) for g in grouped.values()), key=lambda g: sorted(g))


INVARIANT_SUPPORT = 3
"""Sessions that must print an event for its count relations to count as invariants (two rare
events that happened to meet once are no law)."""


def _proportions(counts: Sequence[Counter[str]]) -> tuple[tuple[tuple[str, int], ...], ...]:
    """Classes of events whose count vectors over ``counts`` are exact multiples of one another,
    each event with its share of the class's smallest common ratio."""
    events = sorted({e for c in counts for e in c})
    classes: dict[tuple[Fraction, ...], list[tuple[str, int]]] = {}
    for event in events:
        vector = [c.get(event, 0) for c in counts]
        if sum(1 for v in vector if v) < INVARIANT_SUPPORT:
            continue
        first = next(v for v in vector if v)
        key = tuple(Fraction(v, first) for v in vector)
        classes.setdefault(key, []).append((event, first))
    return tuple(tuple(members) for members in classes.values() if len(members) > 1)


def keeps_proportions(tokens: Counter[str], proportions: Sequence[Sequence[tuple[str, int]]]) -> bool:
    """Whether ``tokens`` (event counts of one session) keep every class's ratio."""
    for members in proportions:
        (anchor, ratio), rest = members[0], members[1:]
        base = tokens.get(anchor, 0)
        if any(tokens.get(event, 0) * ratio != base * share for event, share in rest):
            return False
    return True


PRECEDENCE_SUPPORT = 0.95
"""Share of the real normal sessions printing two events in which all of one precede all of the
other for that order to be a rule; the rest of them break it, and composed sessions break it as
often (``TimelineModel.rules``)."""
PRECEDENCE_MIN_SESSIONS = 3


def _precedence(sessions: Sequence[Sequence[str]]) -> dict[tuple[str, str], float]:
    """Pairs (a, b) such that real normal sessions printing both print every a before every b, at
    least ``PRECEDENCE_SUPPORT`` of them, each with the share of those sessions that do not."""
    together: Counter[tuple[str, str]] = Counter()
    ordered: Counter[tuple[str, str]] = Counter()
    for tokens in sessions:
        first: dict[str, int] = {}
        last: dict[str, int] = {}
        for i, token in enumerate(tokens):
            first.setdefault(token, i)
            last[token] = i
        for a in first:
            for b in first:
                if a != b:
                    together[a, b] += 1
                    if last[a] < first[b]:
                        ordered[a, b] += 1
    return {pair: 1.0 - n / together[pair] for pair, n in sorted(ordered.items())
            if n >= PRECEDENCE_MIN_SESSIONS and n >= PRECEDENCE_SUPPORT * together[pair]}


def _violated(tokens: Sequence[str], precedence: Collection[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    """The pairs of ``precedence`` that ``tokens`` (one real session) breaks: a composed session
    drawn from it may break them too (the rare real order it copies)."""
    seen: set[str] = set()
    broken: set[tuple[str, str]] = set()
    for token in tokens:
        broken.update((token, earlier) for earlier in seen if (token, earlier) in precedence)
        seen.add(token)
    return frozenset(broken)


def kept_order(events: Sequence[tuple[str, int]], precedence: Collection[tuple[str, str]]) -> list[int]:
    """Indices of ``events`` ((token, run) in composed order) reordered as little as possible so
    that no event comes before one ``precedence`` says precedes it, each run's own events keeping
    their order. Where the two disagree (a new path printing its events the other way), the run's
    order wins."""
    before: dict[str, set[str]] = {}
    for a, b in precedence:
        before.setdefault(b, set()).add(a)
    left = Counter(token for token, _ in events)
    run_seen: Counter[int] = Counter()
    position_in_run: list[int] = []  # the event's place among its run's events
    for _, run in events:
        position_in_run.append(run_seen[run])
        run_seen[run] += 1
    placed: list[int] = []
    waiting = list(range(len(events)))
    run_done: Counter[int] = Counter()  # events of each run placed so far
    while waiting:
        pick = None
        for n, i in enumerate(waiting):
            token, run = events[i]
            if position_in_run[i] != run_done[run]:
                continue
            if any(left[a] for a in before.get(token, ())):
                continue
            pick = n
            break
        if pick is None:  # only a clash with a run's own order: the earliest next event of a run
            pick = next(n for n, i in enumerate(waiting) if position_in_run[i] == run_done[events[i][1]])
        i = waiting.pop(pick)
        placed.append(i)
        left[events[i][0]] -= 1
        run_done[events[i][1]] += 1
    return placed


@dataclass(slots=True)
class TimelineModel:
    normal: list[Skeleton]
    anomalous: list[Skeleton]
    groups: list[frozenset[str]]
    """Events that move together when skeletons are recombined."""
    gaps: dict[str, list[float]] = field(default_factory=dict)
    """Entry point -> normalized gaps between consecutive events of its real runs."""
    explained: float = 0.0
    """Share of real events explained by whole units (the rest by one-event runs)."""
    normal_tokens: frozenset[str] = frozenset()
    """Events real normal sessions print."""
    anomaly_tokens: frozenset[str] = frozenset()
    """Events only real anomalous sessions print: a session holding one is anomalous by the real
    data's own evidence, whatever the level of its line."""
    proportions: tuple[tuple[tuple[str, int], ...], ...] = ()
    """Events whose counts keep one exact ratio in every real normal session, with that ratio (three
    receives per allocation): the invariants a new normal path must keep, because a failed write
    without its retry is exactly what detectors are right to flag."""
    precedence: dict[tuple[str, str], float] = field(default_factory=dict)
    """(a, b) -> share of the real normal sessions printing both that print an a after a b, for the
    orders nearly all of them keep (``_precedence``)."""
    recovered_share: float = 0.0
    """Share of the real normal sessions that fail and then recover (a later run of the failing
    entry point succeeds): how often a composed normal session may (HDFS's normal blocks never
    do; 0 when no real session tells)."""
    _group_index: dict[str, int] = field(default_factory=dict, repr=False)
    _shapes: list[list[Skeleton]] = field(default_factory=list, repr=False)
    """Real normal sessions grouped by their set of events (filled on first use)."""
    """Event -> index of its group in ``groups`` (filled on first use)."""

    @classmethod
    def learn(cls, sessions: Sequence[tuple[Sequence[str], int | None]], catalog: UnitCatalog,
              judge: Callable[[Sequence[Run]], int] | None = None,
              recovers: Callable[[Sequence[Run]], bool] | None = None) -> TimelineModel:
        """``sessions``: (events as tokens, label or None) per real session; ``judge`` labels an
        unlabelled one from its runs (without it, unlabelled sessions count as normal); ``recovers``:
        runs that fail and then recover (``recovered_share``)."""
        normal: list[Skeleton] = []
        anomalous: list[Skeleton] = []
        gaps: dict[str, list[float]] = {}
        whole = total = recovered = 0
        normal_tokens: set[str] = set()
        seen_in_anomalies: set[str] = set()
        sessions = list(sessions)
        catalog.restrict({t for tokens, _ in sessions for t in tokens})
        for tokens, label in sessions:
            runs = catalog.cover(tokens)
            if not runs:
                continue
            length = max(p for r in runs for p in r.positions) + 1
            timed = tuple(_timed(r, length) for r in runs)
            judged = judge(runs) if label is None and judge is not None else label
            skeleton = Skeleton(timed, judged, length, tuple(tokens))
            (anomalous if judged == 1 else normal).append(skeleton)
            for run in timed:
                gaps.setdefault(run.unit.entry, []).extend(
                    b - a for a, b in zip(run.offsets, run.offsets[1:], strict=False))
            total += sum(len(r.positions) for r in runs)
            whole += sum(len(r.positions) for r in runs if not r.unit.partial)
            if judged != 1:
                normal_tokens.update(t for r in runs for t in r.unit.tokens)
                recovered += recovers is not None and recovers(runs)
            elif label == 1:  # only real labels are the real data's own evidence
                seen_in_anomalies.update(tokens)
        counts = [Counter(t for r in s.runs for t in r.unit.tokens) for s in normal]
        shapes = {r.unit.tokens for s in normal for r in s.runs}
        return cls(normal, anomalous, _groups(counts, sorted(shapes)), gaps, whole / total if total else 0.0,
                   frozenset(normal_tokens), frozenset(seen_in_anomalies - normal_tokens),
                   _proportions(counts), _precedence([s.tokens for s in normal]),
                   recovered / len(normal) if normal else 0.0)

    @property
    def whole_sessions(self) -> int:
        """Real sessions of two events or more."""
        return sum(1 for s in self.normal + self.anomalous if s.length >= 2)

    @property
    def usable(self) -> bool:
        """Enough real sessions, most of them more than one event: fragments say nothing of structure."""
        normal_whole = sum(1 for s in self.normal if s.length >= 2)
        sessions = len(self.normal) + len(self.anomalous)
        return normal_whole >= MIN_SKELETONS and self.whole_sessions >= sessions / 2

    @property
    def recovery_rate(self) -> float:
        """How often a composed normal session may fail and recover with no retry said: as often
        as real normal ones do, and where none does, no more often than that sample allows (the
        rule of three: 3 / n bounds a rate never seen in n sessions), at most
        ``DEFAULT_RECOVERY_RATE``. HDFS's 1,000 normal blocks, none recovering, allow 3 in 1,000."""
        if not self.normal:
            return DEFAULT_RECOVERY_RATE
        return max(self.recovered_share, min(DEFAULT_RECOVERY_RATE, 3 / len(self.normal)))

    def summary(self) -> dict[str, object]:
        return {"skeletons_normal": len(self.normal), "skeletons_anomalous": len(self.anomalous),
                "groups": [sorted(g) for g in self.groups if len(g) > 1],
                "explained_by_whole_paths": round(self.explained, 4),
                "recovered_share": round(self.recovered_share, 4),
                "recovery_rate": round(self.recovery_rate, 4)}

    def compose(self, index: int, seed: int, settings: TimelineSettings, catalog: UnitCatalog,
                safe: Callable[[Unit], bool], failing: Callable[[Unit], bool],
                recover: Recovery | None = None) -> Composed:
        """Session ``index``: anomalous with ``anomaly_share`` (seeded), else normal. ``safe``: a
        unit a normal session may take as a new path; ``failing``: one that makes it anomalous;
        ``recover``: what a normal session may fail and then recover from."""
        rng = random.Random(f"{seed}:timeline:{index}")
        anomalous = rng.random() < settings.anomaly_share
        reasons: list[str] = []
        from_real = self.anomalous and (rng.random() < 0.5 or not self._failing_choices(catalog, failing))
        jitter = settings.jitter
        if anomalous and from_real:
            base = rng.choice(self.anomalous)
            runs = self._recombine(base, self.anomalous, settings.mix_rate, rng)
            reasons.append("recombined from real anomalous sessions")
        else:
            base, alike = self._base(settings.shape_power, rng)
            # a kind of session few real ones show is moved less: its orders are known from too
            # few sessions for a jitter to stay within them
            jitter = settings.jitter * min(1.0, alike / FULL_JITTER_SESSIONS)
            runs = self._recombine(base, self.normal, settings.mix_rate, rng)
            if anomalous:
                runs, why = self._vary(runs, catalog, failing, rng)
                if why is None:
                    anomalous = False  # no failing path to put in: the session stays normal
                else:
                    reasons.append(why)
            elif rng.random() < settings.variant_rate:
                runs, why = self._vary(runs, catalog, safe, rng, keep=self.proportions)
                if why is not None:
                    reasons.append(why)
        recovering = (not anomalous and recover is not None and rng.random() < settings.recovery_rate)
        runs = self._jittered(runs, jitter, rng)
        if recovering and recover is not None:
            # after the jitter: a failure, its retry and the successful attempt keep their order
            # a failure no party of the session retries is kept only at the rate real normal
            # sessions allow for it (a state warning and then success is no recovery one sees)
            unretried = (settings.unretried_recovery_rate / settings.recovery_rate
                         if settings.recovery_rate else 0.0)
            runs, why = self._recover(runs, catalog, recover, rng, unretried)
            if why is not None:
                reasons.append(why)
        timeline = sorted(((r.start + offset, rng.random(), k, i)
                           for k, r in enumerate(runs) for i, offset in enumerate(r.offsets)))
        events = [(runs[k].unit, i, k) for _, _, k, i in timeline]
        order = kept_order([(unit.tokens[i], k) for unit, i, k in events], self.rules(base, rng))
        return Composed(tuple(events[n] for n in order), int(anomalous), tuple(reasons))

    def _base(self, power: float, rng: random.Random) -> tuple[Skeleton, int]:
        """A real normal session to start from and how many real sessions share its set of events:
        the set drawn with weight (its sessions) ** ``power``, then one of its sessions."""
        if not self._shapes:
            kinds: dict[frozenset[str], list[Skeleton]] = {}
            for skeleton in self.normal:
                kinds.setdefault(frozenset(skeleton.tokens), []).append(skeleton)
            self._shapes.extend(kinds.values())
        weights = [len(kind) ** power for kind in self._shapes]
        kind = rng.choices(self._shapes, weights)[0]
        return rng.choice(kind), len(kind)

    def _recombine(self, base: Skeleton, pool: Sequence[Skeleton], rate: float,
                   rng: random.Random) -> list[TimedRun]:
        runs = list(base.runs)
        if rng.random() >= rate or len(pool) < 2:
            return runs
        for group in self.groups:
            if rng.random() < 0.5:
                donor = rng.choice(pool)
                mine = [r for r in runs if r.unit.tokens[0] in group]
                lent = [r for r in donor.runs if r.unit.tokens[0] in group]
                # only a donor's version of the same events: the base's phases stay (a rare one,
                # a re-replication inside the write, is not dropped or overwritten, none is added)
                if lent and _events(lent) == _events(mine):
                    runs = [r for r in runs if r.unit.tokens[0] not in group] + _placed(lent, mine)
        return runs or list(base.runs)

    def _jittered(self, runs: list[TimedRun], jitter: float, rng: random.Random) -> list[TimedRun]:
        """Runs shifted at random, each within the time span its group's runs take in the session:
        interleavings vary inside a phase (three receives), phases keep their order (deletions do
        not start before the last replica is recorded)."""
        spans: dict[int, tuple[float, float]] = {}
        for run in runs:
            g = self._group_of(run.unit.tokens[0])
            low, high = spans.get(g, (run.start, run.start))
            spans[g] = (min(low, run.start), max(high, run.start))
        moved = []
        for run in runs:
            low, high = spans[self._group_of(run.unit.tokens[0])]
            start = min(high + jitter, max(low - jitter, run.start + rng.gauss(0.0, jitter)))
            moved.append(TimedRun(run.unit, start, run.offsets))
        return moved

    def _group_of(self, token: str) -> int:
        if not self._group_index:
            self._group_index.update({t: i for i, g in enumerate(self.groups) for t in g})
        return self._group_index.get(token, -1)

    def rules(self, base: Skeleton, rng: random.Random) -> set[tuple[str, str]]:
        """The orders one composed session keeps: each real order but as often as real sessions
        break it, and none the real session it was drawn from breaks (the rare order it copies)."""
        copied = _violated(base.tokens, self.precedence)
        return {pair for pair, broken in self.precedence.items()
                if rng.random() >= broken and pair not in copied}

    def _failing_choices(self, catalog: UnitCatalog, failing: Callable[[Unit], bool]) -> bool:
        return any(failing(u) for units in catalog.by_entry.values() for u in units)

    def _recover(self, runs: list[TimedRun], catalog: UnitCatalog, recover: Recovery,
                 rng: random.Random, unretried: float = 1.0) -> tuple[list[TimedRun], str | None]:
        """One operation fails and is retried, as a real system recovers: one attempt of an
        operation takes a failing path of its entry point instead (same first event), every other
        entry point of the session that has a retry line prints it, the operation then succeeds
        on a path real normal sessions take, and the retrying entry points go on after it. By the
        label rules (a failure followed by a successful path of its entry point) the session stays
        normal."""
        choices = [(k, u) for k, run in enumerate(runs) for u in catalog.by_entry.get(run.unit.entry, ())
                   if u.tokens[0] == run.unit.tokens[0] and recover.failure(u)]
        # the failed attempt takes the place of a successful one where the session has a single one
        single = [(k, u) for k, u in choices if recover.success(runs[k].unit)]
        if not choices:
            return runs, None
        k, failure = rng.choice(single or choices)
        run = runs[k]
        again = sorted((u for u in catalog.by_entry.get(run.unit.entry, ())
                        if u.tokens[0] == run.unit.tokens[0] and recover.success(u)),
                       key=lambda u: (len(u.tokens), u.path))
        if not again:
            return runs, None
        pool = self.gaps.get(run.unit.entry) or [0.02]

        def gap() -> float:
            return max(1e-4, rng.choice(pool))

        at = run.start if single else run.start + rng.random() * run.offsets[-1]
        failed = TimedRun(failure, at, self._offsets(run, failure, rng))
        # the retry comes once the attempts running beside the failed one are done, a few of the
        # entry point's own steps later
        retry_at = failed.start + failed.offsets[-1] + sum(gap() for _ in range(rng.randint(1, 4)))
        entries = {r.unit.entry for r in runs} - {run.unit.entry}
        retries = sorted({t for t, unit in catalog.singles.items()
                          if unit.entry in entries and recover.retry_line(unit.statements[0])})
        if not retries and rng.random() >= unretried:
            return runs, None
        said = [TimedRun(catalog.singles[t], retry_at, (0.0,)) for t in retries]
        success = TimedRun(again[0] if not single else run.unit, retry_at + gap(),
                           run.offsets if single else self._offsets(run, again[0], rng))
        # The entry points that retry wait for the successful attempt before they go on (the client
        # completes after it), and so does what came after them (a reader reads the written block);
        # the rest of the session (other replicas recorded meanwhile) goes on around the failure.
        done = success.start + success.offsets[-1] + gap()
        waiting = {r.unit.entry for r in said}
        waited = max((r.start + r.offsets[-1] for r in runs if r.unit.entry in waiting), default=2.0)
        kept = [self._after(r, at, done - at) if r.unit.entry in waiting or r.start >= waited else r
                for j, r in enumerate(runs) if not (single and j == k)]
        why = f"path {failure.path} of {failure.entry} failed, then {success.unit.path} succeeded"
        if said:
            why += "; retried: " + ", ".join(r.unit.statements[0] for r in said)
        return [*kept, failed, *said, success], why

    @staticmethod
    def _after(run: TimedRun, at: float, delay: float) -> TimedRun:
        """``run`` with its events from time ``at`` on delayed by ``delay``."""
        offsets = tuple(o + delay if run.start + o >= at else o for o in run.offsets)
        return TimedRun(run.unit, run.start, offsets)

    def _offsets(self, run: TimedRun, unit: Unit, rng: random.Random) -> tuple[float, ...]:
        """``unit``'s event offsets when it takes ``run``'s place: the run's own, then real gaps."""
        offsets = list(run.offsets[:len(unit.tokens)])
        pool = self.gaps.get(run.unit.entry) or [0.02]
        while len(offsets) < len(unit.tokens):
            offsets.append(offsets[-1] + max(1e-4, rng.choice(pool)))
        return tuple(offsets)

    def _vary(self, runs: list[TimedRun], catalog: UnitCatalog, allowed: Callable[[Unit], bool],
              rng: random.Random, keep: Sequence[Sequence[tuple[str, int]]] = ()
              ) -> tuple[list[TimedRun], str | None]:
        """Replace one run by another path of the same operation that ``allowed`` accepts: a unit
        of the same entry point that starts with the same event, or any unit of it when the entry
        point is the method that prints the run (a daemon's main loop that also deletes blocks
        does not restart the daemon inside a block's session). With ``keep``, the session's event
        counts must keep those proportions after the change."""
        order = list(range(len(runs)))
        rng.shuffle(order)
        counts = Counter(t for r in runs for t in r.unit.tokens)
        for k in order:
            run = runs[k]
            without = counts - Counter(run.unit.tokens)
            options = [u for u in catalog.by_entry.get(run.unit.entry, ())
                       if u.tokens != run.unit.tokens and allowed(u)
                       and (u.tokens[0] == run.unit.tokens[0] or run.unit.local > 0)
                       and (not keep or keeps_proportions(without + Counter(u.tokens), keep))]
            if not options:
                continue
            unit = rng.choice(options)
            runs = [*runs[:k], TimedRun(unit, run.start, self._offsets(run, unit, rng)), *runs[k + 1:]]
            return runs, f"path {unit.path} of {unit.entry} in place of {run.unit.path}"
        return runs, None
