"""Domain records shared by every room.

One event vocabulary: an event id is a ``LogStatement.id``, for real and synthetic data alike.
Records are frozen, slotted dataclasses so they are cheap, hashable and safe to pass between
graph nodes; ``to_dict``/``from_dict`` give the JSON form used on disk and on stdout.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    """Log levels, ordered from least to most severe (JUL levels are mapped onto these)."""

    TRACE = "TRACE"
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARN = "WARN"
    ERROR = "ERROR"
    FATAL = "FATAL"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @classmethod
    def parse(cls, text: str) -> Level:
        """Parse a level name as written in code or logs (``warning``, ``SEVERE``, ``Fine``...)."""
        key = text.strip().upper()
        alias = _ALIASES.get(key, key)
        try:
            return cls(alias)
        except ValueError as exc:
            raise ValueError(f"unknown log level {text!r}") from exc


_SEVERITY = {lvl: i for i, lvl in enumerate(Level)}
_ALIASES = {
    "WARNING": "WARN",
    "SEVERE": "ERROR",
    "CRITICAL": "FATAL",
    "FINEST": "TRACE",
    "FINER": "TRACE",
    "FINE": "DEBUG",
    "CONFIG": "INFO",
    "ERR": "ERROR",
}


@dataclass(frozen=True, slots=True)
class Slot:
    """One variable part of a log template: the argument's source expression and declared type."""

    index: int
    expression: str
    type_name: str | None = None
    prints: tuple[str, ...] = ()
    """What the printed value starts with when the declared type is a repository class: one text per
    class the object may be (the leading constant of its ``toString()``, Object's ``pkg.Cls@``).
    Empty when unknown. The matcher reads it to tell apart one template written in several places."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Slot:
        return cls(int(data["index"]), data["expression"], data.get("type_name"),
                   tuple(data.get("prints", ())))


@dataclass(frozen=True, slots=True)
class LogStatement:
    """A log call in source code. ``template`` marks each slot with ``{}`` in order.

    ``id`` is stable across scans of the same source: it does not depend on scan order.
    """

    id: str
    file: str
    line: int
    level: Level
    template: str
    slots: tuple[Slot, ...] = ()
    type_name: str = ""
    """Fully qualified name of the enclosing type (the logger's usual category)."""
    method: str = ""
    """Id of the enclosing method (see ``tools.java``), empty when outside any method."""
    guarded: bool = False
    """True when the call sits under a level guard such as ``if (LOG.isDebugEnabled())``."""
    exception: str = ""
    """Source expression of a trailing Throwable argument that no placeholder consumes (the
    logger prints its stack trace after the line); empty when the call logs no exception."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["level"] = self.level.value
        for slot in data["slots"]:
            if not slot["prints"]:
                del slot["prints"]  # what most slots have: left out, as before the field existed
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LogStatement:
        slots = tuple(Slot.from_dict(s) for s in data.get("slots", ()))
        return cls(
            id=data["id"],
            file=data["file"],
            line=int(data["line"]),
            level=Level.parse(data["level"]),
            template=data["template"],
            slots=slots,
            type_name=data.get("type_name", ""),
            method=data.get("method", ""),
            guarded=bool(data.get("guarded", False)),
            exception=str(data.get("exception", "")),
        )


@dataclass(frozen=True, slots=True)
class Condition:
    """A branch condition along a path: the source expression and whether it held."""

    expression: str
    holds: bool
    file: str = ""
    line: int = 0
    kind: str = "if"
    """What produced it: if, loop, switch, catch, guard, ..."""
    scope: str = ""
    """Which method activation on a path the expression belongs to (tools/lcfg numbers them), so the
    same local name in two methods, or in two calls of one method, is not taken for one variable."""


class Feasibility(StrEnum):
    """Outcome of the symbolic check of a path's conditions."""

    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"
    """Some conditions could not be translated: needs a semantic (LLM) check."""


@dataclass(frozen=True, slots=True)
class Path:
    """An execution path from an entry point: the log statements it prints, in order."""

    id: str
    entry: str
    statements: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()
    feasibility: Feasibility = Feasibility.UNKNOWN
    through_catch: bool = False
    through_throw: bool = False
    methods: tuple[str, ...] = ()
    """Ids of the methods the path passes through, entry first."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "entry": self.entry,
            "statements": list(self.statements),
            "conditions": [asdict(c) for c in self.conditions],
            "feasibility": self.feasibility.value,
            "through_catch": self.through_catch,
            "through_throw": self.through_throw,
            "methods": list(self.methods),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Path:
        return cls(
            id=data["id"],
            entry=data["entry"],
            statements=tuple(data["statements"]),
            conditions=tuple(Condition(**c) for c in data.get("conditions", ())),
            feasibility=Feasibility(data.get("feasibility", "unknown")),
            through_catch=bool(data.get("through_catch", False)),
            through_throw=bool(data.get("through_throw", False)),
            methods=tuple(data.get("methods", ())),
        )


class VerdictKind(StrEnum):
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNDECIDED = "undecided"


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a path can really execute, who decided it, and why."""

    path_id: str
    kind: VerdictKind
    source: str
    """``symbolic``, ``llm``, or ``symbolic-fallback`` when the LLM failed and the z3 result stands."""
    rationale: str = ""
    confidence: float | None = None
    """The deciding model's stated confidence in [0, 1]; None for symbolic verdicts."""

    def to_dict(self) -> dict[str, Any]:
        return {"path_id": self.path_id, "kind": self.kind.value, "source": self.source,
                "rationale": self.rationale, "confidence": self.confidence}


@dataclass(frozen=True, slots=True)
class Event:
    """One log line as an event: the statement id that printed it and its parameter values."""

    statement: str
    params: tuple[str, ...] = ()
    timestamp: float | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Session:
    """A sequence of events that belong together (a block, a ZooKeeper session, a window)."""

    id: str
    events: tuple[Event, ...]
    label: int | None = None
    """1 anomalous, 0 normal, None unknown."""
    source: str = "real"
    """``real`` or ``synthetic``."""
    paths: tuple[str, ...] = field(default=())

    @property
    def keys(self) -> list[str]:
        return [e.statement for e in self.events]
