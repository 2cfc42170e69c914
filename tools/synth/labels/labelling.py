"""The labels stage: rule labels (recovery-aware, informed by real labels), then LLM refinement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anomalygen.tools.synth.labels.refine import refine
from anomalygen.tools.synth.labels.rules import REAL_ANOMALY_REASON, LabelRules, label_sessions
from anomalygen.tools.synth.model import SynthSession

from anomalygen.llm.base import LLMBackend
from anomalygen.records import LogStatement, Path


@dataclass(frozen=True, slots=True)
class Labelled:
    sessions: list[SynthSession]
    stats: dict[str, Any]
    """How many sessions each rule and the LLM labelled, and where final labels came from."""


def label_all(sessions: Sequence[SynthSession], kept: Iterable[Path], statements: Mapping[str, LogStatement],
              rules: LabelRules, anomalous_only: Iterable[str], backend: LLMBackend, *,
              concurrency: int, max_sessions: int) -> Labelled:
    """Label every session by the rules, then let the LLM (at most ``max_sessions`` requests)
    overturn rule labels it disagrees with; both labels are kept on each session."""
    paths_by_id = {p.id: p for p in kept}
    labeled = label_sessions(sessions, paths_by_id, statements, rules, frozenset(anomalous_only))
    outcome = refine(labeled, statements, backend, concurrency=concurrency, max_sessions=max_sessions)
    final = outcome.sessions
    stats = {
        "rule_anomalous": sum(s.rule_label == 1 for s in final),
        "rule_normal": sum(s.rule_label == 0 for s in final),
        "recovered_by_retry": sum(1 for s in final
                                  if s.rule_label == 0 and any("recovered" in r for r in s.reasons)),
        "relabelled_by_real_anomalies": sum(
            1 for s in labeled if s.rule_label == 1 and any(REAL_ANOMALY_REASON in r for r in s.reasons)),
        "llm_requests": outcome.requests, "llm_changed": outcome.changed, "llm_failures": outcome.failures,
        "final_sources": dict(sorted(Counter(s.label_source for s in final).items())),
    }
    return Labelled(final, stats)
