"""JSON Lines logs: one JSON object per line, as structured-logging encoders write them.

Covered by their field names, flat or nested (``log.level`` as one key or ``{"log": {"level"}}``):
log4j 2's ``JsonLayout`` (``instant``, ``loggerName``, ``source.class/method/line``, ``thrown``),
its ``JsonTemplateLayout`` ECS and GELF templates, logstash-logback-encoder (``@timestamp``,
``logger_name``, ``thread_name``, ``caller_*``, ``stack_trace``), Spring Boot 3.4's structured
``ecs``/``logstash``/``gelf`` console formats, and plain ``{"time", "level", "msg"}`` objects.

A message that spans lines keeps its first line as the message and the rest, then the stack
trace, as the entry's continuation lines, the way a text layout prints them. A line that is not
a JSON object (a program's own ``System.err`` output between log events) continues the entry
above it; one that starts like an object but does not parse (a cut line) is malformed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeGuard

from anomalygen.tools.logs.formats import LogFormat

_FIELDS: dict[str, tuple[str, ...]] = {
    "message": ("message", "msg", "@message", "short_message", "log.message"),
    "timestamp": ("@timestamp", "timestamp", "instant", "timeMillis", "time", "ts", "date"),
    "level": ("log.level", "_level_name", "level", "severity", "levelname", "log_level", "loglevel"),
    "logger": ("logger_name", "loggerName", "log.logger", "_log_logger", "_logger_name", "logger"),
    "thread": ("thread_name", "thread", "threadName", "process.thread.name", "_process_thread_name",
               "_thread_name"),
    "cls": ("caller_class_name", "source.class", "log.origin.class", "_caller_class_name"),
    "method": ("caller_method_name", "source.method", "log.origin.function", "_caller_method_name"),
    "srcline": ("caller_line_number", "source.line", "log.origin.file.line", "_caller_line_number"),
    "stack": ("stack_trace", "error.stack_trace", "thrown.extendedStackTrace", "_error_stack_trace",
              "_stack_trace", "exception.stacktrace", "full_message"),
}
"""Entry field -> the keys encoders use for it, most specific first."""
_SYSLOG_LEVELS = ("FATAL", "FATAL", "FATAL", "ERROR", "WARN", "INFO", "INFO", "DEBUG")
"""GELF prints syslog severities (0 emergency ... 7 debug)."""


def _lookup(obj: Mapping[str, Any], key: str) -> Any:
    """``obj["a.b"]`` when the encoder wrote the dotted key flat, else ``obj["a"]["b"]``."""
    if key in obj:
        return obj[key]
    head, _, rest = key.partition(".")
    inner = obj.get(head) if rest else None
    return _lookup(inner, rest) if isinstance(inner, Mapping) else None


def _first(obj: Mapping[str, Any], field: str) -> Any:
    for key in _FIELDS[field]:
        value = _lookup(obj, key)
        if value is not None and value != "":
            return value
    return None


def _seconds(value: Any) -> float | None:
    """``@timestamp`` ISO-8601 text, epoch seconds or milliseconds, or log 4j 2's ``instant``;
    None for anything else, a time beyond any calendar (``1e400``) included."""
    try:
        seconds = _epoch(value)
    except (OverflowError, ValueError):  # an int too large for a float, a year out of range
        return None
    return seconds if seconds is not None and math.isfinite(seconds) else None


def _epoch(value: Any) -> float | None:
    if isinstance(value, Mapping):  # {"epochSecond": 1795463208, "nanoOfSecond": 449037785}
        second, nano = value.get("epochSecond"), value.get("nanoOfSecond", 0)
        if _is_number(second) and _is_number(nano):
            return float(second) + float(nano) / 1e9
        return None
    if _is_number(value):
        return float(value) / 1000.0 if value > 1e11 else float(value)  # milliseconds past 1973
    if isinstance(value, str):
        try:
            stamp = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        if stamp.tzinfo is None:  # no offset written: read as UTC, like the text formats
            stamp = stamp.replace(tzinfo=UTC)
        return stamp.timestamp()
    return None


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _level(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value < len(_SYSLOG_LEVELS):
        return _SYSLOG_LEVELS[value]
    return str(value) if value is not None else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def decode(line: str) -> dict[str, Any] | None:
    """The entry fields of one JSON log line, or None when it is not a JSON object with a message.

    Returns ``message`` (first line), ``extra`` (the message's other lines, then the stack
    trace), ``timestamp`` (epoch seconds), ``level``, ``logger``, ``thread``, ``cls``,
    ``method`` and ``srcline``.
    """
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return None
    if not isinstance(obj, dict):
        return None
    message = _first(obj, "message")
    if message is None:
        return None
    lines = _text(message) or ""
    first, *rest = lines.split("\n")
    stack = _text(_first(obj, "stack"))
    if stack and stack.startswith(lines):  # GELF's full_message: the message, then the trace
        stack = stack[len(lines):].lstrip("\r\n")
    if stack:
        rest += stack.split("\n")
    srcline = _first(obj, "srcline")
    if not (isinstance(srcline, int) and not isinstance(srcline, bool)):
        srcline = int(srcline) if isinstance(srcline, str) and srcline.isdigit() else None
    return {
        "message": first.rstrip("\r"),
        "extra": [r.rstrip("\r") for r in rest],
        "timestamp": _seconds(_first(obj, "timestamp")),
        "level": _level(_first(obj, "level")),
        "logger": _text(_first(obj, "logger")),
        "thread": _text(_first(obj, "thread")),
        "cls": _text(_first(obj, "cls")),
        "method": _text(_first(obj, "method")),
        "srcline": srcline,
    }


JSON_LINES = LogFormat(
    name="json",
    regex=re.compile(r"\s*\{.*\}\s*"),
    start=re.compile(r"\s*\{"),
    description="JSON Lines (log4j 2 JsonLayout/JsonTemplateLayout, logstash-logback-encoder, ECS, GELF, "
                "Spring Boot structured logging): one object per line with a message field",
    decode=decode,
)
