"""Group matched lines into sessions: by an identifier in the line, by time window, or by count.

Identifier sessions follow loghub's HDFS convention: a line that names several distinct ids
(a block copied from one to another) belongs to each of them. Sessions come out in the order of
their first line; events keep the statement id (or Drain3 cluster id), parameters, time and text.
Every kind is a stream of (session key, event) ``assignments``: grouped in memory by
``make_sessions``, or on disk by ``spool.SessionSpool`` for a log of any size.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from anomalygen.records import Event, Session
from anomalygen.tools.logs.match import MatchedLine

HDFS_BLOCK = r"blk_-?\d+"
ZK_SESSION = r"0x[0-9a-fA-F]+"
PRESETS = {"blk": HDFS_BLOCK, "zk-session": ZK_SESSION}


class SessionSpecError(ValueError):
    """A ``--by`` value that cannot be understood."""


@dataclass(frozen=True, slots=True)
class SessionSpec:
    """How to cut sessions: ``kind`` is identifier, slot, window, sliding or count."""

    kind: str
    pattern: str = ""
    size: float = 0.0
    step: float = 0.0


_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)?")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def _seconds(text: str) -> float:
    match = _DURATION.fullmatch(text.strip())
    if match is None or float(match.group(1)) <= 0:
        raise SessionSpecError(f"bad duration {text!r}: use e.g. 60s, 5m, 1h, 500ms")
    return float(match.group(1)) * _UNIT[match.group(2)]


def parse_spec(text: str) -> SessionSpec:
    """``blk``, ``zk-session``, ``slot:NAME``, ``window:60s``, ``sliding:60s/10s``, ``count:100``, a regex."""
    if text in PRESETS:
        return SessionSpec("identifier", PRESETS[text])
    kind, _, rest = text.partition(":")
    if kind == "slot" and rest:
        return SessionSpec("slot", rest)
    if kind == "window" and rest:
        return SessionSpec("window", size=_seconds(rest))
    if kind == "sliding" and rest:
        size, _, step = rest.partition("/")
        if not step:
            raise SessionSpecError(f"bad sliding window {text!r}: use sliding:SIZE/STEP (sliding:60s/10s)")
        return SessionSpec("sliding", size=_seconds(size), step=_seconds(step))
    if kind == "count" and rest:
        if not rest.isdigit() or int(rest) <= 0:
            raise SessionSpecError(f"bad count window {text!r}: use count:N with N > 0")
        return SessionSpec("count", size=int(rest))
    try:
        regex = re.compile(text)
    except re.error as exc:
        raise SessionSpecError(f"--by {text!r} is neither a preset ({', '.join(PRESETS)}, slot:, window:, "
                               f"sliding:, count:) nor a valid regex: {exc}") from exc
    if regex.groups > 1:
        raise SessionSpecError(f"regex {text!r} may have at most one capturing group (the id)")
    return SessionSpec("identifier", text)


Assignment = tuple[str, Event]
"""(session key, event): what every way of cutting sessions yields, line by line, in log order."""


def _build(assignments: Iterable[Assignment], labels: Mapping[str, int] | None) -> list[Session]:
    groups: dict[str, list[Event]] = {}
    for key, event in assignments:
        groups.setdefault(key, []).append(event)
    known = labels or {}
    return [Session(id=key, events=tuple(events), label=known.get(key)) for key, events in groups.items()]


def by_identifier(lines: Iterable[MatchedLine], pattern: str = HDFS_BLOCK) -> Iterator[Assignment]:
    """Each distinct match of ``pattern`` (its group 1 if it has one) in the message is a session key."""
    regex = re.compile(pattern)
    for line in lines:
        found = regex.findall(line.entry.message)
        if found:
            event = line.event()
            for key in dict.fromkeys(found):
                yield key, event


def by_slot(lines: Iterable[MatchedLine], name: str) -> Iterator[Assignment]:
    """The value of the slot whose source expression contains ``name`` (e.g. ``sessionId``) is the key."""
    wanted = re.compile(re.escape(name), re.IGNORECASE)
    for line in lines:
        statement = line.statement
        if statement is None:
            continue
        for slot in statement.slots:
            if slot.index < len(line.params) and wanted.search(slot.expression):
                yield line.params[slot.index], line.event()
                break


def by_window(lines: Iterable[MatchedLine], size: float, step: float | None = None) -> Iterator[Assignment]:
    """Time windows of ``size`` seconds starting every ``step`` seconds (fixed windows when step is None).

    A line without a timestamp takes the time of the line before it.
    """
    stride = step or size
    last: float | None = None
    for line in lines:
        stamp = line.entry.timestamp if line.entry.timestamp is not None else last
        if stamp is None:
            continue
        last = stamp
        event = line.event()
        first = math.floor((stamp - size) / stride) + 1  # earliest window start that still covers stamp
        for k in range(first, math.floor(stamp / stride) + 1):
            yield f"window-{k * stride:.3f}", event


def by_count(lines: Iterable[MatchedLine], count: int) -> Iterator[Assignment]:
    """Consecutive windows of ``count`` lines (the last one may be shorter)."""
    for i, line in enumerate(lines):
        yield f"count-{i // count}", line.event()


def assignments(lines: Iterable[MatchedLine], spec: SessionSpec) -> Iterator[Assignment]:
    """(session key, event) per line and session it belongs to, as ``spec`` cuts them, in log order."""
    if spec.kind == "identifier":
        return by_identifier(lines, spec.pattern)
    if spec.kind == "slot":
        return by_slot(lines, spec.pattern)
    if spec.kind == "window":
        return by_window(lines, spec.size)
    if spec.kind == "sliding":
        return by_window(lines, spec.size, spec.step)
    return by_count(lines, int(spec.size))


def sessions_by_identifier(lines: Iterable[MatchedLine], pattern: str = HDFS_BLOCK,
                           labels: Mapping[str, int] | None = None) -> list[Session]:
    return _build(by_identifier(lines, pattern), labels)


def sessions_by_slot(lines: Iterable[MatchedLine], name: str,
                     labels: Mapping[str, int] | None = None) -> list[Session]:
    return _build(by_slot(lines, name), labels)


def sessions_by_window(lines: Iterable[MatchedLine], size: float, step: float | None = None) -> list[Session]:
    return _build(by_window(lines, size, step), None)


def sessions_by_count(lines: Iterable[MatchedLine], count: int) -> list[Session]:
    return _build(by_count(lines, count), None)


def make_sessions(lines: Iterable[MatchedLine], spec: SessionSpec,
                  labels: Mapping[str, int] | None = None) -> list[Session]:
    """The sessions in memory (a run's real sessions); ``spool.SessionSpool`` holds them on disk instead.

    Time and count windows never carry labels.
    """
    windowed = spec.kind in ("window", "sliding", "count")
    return _build(assignments(lines, spec), None if windowed else labels)
