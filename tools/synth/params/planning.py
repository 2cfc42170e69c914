"""The parameters stage: a plan for every slot on the kept paths, with LLM proposals merged in."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from anomalygen.llm.base import LLMBackend
from anomalygen.records import LogStatement, Path
from anomalygen.tools.synth.params.plan import SESSION, ParameterPlan, build_plan
from anomalygen.tools.synth.params.proposals import propose


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    plan: ParameterPlan
    stats: dict[str, Any]
    """Proposal requests, failures, rejected values and the count of slots per value source."""


def plan_parameters(statements: Mapping[str, LogStatement], kept: Sequence[Path],
                    observed: Mapping[str, Sequence[Sequence[str]]], backend: LLMBackend, *,
                    concurrency: int, max_statements: int, repeated: Collection[str] = ()) -> PlanOutcome:
    """Classify every slot of the statements the kept paths print, attach the values real logs
    showed, and ask the LLM (at most ``max_statements`` requests) for slots nothing else can fill.
    ``repeated``: statements real sessions print several times (their peers are drawn per run)."""
    on_kept = sorted({sid for path in kept for sid in path.statements})
    plan = build_plan([statements[sid] for sid in on_kept], observed, repeated)
    outcome = propose(plan.needing_proposals(), statements, backend, concurrency=concurrency,
                      max_statements=max_statements)
    plan = plan.with_proposals(outcome.values)
    return PlanOutcome(plan, {"requests": outcome.requests, "failures": outcome.failures,
                              "rejected": outcome.rejected, "sources": plan.source_counts(),
                              "per_run_slots": sum(p.scope != SESSION for ps in plan.slots.values()
                                                   for p in ps)})
