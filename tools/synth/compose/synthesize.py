"""The sessions stage: compose kept paths into sessions shaped like the real ones, then fill values."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anomalygen.records import Level, LogStatement, Path
from anomalygen.tools.synth.compose.retry import retry_sources
from anomalygen.tools.synth.compose.sessions import ComposeSettings, compose, fill, learn_entry_order
from anomalygen.tools.synth.compose.structured import compose_structured, identifier_carriers, learn
from anomalygen.tools.synth.compose.timeline import (
    DEFAULT_RECOVERY_RATE,
    DEFAULT_VARIANT_RATE,
    TimelineSettings,
)
from anomalygen.tools.synth.labels.rules import (
    LabelRules,
    failure_level_lines,
    failure_reasons,
    retry_lines,
    statement_failures,
)
from anomalygen.tools.synth.model import SynthSession
from anomalygen.tools.synth.params.cluster import PeerReuse
from anomalygen.tools.synth.params.consistency import measure
from anomalygen.tools.synth.params.plan import ParameterPlan, SessionFiller
from anomalygen.tools.synth.real_logs import RealLogs
from anomalygen.tools.synth.structure import RealStructure


def silenced(statements: Mapping[str, LogStatement], observed: str | None, setting: str) -> frozenset[str]:
    """Statements below the deployment's log level. ``setting``: ``auto`` (the least severe level
    the real logs show; nothing without real logs), ``none`` (keep every statement) or a level."""
    if setting == "none" or (setting == "auto" and observed is None):
        return frozenset()
    threshold = Level.parse(observed if setting == "auto" and observed is not None else setting)
    return frozenset(sid for sid, st in statements.items() if st.level.severity < threshold.severity)


@dataclass(frozen=True, slots=True)
class Synthesized:
    sessions: list[SynthSession]
    """Composed sessions with their slot values bound per session."""
    consistency: dict[str, Any]
    """Context consistency of ``sessions`` (``bound``) and of the same sessions with every slot
    drawn alone (``unbound``, the baseline)."""
    stats: dict[str, Any]


def _events(items: Iterable[SynthSession]) -> Iterator[list[tuple[str, tuple[str, ...], int]]]:
    return ([(e.statement, e.params, e.run) for e in s.events] for s in items)


DEFAULT_ANOMALY_SHARE = 0.03
"""Anomalous share when no real labels say otherwise (HDFS's labelled rate is 2.9%)."""
MIN_JUDGED_SESSIONS = 20
"""Fewer real sessions than this give no failing rate to follow."""
MIN_STRUCTURED_SESSIONS = 1000
"""Default session count when real structure is used (or one per real session, if more)."""


def _observed_level(real: RealLogs | None, statements: Mapping[str, LogStatement],
                    key_of: Mapping[str, str]) -> str | None:
    """The least severe level the real data shows: real log lines, else the statements a given
    vocabulary describes (a vocabulary drawn from a deployment's log holds only what it printed)."""
    if real is not None and real["min_level"] is not None:
        return real["min_level"]
    levels = [statements[sid].level for sid in key_of if sid in statements]
    return min(levels, key=lambda level: level.severity).value if levels else None


def real_sessions(real: RealLogs | None, structure: RealStructure | None,
                  token: Callable[[str], str | None]) -> list[tuple[list[str], int | None]]:
    """Every real session as events (tokens) with its label: the key sessions when given, else the
    real log's sessions."""
    sessions: list[tuple[list[str], int | None]] = []
    if structure is not None and structure["sessions"]:
        # Whole sessions given as keys come first; a log then only lends its values (a sampled log
        # such as loghub's HDFS_2k shows most blocks by one line: fragments, not structure).
        return [(list(keys), 0) for keys in structure["sessions"]]
    if real is not None:
        labels = real.get("first_labels") or [None] * len(real["first_orders"])
        for order, label in zip(real["first_orders"], labels, strict=False):
            events = [t for sid in order if (t := token(sid)) is not None]
            if events:
                sessions.append((events, label))
    return sessions


def _judged_share(sessions: Sequence[tuple[list[str], int | None]], statements: Mapping[str, LogStatement],
                  rules: LabelRules) -> float:
    """The share of real sessions labelled anomalous, or printing a failure where unlabelled
    (``DEFAULT_ANOMALY_SHARE`` when none is)."""
    if len(sessions) < MIN_JUDGED_SESSIONS:  # two sessions, one failing, is no rate
        return DEFAULT_ANOMALY_SHARE
    anomalous = sum(1 for tokens, label in sessions
                    if label == 1 or (label is None and any(
                        sid in statements and statement_failures(statements[sid], rules) for sid in tokens)))
    return anomalous / len(sessions) if anomalous else DEFAULT_ANOMALY_SHARE


MIN_REUSE_EVIDENCE = 20
"""Hosts that could have been printed again it takes before the real reuse rate is followed."""


def reuse_rate(real: RealLogs | None) -> float:
    """How often real sessions print one of their hosts again (0 without enough of them to tell)."""
    reused, could = (real.get("peer_reuse") or [0, 0]) if real is not None else [0, 0]
    return reused / could if could >= MIN_REUSE_EVIDENCE else 0.0


def _peer_reuse(sessions: Iterable[SynthSession]) -> float:
    """How often the sessions print one of their hosts again (``PeerReuse``), for the report."""
    tally = PeerReuse()
    for session in sessions:
        tally.new_session()
        for event in session.events:
            tally.add(event.statement, event.params)
    return tally.reused / tally.possible if tally.possible else 0.0


def synthesize_sessions(kept: Sequence[Path], statements: Mapping[str, LogStatement], plan: ParameterPlan,
                        real: RealLogs | None, rules: LabelRules, *, seed: int, count: int | None,
                        min_level: str, callees: Callable[[str], Collection[str]],
                        structure: RealStructure | None = None, anomaly_share: float | None = None,
                        variant_rate: float = DEFAULT_VARIANT_RATE) -> Synthesized:
    """Sessions of the kept paths. When real sessions (``real`` logs or ``structure`` key sessions)
    show enough structure, sessions recombine them with new valid paths (``structured``), labelled
    as the real data says, ``anomaly_share`` of them anomalous (None: the real labelled rate, else
    ``DEFAULT_ANOMALY_SHARE``). Otherwise sessions are composed from the paths alone, coupled with
    the retries the source shows (``callees``: a method's callees). Statements below the
    deployment's level are left out; values are bound per session."""
    key_of = structure["key_of"] if structure else {}
    silent = silenced(statements, _observed_level(real, statements, key_of), min_level)

    def token(sid: str) -> str | None:
        return None if sid in silent else key_of.get(sid, sid)

    def failing(path: Path) -> bool:
        return bool(failure_reasons(path, statements, rules))

    sessions = real_sessions(real, structure, token)
    stats: dict[str, Any] = {"silent_statements": len(silent), "real_sessions": len(sessions)}
    learned = learn(kept, statements, sessions, token,
                    lambda sid: sid in statements and bool(statement_failures(statements[sid], rules))
                    ) if sessions else None
    if learned is not None and learned.model.usable:
        labelled = [label for _, label in sessions if label is not None]
        share = anomaly_share if anomaly_share is not None else (
            sum(labelled) / len(labelled) if labelled and any(labelled) else DEFAULT_ANOMALY_SHARE)
        total = count if count is not None else max(MIN_STRUCTURED_SESSIONS, len(sessions))
        shown_tokens = {t for sk in learned.model.normal + learned.model.anomalous for r in sk.runs
                        for t in r.unit.tokens}
        shown = {sid for unit in learned.catalog.units
                 for t, sid in zip(unit.tokens, unit.statements, strict=True) if t in shown_tokens}
        kinds = {sid: [slot.role.kind for slot in plan.slots.get(sid, ())] for sid in statements}
        # a failure someone retries is a valid path to add even where the real sample shows none;
        # one nobody retries only as often as the real normal sessions allow
        timeline = TimelineSettings(variant_rate=variant_rate, anomaly_share=share,
                                    recovery_rate=max(DEFAULT_RECOVERY_RATE, learned.model.recovered_share),
                                    unretried_recovery_rate=learned.model.recovery_rate)
        composed = compose_structured(learned, kept, failing, seed=seed, count=total, settings=timeline,
                                      retry_lines=retry_lines(statements, rules),
                                      joinable=identifier_carriers(kinds, shown),
                                      severity=lambda sid: statements[sid].level.severity
                                      if sid in statements else 0)
        stats["structure"] = {"used": True, "anomaly_share": round(share, 4), **learned.model.summary()}
    else:
        # only the first sessions of a long log are kept for structure: say so beside its total
        read = f" read of {real['sessions']}" if real is not None and real["sessions"] > len(sessions) else ""
        why = "no real sessions" if learned is None else (
            f"real sessions are fragments ({learned.model.whole_sessions} of the "
            f"{len(sessions)}{read} hold two events or more): composed from the source's paths alone")
        stats["structure"] = {"used": False, "why": why}
        precedence = {(a, b): n for a, b, n in (real["precedence"] if real else [])}
        entry_order = learn_entry_order(real["first_orders"] if real else [], kept)
        retries = retry_sources(kept, retry_lines(statements, rules), failure_level_lines(statements, rules),
                                callees, failing)
        # the real log's failure rate where one is given (its sessions are too short to copy, not to
        # count): a system's many error branches must not make most sessions anomalous
        drive_share = anomaly_share if anomaly_share is not None else (
            _judged_share(sessions, statements, rules) if sessions else None)
        stats["structure"]["anomaly_share"] = None if drive_share is None else round(drive_share, 4)
        settings = ComposeSettings(seed=seed, sessions=count, silent=silent, anomaly_share=drive_share)
        composed = compose(kept, plan, failing, settings, precedence, entry_order, retries)
    reuse = reuse_rate(real)
    bound = fill(composed, SessionFiller(plan, seed, reuse=reuse))
    unbound = fill(composed, SessionFiller(plan, seed, bind=False))
    printed = (e.statement for s in bound for e in s.events)
    stats["values"] = {"invented_share": round(plan.invented_share(printed), 4),
                       "peer_reuse_real": round(reuse, 4),
                       "peer_reuse_synthetic": round(_peer_reuse(bound), 4)}
    return Synthesized(bound, {"bound": measure(plan, _events(bound)).to_dict(),
                               "unbound": measure(plan, _events(unbound)).to_dict()}, stats)
