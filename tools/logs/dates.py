"""Java ``SimpleDateFormat`` patterns (the ``%d{...}`` of log4j and logback) -> a regex and a parser.

Letters are read the way ``SimpleDateFormat`` reads them: a run of one letter is one field, its
length is the minimum width. Shipped configurations get this wrong and log4j prints them anyway
(``yyyy-mm-dd'T'HH:mm:ss.sssZ`` puts the minute where the month belongs and the second, padded to
three digits, where the milliseconds belong), so any run of a valid letter is accepted, a field
may appear twice (the first occurrence is read) and only letters ``SimpleDateFormat`` rejects are
refused. The parser is hand-written rather than ``strptime``: a repeated field would make
``strptime`` compile a regex with one group name twice.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from functools import lru_cache

_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_abbr) if name}
_NUMBER_WIDTH = {"M": 2, "L": 2, "d": 2, "H": 2, "k": 2, "K": 2, "h": 2, "m": 2, "s": 2, "S": 3,
                 "D": 3, "w": 2, "W": 1, "F": 1, "u": 1}
"""Widest natural value of each numeric letter (a longer run pads it further)."""
_FIELD = {"y": "year", "Y": "year", "M": "month", "L": "month", "d": "day", "H": "hour", "k": "hour24",
          "K": "hour12", "h": "hour12", "m": "minute", "s": "second", "S": "milli", "a": "ampm",
          "z": "zone", "Z": "zone", "X": "zone", "D": "yday"}
"""Letters whose value a timestamp needs; the others (era, week, day name) are matched and ignored."""
_VALID = frozenset("GyYMLwWDdFEuaHkKhmsSzZX")


class DatePatternError(ValueError):
    """A letter ``SimpleDateFormat`` does not know."""


def _letter_regex(letter: str, count: int) -> str:
    if letter in "yY":
        return r"\d{2}" if count == 2 else rf"\d{{{max(count, 4)}}}"
    if (letter in "ML" and count >= 3) or letter == "E":
        return r"[^\W\d_]+\.?"  # a month or day name, maybe localised or abbreviated with a dot
    if letter == "a":
        return r"[AaPp]\.?[Mm]\.?"
    if letter == "G":
        return r"[^\W\d_]+"
    if letter == "z":
        return r"(?:[A-Za-z]+(?:[+-]\d{1,2}:?\d{2})?|[+-]\d{2}:?\d{2})"
    if letter == "Z":
        return r"(?:[+-]\d{4}|Z)"
    if letter == "X":
        return {1: r"(?:[+-]\d{2}|Z)", 2: r"(?:[+-]\d{4}|Z)"}.get(count, r"(?:[+-]\d{2}:\d{2}|Z)")
    widest = max(count, _NUMBER_WIDTH[letter])
    return rf"\d{{{count},{widest}}}" if count < widest else rf"\d{{{count}}}"


def compile_date(java: str) -> tuple[str, Callable[[str], float | None]]:
    """(regex without groups, parser from the matched text to epoch seconds) for ``java``.

    Raises ``DatePatternError`` for a letter that ``SimpleDateFormat`` rejects.
    """
    parts: list[str] = []
    fields: list[tuple[str, int]] = []  # (field, letter count) in order, for the capturing regex
    position = 0
    while position < len(java):
        char = java[position]
        if char == "'":
            end = java.find("'", position + 1)
            end = len(java) if end < 0 else end
            literal = java[position + 1:end] or "'"
            parts.append(re.escape(literal))
            position = end + 1
            continue
        if not char.isascii() or not char.isalpha():
            parts.append(re.escape(char))
            position += 1
            continue
        if char not in _VALID:
            raise DatePatternError(f"unsupported date letter {char!r} in %d{{{java}}}")
        count = 1
        while position + count < len(java) and java[position + count] == char:
            count += 1
        regex = _letter_regex(char, count)
        field = _FIELD.get(char)
        if field is not None and field not in {f for f, _ in fields}:
            name = f"{field}_{'name' if char in 'ML' and count >= 3 else 'n'}"
            parts.append(f"(?P<{name}>{regex})")
            fields.append((field, count))
        else:
            parts.append(f"(?:{regex})")
        position += count
    plain = "".join(parts)
    return re.sub(r"\(\?P<\w+>", "(?:", plain), _parser(re.compile(plain))


def _parser(regex: re.Pattern[str]) -> Callable[[str], float | None]:
    @lru_cache(maxsize=8192)
    def parse(text: str) -> float | None:
        match = regex.fullmatch(text)
        if match is None:
            return None
        try:
            return _seconds(match.groupdict())
        except (ValueError, OverflowError):
            return None

    return parse


def _number(groups: dict[str, str | None], name: str) -> int | None:
    text = groups.get(name)
    return int(text) if text else None


def _seconds(groups: dict[str, str | None]) -> float | None:
    hour = _number(groups, "hour_n")
    if hour is None and (hour := _number(groups, "hour24_n")) is not None:
        hour %= 24
    if hour is None and (hour := _number(groups, "hour12_n")) is not None:
        hour %= 12
        if (groups.get("ampm_n") or "").lower().startswith("p"):
            hour += 12
    minute, second = _number(groups, "minute_n") or 0, _number(groups, "second_n") or 0
    milli_text = groups.get("milli_n") or ""
    # SimpleDateFormat's S is a count of milliseconds; log4j 2 prints longer runs as a fraction
    divisor = 1000 if len(milli_text) <= 3 else 10 ** len(milli_text)
    fraction = int(milli_text) / divisor if milli_text else 0.0
    in_day = (hour or 0) * 3600 + minute * 60 + second + fraction
    year = _number(groups, "year_n")
    month = _number(groups, "month_n")
    if month is None and groups.get("month_name"):
        month = _MONTHS.get((groups["month_name"] or "")[:3].lower())
    day = _number(groups, "day_n")
    if year is None and month is None and day is None:
        return in_day  # a time-only pattern (log4j ABSOLUTE): seconds within the day
    if year is not None and year < 100:
        year += 2000
    days = calendar.timegm((year or 1970, month or 1, 1, 0, 0, 0, 0, 0, 0)) // 86400
    yday = _number(groups, "yday_n")
    days += (day - 1) if day is not None else ((yday - 1) if yday is not None and month is None else 0)
    return days * 86400 + in_day - _zone_offset(groups.get("zone_n"))


def _zone_offset(zone: str | None) -> int:
    """Seconds east of UTC of ``+0100``, ``+01:00``, ``GMT+1:00``, ``Z``; 0 for names (UTC, PST)."""
    if not zone:
        return 0
    match = re.search(r"([+-])(\d{1,2}):?(\d{2})$", zone)
    if match is None:
        return 0
    offset = int(match[2]) * 3600 + int(match[3]) * 60
    return offset if match[1] == "+" else -offset
