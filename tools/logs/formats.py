"""Log line formats: a header regex with named fields, and how to read its timestamp.

A format's regex must have a ``message`` group; ``timestamp``, ``level``, ``logger``, ``thread``,
``cls`` (location class) and ``srcline`` (location line) are read when present. ``start`` is a
looser regex that recognises the beginning of an entry, so a line cut off mid-header is reported
as malformed instead of being glued to the previous entry as a continuation line.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

TimestampParser = Callable[[str], "float | None"]


@dataclass(frozen=True, slots=True)
class LogFormat:
    name: str
    regex: re.Pattern[str]
    start: re.Pattern[str] | None = None
    parse_time: TimestampParser | None = None
    description: str = ""
    level_line: re.Pattern[str] | None = None
    """Two-line formats (java.util.logging's SimpleFormatter): the line after a header that
    carries ``level`` and ``message``; the header's own message is empty."""
    decode: Callable[[str], dict[str, Any] | None] | None = None
    """Structured formats (JSON Lines, ``jsonlog``): the entry fields of a header line, already
    typed (``timestamp`` in epoch seconds, ``extra`` lines), or None; ``regex`` is then unused."""


@lru_cache(maxsize=8192)
def _hdfs_time(text: str) -> float | None:
    # "081109 203615": yyMMdd HHmmss; loghub HDFS is from 2008.
    try:
        return float(calendar.timegm((2000 + int(text[0:2]), int(text[2:4]), int(text[4:6]),
                                      int(text[7:9]), int(text[9:11]), int(text[11:13]), 0, 0, 0)))
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _iso_seconds(text: str) -> float | None:
    # "2015-07-29 17:41:44" (the milliseconds are added by the caller).
    try:
        return float(calendar.timegm((int(text[0:4]), int(text[5:7]), int(text[8:10]),
                                      int(text[11:13]), int(text[14:16]), int(text[17:19]), 0, 0, 0)))
    except ValueError:
        return None


def iso_time(text: str) -> float | None:
    """``yyyy-MM-dd HH:mm:ss[,.]SSS`` (log4j's ISO8601) to epoch seconds."""
    seconds = _iso_seconds(text[:19])
    if seconds is None:
        return None
    fraction = text[20:]
    if fraction.isdigit():
        seconds += int(fraction) / (10 ** len(fraction))
    return seconds


def strptime_parser(pattern: str) -> TimestampParser:
    """A parser for a ``datetime.strptime`` pattern (naive times are read as UTC)."""

    @lru_cache(maxsize=8192)
    def parse(text: str) -> float | None:
        try:
            stamp = datetime.strptime(text, pattern)
        except ValueError:
            return None
        if stamp.year == 1900:  # pattern without a year (log4j ABSOLUTE): seconds within the day
            return stamp.hour * 3600 + stamp.minute * 60 + stamp.second + stamp.microsecond / 1e6
        if stamp.tzinfo is not None:  # an offset in the line (Spring Boot's +01:00): honour it
            return stamp.timestamp()
        return calendar.timegm(stamp.timetuple()) + stamp.microsecond / 1e6

    return parse


HDFS = LogFormat(
    name="hdfs",
    regex=re.compile(
        r"(?P<timestamp>\d{6} \d{6}) (?P<pid>\d+) (?P<level>[A-Z]+) (?P<logger>[^\s:]+): (?P<message>.*)"
    ),
    start=re.compile(r"\d{6} \d{6} "),
    parse_time=_hdfs_time,
    description="loghub HDFS: 081109 203615 148 INFO dfs.DataNode$PacketResponder: message",
)

ZOOKEEPER = LogFormat(
    name="zookeeper",
    regex=re.compile(
        r"(?P<timestamp>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[,.]\d{3}) - (?P<level>[A-Z]+) *"
        r"\[(?P<thread>.*):(?P<cls>[\w$.]+)@(?P<srcline>\d+)\] - (?P<message>.*)"
    ),
    start=re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[,.]\d{3} - "),
    parse_time=iso_time,
    description="loghub ZooKeeper (log4j %d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n)",
)

JUL_SIMPLE = LogFormat(
    name="jul",
    regex=re.compile(
        r"(?P<timestamp>[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M) "
        r"(?P<cls>[\w$.]+)(?: (?P<method>[\w$<>\-]+))?(?P<message>)"
    ),
    start=re.compile(r"[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M "),
    parse_time=strptime_parser("%b %d, %Y %I:%M:%S %p"),
    description="java.util.logging SimpleFormatter (the JDK default): "
                "'Nov 23, 2026 4:50:30 PM com.acme.Server start' then 'INFO: message'",
    # Only the line right after a header is tried, and SimpleFormatter always prints the level
    # there: any word is taken, since the JDK localises level names (WARNUNG, GRAVE, 情報).
    level_line=re.compile(r"(?P<level>[^\W\d_]+): (?P<message>.*)"),
)

BUILTIN: dict[str, LogFormat] = {f.name: f for f in (HDFS, ZOOKEEPER, JUL_SIMPLE)}
