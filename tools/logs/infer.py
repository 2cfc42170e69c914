"""Guess a pattern layout from a log's own header lines, for logs whose layout nobody declared.

A log4j, logback or JUL text header is a date, then some of: a level word, a ``[thread]`` in
brackets, a logger name (dotted, or a bare class name), then a separator (``-``, ``:``, ``|``)
and the message. ``infer_layouts`` reads those parts off a line and writes the layout that
prints them (``%d{ISO8601} %-5p [%t] %c - %m%n``); the reader then scores it on the first lines
like any other candidate, so a wrong guess only loses to a better one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from anomalygen.tools.logs.dates import compile_date

_DATES = (
    "yyyy-MM-dd HH:mm:ss,SSS", "yyyy-MM-dd HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ss,SSS", "yyyy-MM-dd'T'HH:mm:ss.SSS",
    "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd HH:mm:ss,SSS", "yyyy/MM/dd HH:mm:ss",
    "dd MMM yyyy HH:mm:ss,SSS", "dd-MMM-yyyy HH:mm:ss.SSS", "dd.MM.yyyy HH:mm:ss,SSS",
    "MMM dd, yyyy h:mm:ss a", "MMM dd HH:mm:ss", "HH:mm:ss,SSS", "HH:mm:ss.SSS", "HH:mm:ss",
)
"""Date patterns tried at the start of a line, most specific first."""
_COMPILED = [(java, re.compile(compile_date(java)[0])) for java in _DATES]
_LEVELS = frozenset({"TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "SEVERE", "CONFIG",
                     "FINE", "FINER", "FINEST", "NOTICE", "CRITICAL"})
_LOGGER = re.compile(r"[A-Za-z_$][\w$]*(?:\.[\w$]+)*")
_SEPARATORS = ("-", ":", "|", "::", "--", ">")
MAX_GUESSES = 8


def _date_prefix(line: str) -> tuple[str, int] | None:
    """(layout text for the date, characters it covers) of the date that starts ``line``."""
    bracketed = line.startswith("[")
    text = line[1:] if bracketed else line
    for java, regex in _COMPILED:
        match = regex.match(text)
        if match is None:
            continue
        end = match.end()
        if bracketed:
            if not text[end:].startswith("]"):
                continue
            return "[%d{" + java + "}]", end + 2
        return "%d{" + java + "}", end
    return None


def _header_parts(rest: str) -> list[str] | None:
    """The layout of the header after the date (``%-5p [%t] %c - %m%n``), or None."""
    parts: list[str] = []
    seen: set[str] = set()
    position = 0
    while position < len(rest):
        while position < len(rest) and rest[position] == " ":
            position += 1
        if position >= len(rest):
            return None
        char = rest[position]
        if char in "[(":
            close = "]" if char == "[" else ")"
            end = rest.find(close, position + 1)
            if end < 0:
                return None
            inner = rest[position + 1:end].strip()
            field = "%p" if inner.upper() in _LEVELS and "%p" not in seen else "%t"
            if field == "%t" and inner.count(".") >= 2 and _LOGGER.fullmatch(inner) and "%c" not in seen:
                field = "%c"  # [org.acme.Server]: a thread is rarely named like a package
            if field in seen:
                return None
            parts.append(f"{char}{field}{close}")
            seen.add(field)
            position = end + 1
            continue
        word_end = rest.find(" ", position)
        word = rest[position:] if word_end < 0 else rest[position:word_end]
        if word in _SEPARATORS:
            if "%p" not in seen or not parts:
                return None
            return [*parts, word, "%m%n"]
        if word.upper() in _LEVELS and "%p" not in seen:
            parts.append("%-5p")
            seen.add("%p")
        elif word.endswith(":") and _LOGGER.fullmatch(word[:-1]) and "%c" not in seen and "%p" in seen:
            return [*parts, "%c:", "%m%n"]
        elif _LOGGER.fullmatch(word) and "%c" not in seen:
            parts.append("%c")
            seen.add("%c")
        else:
            return None
        position += len(word)
    return None


def infer_layout(line: str) -> str | None:
    """The pattern layout that prints a header such as ``line``, or None when it reads none."""
    date = _date_prefix(line)
    if date is None:
        return None
    prefix, end = date
    parts = _header_parts(line[end:])
    if parts is None:
        return None
    return " ".join([prefix, *parts[:-1]]) + (" " if parts[-1] else "") + parts[-1]


def infer_layouts(lines: Iterable[str]) -> list[str]:
    """Distinct layouts guessed from ``lines`` (first seen first, at most ``MAX_GUESSES``)."""
    found: dict[str, None] = {}
    for line in lines:
        layout = infer_layout(line)
        if layout is not None:
            found.setdefault(layout, None)
            if len(found) >= MAX_GUESSES:
                break
    return list(found)
