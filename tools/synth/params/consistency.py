"""Context consistency: do a session's shared identifiers agree everywhere?

A session *shares* an identifier role when two or more of its slot occurrences have that role
(two lines naming the block, the session, the source address). It is consistent when every shared
role prints one value (after removing per-slot formatting such as a ``0x`` prefix). The score is
consistent sessions / sessions with a shared role; AnomalyGen's reference implementation scores
0.33, because it fills each line's slots independently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anomalygen.tools.synth.params.plan import ParameterPlan
from anomalygen.tools.synth.params.roles import canonical


@dataclass(frozen=True, slots=True)
class Consistency:
    sessions: int
    shared: int
    """Sessions with at least one identifier role that occurs twice or more."""
    consistent: int
    """Of those, sessions where every shared role has a single value."""

    @property
    def score(self) -> float:
        """1.0 when no session shares an identifier (nothing could disagree)."""
        return self.consistent / self.shared if self.shared else 1.0

    def to_dict(self) -> dict[str, float | int]:
        return {"sessions": self.sessions, "shared": self.shared, "consistent": self.consistent,
                "score": round(self.score, 4)}


def session_agrees(plan: ParameterPlan, events: Iterable[tuple[str, Sequence[str]]]) -> tuple[bool, bool]:
    """(has a shared role, every shared role has one value) for ``(statement, params)`` events."""
    values: dict[str, set[str]] = {}
    occurrences: dict[str, int] = {}
    for statement, params in events:
        for slot in plan.slots.get(statement, ()):
            role = slot.role.role
            if role is None or slot.index >= len(params):
                continue
            values.setdefault(role, set()).add(canonical(params[slot.index], slot.role.kind))
            occurrences[role] = occurrences.get(role, 0) + 1
    shared = [role for role, count in occurrences.items() if count >= 2]
    return bool(shared), all(len(values[role]) == 1 for role in shared)


def measure(plan: ParameterPlan, sessions: Iterable[Sequence[tuple[str, Sequence[str]]]]) -> Consistency:
    total = shared = consistent = 0
    for events in sessions:
        total += 1
        has_shared, agrees = session_agrees(plan, events)
        if has_shared:
            shared += 1
            consistent += int(agrees)
    return Consistency(total, shared, consistent)
