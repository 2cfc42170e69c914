"""What the language models see of one event: its name plus optional arguments (arXiv 2309.02206).

``EventFeatures`` is the typed form. ``to_features`` accepts what a detector sequence may hold:

* a bare event id (syscall name, DeepLog key, LogStatement id): name only, every argument missing;
* an ``anomalygen.records.Event`` (a log line): ``statement`` is the name; ``timestamp`` gives the
  time since the previous event; ``params`` (slot values from tools/logs) map as follows:
  ``key=value`` params set a field by key (``thread``/``process``/``proc``/``comm`` -> process,
  ``pid``, ``tid``, ``dir``/``direction`` (entry/enter/call vs exit/return) -> direction,
  ``status``/``ret``/``result``/``rc`` -> status); a bare param that looks like a thread name
  (``main``, ``pool-1-thread-3``, ``Worker-2``, ``*Thread*``) becomes the process; the first bare
  numeric param becomes ``value`` (block sizes, offsets, latencies); other params are ignored;
* an ``EventFeatures`` as is (system-call tracers that know pid/tid/return codes build these).

Missing arguments encode as the "none" index (categorical) or as zeros (numeric), so names-only
traces and partially filled events work with the same model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Literal

from anomalygen.records import Event

Direction = Literal["entry", "exit"]
NUMERIC_CHANNELS = ("position", "pid", "tid", "dt", "value")
"""Numeric arguments, each sinusoidally encoded; position is the index in the sequence."""

_THREAD = re.compile(r"^(main|.*thread.*|pool-\d+.*|worker[-_]?\d*.*|.*-worker-\d+)$", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$")
_SUCCESS = {"ok", "success", "succeeded", "true", "0"}
_FAILURE = {"fail", "failed", "failure", "error", "false", "err"}


@dataclass(frozen=True, slots=True)
class EventFeatures:
    """One event: the name and whatever arguments are known (None = missing)."""

    name: Hashable
    process: str | None = None
    """Process or thread name (syscall ``comm``; a log line's thread)."""
    direction: Direction | None = None
    status: bool | None = None
    """True success, False failure (a negative syscall return, an error result), None unknown."""
    pid: float | None = None
    tid: float | None = None
    timestamp: float | None = None
    """Seconds; only differences between consecutive events are used."""
    value: float | None = None
    """A numeric argument of the event (the first numeric log slot)."""


def to_features(item: object) -> EventFeatures:
    if isinstance(item, EventFeatures):
        return item
    if isinstance(item, Event):
        return _from_event(item)
    if not isinstance(item, Hashable):
        raise TypeError(f"an event must be an id, an Event or EventFeatures, got {type(item).__name__}")
    return EventFeatures(name=item)


def _from_event(event: Event) -> EventFeatures:
    fields: dict[str, object] = {}
    for raw in event.params:
        param = raw.strip()
        key, sep, value = param.partition("=")
        if sep and key.strip().lower() in _KEYED:
            _KEYED[key.strip().lower()](fields, value.strip())
        elif _NUMBER.match(param):
            fields.setdefault("value", float(param))
        elif _THREAD.match(param):
            fields.setdefault("process", param)
    return EventFeatures(name=event.statement, timestamp=event.timestamp, **fields)  # type: ignore[arg-type]


Setter = Callable[[dict[str, object], str], None]


def _set_number(name: str) -> Setter:
    def setter(fields: dict[str, object], text: str) -> None:
        if _NUMBER.match(text):
            fields[name] = float(text)

    return setter


def _set_process(fields: dict[str, object], text: str) -> None:
    fields["process"] = text


def _set_direction(fields: dict[str, object], text: str) -> None:
    word = text.lower()
    if word in ("entry", "enter", "call", "in", ">"):
        fields["direction"] = "entry"
    elif word in ("exit", "return", "ret", "out", "<"):
        fields["direction"] = "exit"


def _set_status(fields: dict[str, object], text: str) -> None:
    word = text.lower()
    if word in _SUCCESS:
        fields["status"] = True
    elif word in _FAILURE or (_NUMBER.match(word) and float(word) < 0):
        fields["status"] = False
    elif _NUMBER.match(word):
        fields["status"] = True  # a non-negative return code


_KEYED: dict[str, Setter] = {
    "thread": _set_process, "process": _set_process, "proc": _set_process, "comm": _set_process,
    "pid": _set_number("pid"), "tid": _set_number("tid"),
    "dir": _set_direction, "direction": _set_direction,
    "status": _set_status, "ret": _set_status, "result": _set_status, "rc": _set_status,
}


def signed_log(x: float) -> float:
    """Compress magnitudes (sizes span bytes to gigabytes) before the sinusoidal encoding."""
    return math.copysign(math.log1p(abs(x)), x)
