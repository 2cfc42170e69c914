"""Synthetic sessions as they travel through the pipeline: plain, JSON-able and checkpointable.

A synthetic event keeps its provenance (the path and entry point that printed it) next to the
statement id and the values, so export never has to guess where a line came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from anomalygen.records import Event, Session

REAL_ANOMALY_REASON = "seen only in real anomalous sessions"
"""Ends the reason of a session labelled anomalous because it prints a statement that only real
anomalous sessions print (counted in run stats)."""


@dataclass(frozen=True, slots=True)
class SynthEvent:
    statement: str
    path: str
    entry: str
    params: tuple[str, ...] = ()
    timestamp: float = 0.0
    run: int = 0
    """Which run of a path in its session printed the event (a session may run one path several
    times: three datanodes receive one block); the variables of one run print one value."""

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "path": self.path, "entry": self.entry,
                "params": list(self.params), "timestamp": self.timestamp, "run": self.run}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SynthEvent:
        return cls(data["statement"], data["path"], data["entry"], tuple(data.get("params", ())),
                   float(data.get("timestamp", 0.0)), int(data.get("run", 0)))


@dataclass(frozen=True, slots=True)
class SynthSession:
    """A composed session: paths of one or more entry points, interleaved, with values and labels."""

    id: str
    events: tuple[SynthEvent, ...]
    paths: tuple[str, ...]
    """Path ids in the order their first line appears."""
    retry_of: dict[str, str] = field(default_factory=dict)
    """Path id of a retry -> the failed path it repeats (the composer adds these on purpose)."""
    rule_label: int | None = None
    label: int | None = None
    """The final label: the rule label, or the LLM's refinement when one was made."""
    label_source: str = ""
    """``rules``, ``llm`` or ``rules-fallback`` (the LLM was asked and failed)."""
    reasons: tuple[str, ...] = ()
    """Why the rules called it anomalous (or which failure a retry recovered)."""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "events": [e.to_dict() for e in self.events], "paths": list(self.paths),
                "retry_of": dict(self.retry_of), "rule_label": self.rule_label, "label": self.label,
                "label_source": self.label_source, "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SynthSession:
        return cls(
            id=data["id"],
            events=tuple(SynthEvent.from_dict(e) for e in data["events"]),
            paths=tuple(data.get("paths", ())),
            retry_of=dict(data.get("retry_of", {})),
            rule_label=data.get("rule_label"),
            label=data.get("label"),
            label_source=data.get("label_source", ""),
            reasons=tuple(data.get("reasons", ())),
        )

    def labeled(self, rule_label: int, label: int, source: str, reasons: tuple[str, ...]) -> SynthSession:
        return replace(self, rule_label=rule_label, label=label, label_source=source, reasons=reasons)

    def to_session(self) -> Session:
        """The shared domain record (what detectors and tools/logs speak)."""
        return Session(
            id=self.id,
            events=tuple(Event(e.statement, e.params, e.timestamp) for e in self.events),
            label=self.label,
            source="synthetic",
            paths=self.paths,
        )
