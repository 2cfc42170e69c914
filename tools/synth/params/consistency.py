"""Context consistency: does every value a session prints twice agree with itself?

A session *shares* a value when two or more slot occurrences must print the same thing: an
identifier role (the block, the session, a peer: per session, or per run for a peer each run draws
itself, and per turn of a loop that prints it again within the run), a byte size of one object,
or any other source variable printed twice within one run of a path
(the same expression of the same method). It is consistent when every shared value is
printed one way (after removing per-slot formatting such as a ``0x`` prefix). The score is
consistent sessions / sessions with a shared value; AnomalyGen's reference implementation scores
0.33, because it fills each line's slots independently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anomalygen.tools.synth.params.plan import SESSION, ParameterPlan
from anomalygen.tools.synth.params.roles import canonical

Occurrence = tuple[str, Sequence[str], int]
"""(statement id, its slot values, the run that printed it)."""


@dataclass(frozen=True, slots=True)
class Consistency:
    sessions: int
    shared: int
    """Sessions with at least one value that must be printed twice or more."""
    consistent: int
    """Of those, sessions where every such value is printed one way."""

    @property
    def score(self) -> float:
        """1.0 when no session shares a value (nothing could disagree)."""
        return self.consistent / self.shared if self.shared else 1.0

    def to_dict(self) -> dict[str, float | int]:
        return {"sessions": self.sessions, "shared": self.shared, "consistent": self.consistent,
                "score": round(self.score, 4)}


def session_agrees(plan: ParameterPlan, events: Iterable[Occurrence]) -> tuple[bool, bool]:
    """(has a shared value, every shared value is printed one way) for one session's events."""
    values: dict[tuple[str, int, int], set[str]] = {}
    occurrences: dict[tuple[str, int, int], int] = {}
    printed: Counter[tuple[str, int]] = Counter()
    for statement, params, run in events:
        turn = printed[statement, run]  # a loop's next turn has its own per-run values
        printed[statement, run] += 1
        for slot in plan.slots.get(statement, ()):
            if slot.index >= len(params):
                continue
            role = slot.role.role
            if role is not None:
                key = (role, -1, 0) if slot.scope == SESSION else (role, run, turn)
                value = canonical(params[slot.index], slot.role.kind)
            elif slot.variable:
                key, value = (f"var:{slot.variable}", run, 0), params[slot.index]
            else:
                continue
            values.setdefault(key, set()).add(value)
            occurrences[key] = occurrences.get(key, 0) + 1
    shared = [key for key, count in occurrences.items() if count >= 2]
    return bool(shared), all(len(values[key]) == 1 for key in shared)


def measure(plan: ParameterPlan, sessions: Iterable[Sequence[Occurrence]]) -> Consistency:
    total = shared = consistent = 0
    for events in sessions:
        total += 1
        has_shared, agrees = session_agrees(plan, events)
        if has_shared:
            shared += 1
            consistent += int(agrees)
    return Consistency(total, shared, consistent)
