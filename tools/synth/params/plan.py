"""Parameter synthesis: a plan for every slot, then session-bound values.

``build_plan`` looks at every slot of the statements on the kept paths once: its kind and binding
role (``roles``), the values real logs showed for it, and LLM proposals for slots nothing else
knows how to fill. ``SessionFiller`` then fills a session's events from the plan. Sources, in
order: identifier slots take the session's bound value (chosen once per session, see below); other slots
take a value observed for the same statement in real logs, else a type/name generator, else an
LLM proposal, else a token derived from the slot's name.

Block and session ids are generated fresh per session rather than copied from real logs: reusing
a real block id or session id would merge a synthetic session into a real one for any tool that
groups lines by identifier. Peer identifiers (addresses, hosts, server ids) are drawn from the
values real logs showed for the slot, since a cluster has a fixed set of peers; peers no real line
showed come from the run's cluster (``cluster``), so one run prints one set of machines.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from anomalygen.tools.synth.params.cluster import PEER_KINDS, Cluster, cluster_for
from anomalygen.tools.synth.params.generators import generate, has_generator
from anomalygen.tools.synth.params.roles import (
    UNIQUE_KINDS,
    SlotRole,
    ValueKind,
    canonical,
    classify,
    present,
)
from anomalygen.tools.synth.render import slot_surroundings

from anomalygen.records import LogStatement

_EMBEDDED_ID = re.compile(r"blk_-?\d+|0x[0-9a-fA-F]{8,}")
"""A block or session id inside a free-text value: reusing it would plant another session's id."""
_ID_KINDS = frozenset({ValueKind.BLOCK_ID, ValueKind.SESSION_ID, ValueKind.ZXID})

MAX_OBSERVED_PER_SLOT = 50
"""Distinct real values kept per slot: enough variety, bounded state size."""


@dataclass(frozen=True, slots=True)
class SlotPlan:
    """How one slot of one statement is filled."""

    statement: str
    index: int
    role: SlotRole
    observed: tuple[str, ...] = ()
    """Distinct values real logs printed for this slot, first seen first."""
    proposals: tuple[str, ...] = ()
    """LLM-proposed values that passed the type check."""

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "index": self.index, "kind": self.role.kind.value,
                "name": self.role.name, "role": self.role.role, "bare": self.role.bare,
                "type": self.role.type_name,
                "observed": list(self.observed), "proposals": list(self.proposals)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlotPlan:
        role = SlotRole(kind=ValueKind(data["kind"]), name=data["name"], role=data["role"],
                        bare=bool(data.get("bare", False)), type_name=str(data.get("type", "")))
        return cls(statement=data["statement"], index=int(data["index"]), role=role,
                   observed=tuple(data.get("observed", ())), proposals=tuple(data.get("proposals", ())))

    @property
    def source(self) -> str:
        """Where this slot's non-identifier values come from (for the report)."""
        if self.role.role is not None:
            return "session-bound"
        if self.observed:
            return "observed"
        if has_generator(self.role.kind):
            return "generator"
        if self.proposals:
            return "llm"
        return "fallback"


