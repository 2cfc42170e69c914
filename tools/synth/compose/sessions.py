"""Session composition: paths of several entry points that share an identifier, interleaved.

A real session often interleaves the work of several entry points on one identifier: the client's
write, three datanodes and the namenode for one block. Every kept path is the *primary* of at
least one session (so coverage is not lost); the composer adds companion paths from other entry
points whose statements share an identifier role with the primary, and, for a failing primary, may
add a successful path of the same entry point after it (a retry, which the labels treat as a
recovery). Sub-sequences are merged keeping each path's own order; when real sessions are known,
the merge follows the order real logs show between statements (``Precedence``), otherwise a
seeded plausible interleaving (bursts of one path, switching at random). Everything is drawn from
``random.Random`` seeded per session, so the output is a function of the seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from anomalygen.records import Path
from anomalygen.tools.synth.compose.retry import RetrySources, couple, place_retry_line
from anomalygen.tools.synth.compose.structure import (
    PathCover,
    SessionStructure,
    Shape,
    learn_structure,
    stand_ins,
)
from anomalygen.tools.synth.compose.templates import template_chains
from anomalygen.tools.synth.model import SynthEvent, SynthSession
from anomalygen.tools.synth.params.plan import ParameterPlan, SessionFiller

EPOCH = 1_767_225_600.0
"""2026-01-01T00:00:00Z: synthetic timestamps start here, so a run's output does not depend on the clock."""
SESSION_SPACING_S = 600.0
MAX_PRECEDENCE_EVENTS = 200
"""Events per real session considered when learning precedence (pairs grow quadratically)."""

MAX_ATTEMPTS_PER_SESSION = 4
"""Sessions composed at most per session asked for (silenced ones are composed again)."""

Precedence = dict[tuple[str, str], int]
"""(a, b) -> number of real sessions in which statement a first appears before statement b."""


@dataclass(frozen=True, slots=True)
class ComposeSettings:
    seed: int = 0
    sessions: int | None = None
    """Sessions to compose; None: one per kept path."""
    max_companions: int = 3
    retry_rate: float = 0.5
    """Chance that a failing primary is followed by a successful retry of the same entry point."""
    stay_rate: float = 0.6
    """Chance the merge keeps printing from the same path (bursts, as threads do)."""
    anomaly_share: float | None = None
    """Share of sessions whose driving path fails; None: every kept path drives sessions in turn
    (the failing ones as often as the rest)."""
    silent: frozenset[str] = frozenset()
    """Statements the deployment's log level suppresses: left out of every session (a session
    left with no line is not exported)."""


def learn_precedence(real_sessions: Iterable[Sequence[str]]) -> Precedence:
    """Count, over real sessions, how often each statement's first line precedes another's."""
    counts: Precedence = {}
    for keys in real_sessions:
        add_precedence(counts, keys)
    return counts


def add_precedence(counts: Precedence, keys: Sequence[str]) -> None:
    """Count one real session into ``counts`` (``learn_precedence`` one session at a time)."""
    first: dict[str, None] = {}
    for key in keys[:MAX_PRECEDENCE_EVENTS]:
        first.setdefault(key, None)
    order = list(first)
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            counts[(a, b)] = counts.get((a, b), 0) + 1


def learn_entry_order(first_orders: Iterable[Sequence[str]], paths: Sequence[Path]) -> SessionStructure:
    """(entry a, entry b) -> real sessions in which entry a's work starts before entry b's, plus the
    sessions' shapes (``compose_structure``) when the sequences keep their repeated lines.

    A real line is attributed to an entry point only when its statement lies on the paths of that
    entry point alone; ambiguous statements say nothing about the ordering.
    """
    first_orders = [list(order) for order in first_orders]
    owners: dict[str, set[str]] = {}
    for path in paths:
        for sid in path.statements:
            owners.setdefault(sid, set()).add(path.entry)
    unique = {sid: next(iter(entries)) for sid, entries in owners.items() if len(entries) == 1}
    counts: Precedence = {}
    for order in first_orders:
        entries = list(dict.fromkeys(unique[sid] for sid in order if sid in unique))
        for i, a in enumerate(entries):
            for b in entries[i + 1:]:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    return learn_structure(first_orders, paths, counts)


