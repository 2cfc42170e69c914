"""The sessions stage: compose kept paths into sessions shaped like the real ones, then fill values."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anomalygen.tools.synth.compose.retry import retry_sources
from anomalygen.tools.synth.compose.sessions import ComposeSettings, compose, fill, learn_entry_order
from anomalygen.tools.synth.labels.rules import LabelRules, failure_level_lines, failure_reasons, retry_lines
from anomalygen.tools.synth.model import SynthSession
from anomalygen.tools.synth.params.consistency import measure
from anomalygen.tools.synth.params.plan import ParameterPlan, SessionFiller
from anomalygen.tools.synth.real_logs import RealLogs

from anomalygen.records import Level, LogStatement, Path


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


def _events(items: Iterable[SynthSession]) -> Iterator[list[tuple[str, tuple[str, ...]]]]:
    return ([(e.statement, e.params) for e in s.events] for s in items)


def synthesize_sessions(kept: Sequence[Path], statements: Mapping[str, LogStatement], plan: ParameterPlan,
                        real: RealLogs | None, rules: LabelRules, *, seed: int, count: int | None,
                        min_level: str, callees: Callable[[str], Collection[str]]) -> Synthesized:
    """Sessions of the kept paths: shaped and ordered like the real sessions when ``real`` is
    given, failures coupled with the retries the source shows (``callees``: a method's callees),
    statements below the deployment's level left out, values bound per session."""
    precedence = {(a, b): n for a, b, n in (real["precedence"] if real else [])}
    entry_order = learn_entry_order(real["first_orders"] if real else [], kept)
    silent = silenced(statements, real["min_level"] if real else None, min_level)

    def failing(path: Path) -> bool:
        return bool(failure_reasons(path, statements, rules))

    retries = retry_sources(kept, retry_lines(statements, rules), failure_level_lines(statements, rules),
                            callees, failing)
    composed = compose(kept, plan, failing, ComposeSettings(seed=seed, sessions=count, silent=silent),
                       precedence, entry_order, retries)
    bound = fill(composed, SessionFiller(plan, seed))
    unbound = fill(composed, SessionFiller(plan, seed, bind=False))
    return Synthesized(bound, {"bound": measure(plan, _events(bound)).to_dict(),
                               "unbound": measure(plan, _events(unbound)).to_dict()},
                       {"silent_statements": len(silent)})
