"""Synthetic sessions from the structure of real ones (``timeline``), as pipeline records.

Real sessions (from real logs, or key sequences in a vocabulary) are explained by units of the kept
paths (``units``); when they say enough about structure (``TimelineModel.usable``), sessions are
recombined real skeletons with new valid paths, and their labels follow the real data: a session
is normal unless one of its runs took a failing path that no real normal session prints.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from anomalygen.records import LogStatement, Path
from anomalygen.tools.synth.compose.sessions import EPOCH, SESSION_SPACING_S
from anomalygen.tools.synth.compose.timeline import Recovery, TimelineModel, TimelineSettings
from anomalygen.tools.synth.compose.units import Run, Unit, UnitCatalog
from anomalygen.tools.synth.model import REAL_ANOMALY_REASON, SynthEvent, SynthSession

STRUCTURE_LABEL = "real-structure"
"""``label_source`` of a session whose label the real sessions decided (the rules only report)."""
SECONDS_PER_EVENT = 2.0
"""Synthetic time a session spans per event (its events spread over it in timeline order)."""


@dataclass(frozen=True, slots=True)
class StructuredPlan:
    model: TimelineModel
    catalog: UnitCatalog


def learn(kept: Sequence[Path], statements: Mapping[str, LogStatement],
          sessions: Sequence[tuple[Sequence[str], int | None]],
          token: Callable[[str], str | None],
          failing_line: Callable[[str], bool] | None = None) -> StructuredPlan:
    """Explain ``sessions`` (events as tokens, label) by units of ``kept`` (``token``: a statement's
    event, None when the deployment does not print it). Unlabelled sessions are labelled by what
    they print (``failing_line``: a statement the label rules call a failure): anomalous when a
    run prints a failure that no later run of the same entry point recovers (a catch a path
    passes without a line is not in the log, so it is no evidence here)."""
    catalog = UnitCatalog(kept, token, lambda sid: statements[sid].method if sid in statements else "")

    def prints_failure(run: Run) -> bool:
        return failing_line is not None and any(failing_line(sid) for sid in run.unit.statements)

    def recovered(run: Run, runs: Sequence[Run], fails: Sequence[bool]) -> bool:
        return any(not other_failed and other.unit.entry == run.unit.entry
                   and other.positions[0] > run.positions[-1]
                   for other, other_failed in zip(runs, fails, strict=True))

    def judge(runs: Sequence[Run]) -> int:
        fails = [prints_failure(r) for r in runs]
        return int(any(failed and not recovered(run, runs, fails)
                       for run, failed in zip(runs, fails, strict=True)))

    def recovers(runs: Sequence[Run]) -> bool:
        """A failure a later run of its entry point recovers from: what ``Recovery`` composes."""
        fails = [prints_failure(r) for r in runs]
        return any(failed and recovered(run, runs, fails) for run, failed in zip(runs, fails, strict=True))

    return StructuredPlan(TimelineModel.learn(sessions, catalog, judge if failing_line else None, recovers),
                          catalog)


def compose_structured(plan: StructuredPlan, kept: Sequence[Path], failing_path: Callable[[Path], bool], *,
                       seed: int, count: int, settings: TimelineSettings,
                       retry_lines: Collection[str] = frozenset(),
                       joinable: Callable[[str], bool] = lambda sid: True,
                       severity: Callable[[str], int] = lambda sid: 0) -> list[SynthSession]:
    """``count`` sessions; a path is ``failing_path`` by the label rules; ``retry_lines``: the
    statements that say a retry; ``joinable``: a statement that can print the identifier that
    holds a session together (``identifier_carriers``); ``severity``: a statement's level."""
    by_id = {p.id: p for p in kept}
    normal, anomaly_only = plan.model.normal_tokens, plan.model.anomaly_tokens
    # the most severe level real normal sessions print from each entry point (INFO from the
    # namenode's addStoredBlock on HDFS): a new path of it louder than that ("Inconsistent size for
    # block" at WARN) is what a person reads as a problem
    loudest: dict[str, int] = {}
    for unit in plan.catalog.units:
        for t, sid in zip(unit.tokens, unit.statements, strict=True):
            if t in normal:
                loudest[unit.entry] = max(loudest.get(unit.entry, 0), severity(sid))

    def louder(unit: Unit) -> bool:
        return any(t not in normal and severity(sid) > loudest.get(unit.entry, 0)
                   for t, sid in zip(unit.tokens, unit.statements, strict=True))

    seen = normal | {t for sk in plan.model.anomalous for r in sk.runs for t in r.unit.tokens}

    def fits(unit: Unit) -> bool:
        # an event no real session printed joins one only if it can print the session's identifier
        return all(t in seen or joinable(sid) for t, sid in zip(unit.tokens, unit.statements, strict=True))

    def failing(unit: Unit) -> bool:
        path = by_id.get(unit.path)
        if path is None or set(unit.tokens) <= normal or not fits(unit):
            return False
        return failing_path(path) or bool(anomaly_only.intersection(unit.tokens)) or louder(unit)

    def safe(unit: Unit) -> bool:
        path = by_id.get(unit.path)
        if path is None or anomaly_only.intersection(unit.tokens) or not fits(unit) or louder(unit):
            return False
        return set(unit.tokens) <= normal or not failing_path(path)

    # A failure only real anomalies print is never recovered from.
    def succeeds(unit: Unit) -> bool:
        return unit.path in by_id and set(unit.tokens) <= normal and not failing_path(by_id[unit.path])

    recovery = Recovery(lambda u: failing(u) and not anomaly_only.intersection(u.tokens), succeeds,
                        lambda sid: sid in retry_lines)
    sessions = []
    for index in range(count):
        composed = plan.model.compose(index, seed, settings, plan.catalog, safe, failing, recovery)
        base = EPOCH + index * SESSION_SPACING_S
        span = min(SESSION_SPACING_S / 2, SECONDS_PER_EVENT * len(composed.events))
        step = span / max(1, len(composed.events))
        events = tuple(SynthEvent(unit.statements[i], unit.path, unit.entry, (), round(base + n * step, 3),
                                  run) for n, (unit, i, run) in enumerate(composed.events))
        order = tuple(dict.fromkeys(e.path for e in events))
        telling = sorted({unit.statements[i] for unit, i, _ in composed.events
                          if unit.tokens[i] in anomaly_only})
        reasons = composed.reasons + tuple(f"prints {sid}, {REAL_ANOMALY_REASON}" for sid in telling)
        sessions.append(SynthSession(f"syn-{index:05d}", events, order, {}, composed.label, composed.label,
                                     STRUCTURE_LABEL, reasons))
    return sessions


IDENTIFIER_SHARE = 0.8
"""Share of the statements real sessions print that must carry one value kind for it to be the
session's identifier (a block id on HDFS: every block line prints ``blk_``)."""


def identifier_carriers(kinds: Mapping[str, Collection[object]],
                        shown: Collection[str]) -> Callable[[str], bool]:
    """Statements that can print the identifier holding real sessions together: ``kinds`` gives
    each statement's slot value kinds, ``shown`` the statements real sessions print. The
    identifier is the kind most of ``shown`` carry; with none, every statement can join (a
    daemon's ``In DataNode.run`` line prints no block and never belongs to a block's session)."""
    counted: dict[object, int] = {}
    for sid in shown:
        for kind in set(kinds.get(sid, ())):
            counted[kind] = counted.get(kind, 0) + 1
    best = max(counted.items(), key=lambda kv: kv[1], default=None)
    if best is None or best[1] < IDENTIFIER_SHARE * len(shown):
        return lambda sid: True
    kind = best[0]
    return lambda sid: kind in kinds.get(sid, ())