def _lead_first(chains: list[list[Path]], entry_order: Mapping[tuple[str, str], int]) -> list[list[Path]]:
    """Put first the chain whose entry point real sessions most often start with (stable otherwise)."""
    if not entry_order or len(chains) < 2:
        return chains
    entries = [chain[0].entry for chain in chains]
    wins = [sum(_before(entry_order, e, other) for other in entries if other != e) for e in entries]
    lead = max(range(len(chains)), key=lambda i: (wins[i], -i))
    return [chains[lead], *chains[:lead], *chains[lead + 1:]]


def path_roles(path: Path, plan: ParameterPlan) -> set[str]:
    return {role for sid in path.statements for role in plan.roles(sid) if role is not None}


def compose(
    paths: Sequence[Path],
    plan: ParameterPlan,
    is_failure: Callable[[Path], bool],
    settings: ComposeSettings,
    precedence: Mapping[tuple[str, str], int] | None = None,
    entry_order: SessionStructure | None = None,
    retry_callers: RetrySources | None = None,
) -> list[SynthSession]:
    """Sessions with events in order and timestamps, values not yet filled (see ``fill``).
    ``retry_callers``: callers and what they re-run (``compose_retry``); None: no retry coupling."""
    if not paths:
        return []
    fails = {p.id: is_failure(p) for p in paths}  # asked once per path: rules scan every template

    def failing(path: Path) -> bool:
        return fails[path.id] if path.id in fails else is_failure(path)

    roles = {p.id: path_roles(p, plan) for p in paths}
    by_role_entry: dict[str, dict[str, list[Path]]] = {}
    for p in paths:
        for role in roles[p.id]:
            by_role_entry.setdefault(role, {}).setdefault(p.entry, []).append(p)
    successes: dict[str, list[Path]] = {}
    for p in paths:
        if not failing(p):
            successes.setdefault(p.entry, []).append(p)
    structure = entry_order if entry_order is not None and entry_order.shapes else None
    companions = _CompanionPools(paths, failing, structure)
    by_id = {p.id: p for p in paths}
    real_cover = PathCover(structure.real_paths(paths)) if structure is not None else None
    shaped_entries = {entry for shape, _ in structure.shapes for entry, _ in shape} if structure else set()
    # A failed driver is never retried by an entry point real sessions always run equally often,
    # unless the source shows a caller that re-runs it (the real log may just never have shown it).
    callers = retry_callers or RetrySources()
    fixed = (structure.fixed_run_entries() - callers.retried_entries()) if structure is not None \
        else frozenset()
    by_entry: dict[str, list[Path]] = {}
    for p in paths:
        by_entry.setdefault(p.entry, []).append(p)
    count = settings.sessions if settings.sessions is not None else len(paths)
    drivers = _Drivers(paths, failing, settings)
    sessions: list[SynthSession] = []
    # a session whose every line the deployment's level silences is not exported: compose more,
    # up to a bound, so that a run gives the sessions asked for
    index = -1
    while len(sessions) < count and index < count * MAX_ATTEMPTS_PER_SESSION:
        index += 1
        primary = drivers.pick(index)
        rng = random.Random(f"{settings.seed}:compose:{index}")
        retry_of: dict[str, str] = {}
        shape = None
        templated = None
        if structure is not None and real_cover is not None:
            needs = stand_ins(primary, real_cover, shaped_entries)
            templated = template_chains(
                primary, needs, structure, by_id, failing, rng,
                partial(_retry, primary, companions, failing, rng, settings, retry_of, fixed))
            shape = structure.pick_shape(needs, rng) if templated is None else None
        if templated is not None:
            chains = templated
        elif shape is not None:
            chains = _shaped_chains(primary, shape, needs, companions, rng, failing, retry_of, settings,
                                    fixed)
        else:
            chains = [[primary]]
            retries = [s for s in successes.get(primary.entry, []) if s.id != primary.id]
            if failing(primary) and retries and primary.entry not in fixed \
                    and rng.random() < settings.retry_rate:
                retry = rng.choice(retries)
                chains[0].append(retry)
                retry_of[retry.id] = primary.id
            chains.extend([c] for c in _companions(primary, roles[primary.id], by_role_entry, rng, settings,
                                                   failing))
        coupling = couple(chains, primary, retry_of, by_entry, failing, callers, rng)
        chains = _lead_first(chains, entry_order.entry_order if entry_order is not None else {})
        events = _interleave(chains, rng, settings.stay_rate, precedence or {})
        if coupling is not None:
            events = place_retry_line(events, coupling)
        events = [(statement, path) for statement, path in events if statement not in settings.silent]
        if not events:
            continue
        base = EPOCH + index * SESSION_SPACING_S
        timed, clock = [], base
        runs: dict[str, int] = {}  # path -> its current run's number in the session
        started = 0
        for statement, path in events:
            clock += rng.uniform(0.001, 1.5)
            if path.id not in runs or (path.statements and statement == path.statements[0]):
                runs[path.id], started = started, started + 1
            timed.append(SynthEvent(statement, path.id, path.entry, (), round(clock, 3), runs[path.id]))
        order = list(dict.fromkeys(e.path for e in timed))
        sessions.append(SynthSession(f"syn-{index:05d}", tuple(timed), tuple(order), retry_of))
    return sessions


