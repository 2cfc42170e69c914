"""One runtime log entry: the parsed header fields of a log line plus its continuation lines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class LogEntry:
    """A log entry as read from a file.

    ``line_no`` is the 1-based physical line of the entry's first line in ``path``; stack-trace
    and other continuation lines that follow it are kept in ``extra`` so nothing is lost.
    """

    path: str
    line_no: int
    message: str
    text: str
    """The whole first physical line (after decoding and the length cap)."""
    timestamp: float | None = None
    """Seconds since the epoch (UTC, the log's own clock), None when the format has no time."""
    level: str | None = None
    logger: str | None = None
    """Logger category / component (``dfs.DataNode$PacketResponder``, ``org.a.b.C``)."""
    thread: str | None = None
    source_class: str | None = None
    """Class named by the line's location field (ZooKeeper ``Class@line``, log4j ``%C``)."""
    source_line: int | None = None
    extra: list[str] = field(default_factory=list)
    """Continuation lines (stack traces, wrapped messages) in order."""
    truncated: bool = False
    """The first line was longer than the reader's cap and was cut."""
    malformed: bool = False
    """The line looked like the start of an entry but did not match the whole format."""
    source_method: str | None = None
    """Method named by the line's location field (log4j/logback ``%M``, java.util.logging's source
    method, Tomcat's ``%C.%M``): as the JVM names it (``<init>``, ``lambda$run$0``)."""
