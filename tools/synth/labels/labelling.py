"""The labels stage: rule labels (recovery-aware, informed by real labels), then LLM refinement.

Sessions composed from real structure arrive labelled (``compose/structured``: the real data
decided); for them the rules only report, and disagreements between a label and the levels and
wording of its own lines are counted with their reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anomalygen.llm.base import LLMBackend
from anomalygen.records import LogStatement, Path
from anomalygen.tools.synth.compose.structured import STRUCTURE_LABEL
from anomalygen.tools.synth.labels.refine import refine
from anomalygen.tools.synth.labels.rules import (
    LabelRules,
    label_session,
    label_sessions,
    statement_failures,
)
from anomalygen.tools.synth.model import REAL_ANOMALY_REASON, SynthSession


@dataclass(frozen=True, slots=True)
class Labelled:
    sessions: list[SynthSession]
    stats: dict[str, Any]
    """How many sessions each rule and the LLM labelled, where final labels came from, and how
    often a label disagrees with its own lines."""


def disagreements(sessions: Iterable[SynthSession], statements: Mapping[str, LogStatement],
                  rules: LabelRules) -> dict[str, Any]:
    """Anomalous sessions with no failure line (level or wording), normal ones with one, and the
    statements behind the latter (a WARN real normal sessions print is no failure of theirs)."""
    quiet_anomalies = 0
    loud_normals: Counter[str] = Counter()
    normal_with = 0
    for session in sessions:
        failing = sorted({e.statement for e in session.events if e.statement in statements
                          and statement_failures(statements[e.statement], rules)})
        if session.label == 1 and not failing:
            quiet_anomalies += 1
        elif session.label == 0 and failing:
            normal_with += 1
            loud_normals.update(failing)
    return {"anomalous_without_failure_line": quiet_anomalies, "normal_with_failure_line": normal_with,
            "failure_lines_in_normal_sessions": dict(loud_normals.most_common(10))}


def label_all(sessions: Sequence[SynthSession], kept: Iterable[Path], statements: Mapping[str, LogStatement],
              rules: LabelRules, anomalous_only: Iterable[str], backend: LLMBackend, *,
              concurrency: int, max_sessions: int) -> Labelled:
    """Label every session by the rules, then let the LLM (at most ``max_sessions`` requests)
    overturn rule labels it disagrees with; both labels are kept on each session. A session the
    real structure labelled keeps its label, with the rules' opinion beside it."""
    paths_by_id = {p.id: p for p in kept}
    decided = [s for s in sessions if s.label_source == STRUCTURE_LABEL and s.label is not None]
    open_ = [s for s in sessions if not (s.label_source == STRUCTURE_LABEL and s.label is not None)]
    labeled = label_sessions(open_, paths_by_id, statements, rules, frozenset(anomalous_only))
    outcome = refine(labeled, statements, backend, concurrency=concurrency, max_sessions=max_sessions)
    by_id = {s.id: s for s in outcome.sessions}
    for session in decided:
        rule, _ = label_session(session, paths_by_id, statements, rules)
        by_id[session.id] = session.labeled(rule, int(session.label or 0), STRUCTURE_LABEL, session.reasons)
    final = [by_id[s.id] for s in sessions]
    stats = {
        "rule_anomalous": sum(s.rule_label == 1 for s in final),
        "rule_normal": sum(s.rule_label == 0 for s in final),
        "recovered_by_retry": sum(1 for s in final
                                  if s.rule_label == 0 and any("recovered" in r for r in s.reasons)),
        "relabelled_by_real_anomalies": sum(
            1 for s in final if (s.label == 1 if s.label_source == STRUCTURE_LABEL else s.rule_label == 1)
            and any(REAL_ANOMALY_REASON in r for r in s.reasons)),
        "llm_requests": outcome.requests, "llm_changed": outcome.changed, "llm_failures": outcome.failures,
        "final_sources": dict(sorted(Counter(s.label_source for s in final).items())),
        "disagreements": disagreements(final, statements, rules),
    }
    return Labelled(final, stats)