class _Drivers:
    """The path driving each session: every kept path in turn, or, with an anomaly share, a failing
    one in that share of sessions and a successful one otherwise, each kind in turn (a system with
    many error branches does not fail in most of its sessions)."""

    def __init__(self, paths: Sequence[Path], failing: Callable[[Path], bool],
                 settings: ComposeSettings) -> None:
        self.share = settings.anomaly_share
        self.seed = settings.seed
        # paths printing some line at the deployment's level (a silenced driver leaves an empty session)
        audible = [p for p in paths if any(sid not in settings.silent for sid in p.statements)] or list(paths)
        self.paths = audible
        self.pools = ([p for p in audible if not failing(p)], [p for p in audible if failing(p)])
        self.turns = [0, 0]

    def pick(self, index: int) -> Path:
        if self.share is None or not all(self.pools):
            return self.paths[index % len(self.paths)]
        kind = int(random.Random(f"{self.seed}:driver:{index}").random() < self.share)
        pool = self.pools[kind]
        self.turns[kind] += 1
        return pool[(self.turns[kind] - 1) % len(pool)]


def _companions(primary: Path, shared: set[str], by_role_entry: Mapping[str, Mapping[str, list[Path]]],
                rng: random.Random, settings: ComposeSettings,
                is_failure: Callable[[Path], bool]) -> list[Path]:
    """Successful paths of other entry points on the same identifier: the primary carries the
    session's variation (and its label), companions its ordinary context."""
    entries: dict[str, dict[str, Path]] = {}
    for role in sorted(shared):
        for entry, candidates in by_role_entry.get(role, {}).items():
            if entry != primary.entry:
                entries.setdefault(entry, {}).update((c.id, c) for c in candidates)
    # an entry point whose every path fails would make the session fail through its context
    ordinary = {e: sorted((p for p in c.values() if not is_failure(p)), key=lambda p: p.id)
                for e, c in entries.items()}
    ordinary = {e: paths for e, paths in ordinary.items() if paths}
    if not ordinary or settings.max_companions <= 0:
        return []
    names = sorted(ordinary)
    chosen = rng.sample(names, rng.randint(1, min(settings.max_companions, len(names))))
    return [rng.choice(ordinary[name]) for name in sorted(chosen)]


class _CompanionPools:
    """Per entry point, the paths a session's other members are drawn from: paths real sessions
    used (weighted by how often) that do not fail, else any non-failing path of the entry point,
    else the real ones. Normal work is the context; the driver carries the variation."""

    def __init__(self, paths: Sequence[Path], failing: Callable[[Path], bool],
                 structure: SessionStructure | None) -> None:
        self.pools: dict[str, tuple[list[Path], list[int]]] = {}
        by_id = {p.id: p for p in paths}
        by_entry: dict[str, list[Path]] = {}
        for p in paths:
            by_entry.setdefault(p.entry, []).append(p)
        use = structure.path_use if structure is not None else {}
        for entry, members in by_entry.items():
            real = [(by_id[pid], n) for pid, n in sorted(use.get(entry, {}).items()) if pid in by_id]
            ordinary = [(p, n) for p, n in real if not failing(p)]
            if not ordinary:
                ordinary = [(p, 1) for p in sorted(members, key=lambda p: p.id) if not failing(p)] or real
            if ordinary:
                self.pools[entry] = ([p for p, _ in ordinary], [n for _, n in ordinary])

    def draw(self, entry: str, rng: random.Random, exclude: str = "") -> Path | None:
        pool = self.pools.get(entry)
        if pool is None:
            return None
        members, weights = pool
        pairs = list(zip(members, weights, strict=True))
        kept = [(p, w) for p, w in pairs if p.id != exclude] or pairs
        return rng.choices([p for p, _ in kept], weights=[w for _, w in kept])[0]