@dataclass(slots=True)
class ParameterPlan:
    """Slot plans by statement id, in slot order."""

    slots: dict[str, tuple[SlotPlan, ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {sid: [p.to_dict() for p in plans] for sid, plans in sorted(self.slots.items())}

    @classmethod
    def from_dict(cls, data: Mapping[str, Sequence[Mapping[str, Any]]]) -> ParameterPlan:
        return cls({sid: tuple(SlotPlan.from_dict(p) for p in plans) for sid, plans in data.items()})

    def roles(self, statement: str) -> list[str | None]:
        return [p.role.role for p in self.slots.get(statement, ())]

    def source_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for plans in self.slots.values():
            for plan in plans:
                counts[plan.source] = counts.get(plan.source, 0) + 1
        return dict(sorted(counts.items()))

    def observed_peers(self) -> list[str]:
        """Every value real logs showed in an address or IP slot, first seen first."""
        return [value for plans in self.slots.values() for p in plans
                if p.role.kind in (ValueKind.ADDRESS, ValueKind.IP) for value in p.observed]

    def needing_proposals(self) -> list[SlotPlan]:
        """Slots no observed value or generator can fill: the only ones worth an LLM call."""
        return [p for plans in self.slots.values() for p in plans
                if p.role.role is None and not p.observed and not has_generator(p.role.kind)]

    def with_proposals(self, proposals: Mapping[tuple[str, int], Sequence[str]]) -> ParameterPlan:
        updated: dict[str, tuple[SlotPlan, ...]] = {}
        for sid, plans in self.slots.items():
            updated[sid] = tuple(
                SlotPlan(p.statement, p.index, p.role, p.observed, tuple(proposals.get((sid, p.index), ())))
                for p in plans)
        return ParameterPlan(updated)


def build_plan(
    statements: Iterable[LogStatement],
    observed: Mapping[str, Sequence[Sequence[str]]] | None = None,
) -> ParameterPlan:
    """Classify every slot of ``statements`` and attach the values real logs showed for it."""
    observed = observed or {}
    plan = ParameterPlan()
    for statement in sorted(statements, key=lambda s: s.id):
        surroundings = slot_surroundings(statement)
        rows = observed.get(statement.id, ())
        plans: list[SlotPlan] = []
        for slot in sorted(statement.slots, key=lambda s: s.index):
            position = slot.index if 0 <= slot.index < len(surroundings) else len(plans)
            role = classify(slot, *(surroundings[position] if position < len(surroundings) else ("", "")))
            seen: dict[str, None] = {}
            for row in rows:
                if position < len(row) and len(seen) < MAX_OBSERVED_PER_SLOT:
                    value = str(row[position])
                    if role.kind in _ID_KINDS or not _EMBEDDED_ID.search(value):
                        seen.setdefault(value, None)
            plans.append(SlotPlan(statement.id, position, role, tuple(seen)))
        plan.slots[statement.id] = tuple(plans)
    return plan


@dataclass(slots=True)
class _SessionState:
    binding: dict[str, str] = field(default_factory=dict)
    """Role -> canonical value: one value per role per session."""
    hosts: set[int] = field(default_factory=set)
    """Cluster hosts this session's peer roles already use."""


class SessionFiller:
    """Fills the events of one session at a time; reproducible for a seed and a session key."""

    def __init__(self, plan: ParameterPlan, seed: int, *, bind: bool = True,
                 cluster: Cluster | None = None) -> None:
        self.plan = plan
        self.seed = seed
        self.bind = bind
        """False only to measure the unbound baseline: every slot then draws independently."""
        self.cluster = cluster if cluster is not None else cluster_for(plan.observed_peers(), seed)

    def fill(self, session_key: str, statements: Sequence[str]) -> list[tuple[str, ...]]:
        """Slot values for each statement of the session, in order."""
        rng = random.Random(f"{self.seed}:params:{session_key}")
        session = _SessionState()
        return [tuple(self._value(p, rng, session) for p in self.plan.slots.get(sid, ()))
                for sid in statements]

    def _value(self, plan: SlotPlan, rng: random.Random, session: _SessionState) -> str:
        role = plan.role.role
        binding = session.binding
        if role is not None and self.bind:
            if role not in binding:
                # Peers (addresses, hosts, server ids, paths) come from the real cluster when logs
                # showed them, else from the run's cluster; per-session ids (block, session) are
                # always fresh.
                if plan.role.kind in UNIQUE_KINDS or not plan.observed:
                    value = (self.cluster.draw(plan.role, rng, session.hosts)
                             if plan.role.kind in PEER_KINDS else generate(plan.role, rng))
                else:
                    value = rng.choice(plan.observed)
                    if plan.role.kind in PEER_KINDS:
                        self.cluster.claim(value, session.hosts)
                binding[role] = canonical(value, plan.role.kind)
            return present(binding[role], plan.role)
        if role is not None:
            return generate(plan.role, rng)
        if plan.observed:
            return rng.choice(plan.observed)
        if not has_generator(plan.role.kind) and plan.proposals:
            return rng.choice(plan.proposals)
        return generate(plan.role, rng)