def _retry(primary: Path, companions: _CompanionPools, failing: Callable[[Path], bool], rng: random.Random,
           settings: ComposeSettings, retry_of: dict[str, str],
           fixed: frozenset[str] = frozenset()) -> list[Path]:
    """A successful path of a failing driver's own entry point, with ``retry_rate`` (or nothing);
    never for an entry point of ``fixed`` (``SessionStructure.fixed_run_entries``)."""
    if not failing(primary) or primary.entry in fixed:
        return []
    retry = companions.draw(primary.entry, rng, exclude=primary.id)
    if retry is None or failing(retry) or rng.random() >= settings.retry_rate:
        return []
    retry_of[retry.id] = primary.id
    return [retry]


def _shaped_chains(primary: Path, shape: Shape, needs: Mapping[str, int], companions: _CompanionPools,
                   rng: random.Random, failing: Callable[[Path], bool], retry_of: dict[str, str],
                   settings: ComposeSettings, fixed: frozenset[str] = frozenset()) -> list[list[Path]]:
    """One chain per entry point of a real shape, each entry's paths run one after another as many
    times as the shape says; the driver takes the places ``needs`` names (in the chain of the first).
    A failing driver goes last in its chain (a sibling's later success is not a retry) and may be
    followed by a successful retry of its entry point, which the labels count as a recovery."""
    home = next(iter(needs))
    chains: list[list[Path]] = []
    for entry, times in shape:
        members = [m for m in (companions.draw(entry, rng) for _ in range(times - needs.get(entry, 0)))
                   if m is not None]
        if entry == home:
            if failing(primary):
                members.extend([primary, *_retry(primary, companions, failing, rng, settings, retry_of,
                                                 fixed)])
            else:
                members.insert(rng.randint(0, len(members)), primary)
        if members:
            chains.append(members)
    return chains


def _interleave(chains: list[list[Path]], rng: random.Random, stay_rate: float,
                precedence: Mapping[tuple[str, str], int]) -> list[tuple[str, Path]]:
    queues = [[(sid, p) for p in chain for sid in p.statements] for chain in chains]
    positions = [0] * len(queues)
    current = 0
    merged: list[tuple[str, Path]] = []
    while True:
        live = [i for i, q in enumerate(queues) if positions[i] < len(q)]
        if not live:
            return merged
        candidates = live
        if precedence and len(live) > 1:
            # Prefer heads that real sessions never print after another live head.
            heads = {i: queues[i][positions[i]][0] for i in live}
            blocked = {i: sum(_before(precedence, heads[j], heads[i]) for j in live if j != i) for i in live}
            least = min(blocked.values())
            candidates = [i for i in live if blocked[i] == least]
        if current in candidates and (not merged or rng.random() < stay_rate):
            pick = current
        else:
            pick = rng.choice(candidates)
        merged.append(queues[pick][positions[pick]])
        positions[pick] += 1
        current = pick


def _before(precedence: Mapping[tuple[str, str], int], a: str, b: str) -> bool:
    """Do real sessions print ``a`` before ``b`` more often than the other way round?"""
    return precedence.get((a, b), 0) > precedence.get((b, a), 0)


def fill(sessions: Sequence[SynthSession], filler: SessionFiller) -> list[SynthSession]:
    """Give every event its slot values, bound per session."""
    filled = []
    for session in sessions:
        values = filler.fill(session.id, [e.statement for e in session.events],
                             [e.run for e in session.events])
        events = tuple(SynthEvent(e.statement, e.path, e.entry, v, e.timestamp, e.run)
                       for e, v in zip(session.events, values, strict=True))
        filled.append(SynthSession(session.id, events, session.paths, session.retry_of, session.rule_label,
                                   session.label, session.label_source, session.reasons))
    return filled
