"""Compile a log4j / logback pattern layout (``%d %-5p [%t] %c{1}: %m%n``) into a ``LogFormat``."""

from __future__ import annotations

import re

from anomalygen.tools.logs.dates import DatePatternError, compile_date
from anomalygen.tools.logs.formats import LogFormat, TimestampParser, iso_time


class FormatError(ValueError):
    """A layout or format name that cannot be used (the message says why)."""


# conversion word -> (field name or "" for an unnamed part, regex)
_CONVERSIONS: dict[str, tuple[str, str]] = {}
for _words, _field, _regex in (
    (("p", "le", "level"), "level", r"[A-Za-z]+"),
    (("t", "thread"), "thread", r".*?"),
    (("c", "lo", "logger"), "logger", r"[\w$.\-]+?"),
    (("C", "class"), "cls", r"[\w$.]+?"),
    (("L", "line"), "srcline", r"\d+|\?"),
    (("m", "msg", "message"), "message", r".*"),
    (("M", "method"), "method", r"[\w$<>\-]*?"),  # no dots: ``%C.%M`` splits at the last one
    (("F", "file"), "", r"\S*?"),
    (("l", "location", "X", "mdc", "x", "NDC", "ndc", "marker", "K", "MAP", "map"), "", r".*?"),
    (("r", "relative", "pid", "processId", "T", "tid", "sn", "sequenceNumber"), "", r"\d+"),
    (("h", "host", "hostName", "contextName", "cn"), "", r"\S+"),
    (("ex", "exception", "throwable", "xEx", "xException", "xThrowable", "rEx", "rException",
      "wEx", "nopex", "nopexception", "n"), "", r""),
):
    for _word in _words:
        _CONVERSIONS[_word] = (_field, _regex)

_NAMED_DATES = {
    "ISO8601": "yyyy-MM-dd HH:mm:ss,SSS",
    "ABSOLUTE": "HH:mm:ss,SSS",
    "DATE": "dd MMM yyyy HH:mm:ss,SSS",
    "ISO8601_BASIC": "yyyyMMdd'T'HHmmss,SSS",
    "COMPACT": "yyyyMMddHHmmssSSS",
    "DEFAULT": "yyyy-MM-dd HH:mm:ss,SSS",
}

_TOKEN = re.compile(r"%(?P<mod>-?\d*(?:\.-?\d+)?)(?P<word>[A-Za-z]+)(?P<opt>(?:\{[^}]*\})*)|%%|[^%]+|%")

_EPOCH_DATES = {"UNIX": (r"\d+", 1.0), "UNIX_MILLIS": (r"\d+", 1000.0)}
"""log4j 2's epoch dates: the number of seconds or milliseconds, and its divisor."""


def _date(option: str) -> tuple[str, TimestampParser]:
    """(regex, parser) of a ``%d{option}``: a named format, an epoch format or a date pattern."""
    if option in _EPOCH_DATES:
        regex, divisor = _EPOCH_DATES[option]
        return regex, lambda text: int(text) / divisor
    java = _NAMED_DATES.get(option, option)
    try:
        regex, parser = compile_date(java)
    except DatePatternError as exc:
        raise FormatError(str(exc)) from exc
    return regex, iso_time if java == "yyyy-MM-dd HH:mm:ss,SSS" else parser


def _delimited(tokens: list[re.Match[str]], position: int) -> bool:
    """The conversion at ``position`` is followed by literal text starting with punctuation that
    cannot be part of it (``%c:%t``), so it may safely be empty."""
    if position + 1 >= len(tokens) or tokens[position + 1].group("word") is not None:
        return False
    following = tokens[position + 1].group(0)
    return following[:1] in (":", "]", ")", "|", ",", ";")


def _linear(parts: list[str], kinds: list[str]) -> list[str]:
    """The parts made unambiguous, so that matching a line takes linear time.

    Lazy wildcards side by side (``%t%t%t%m ZZZ``) or separated by blanks (``%t %t %t``) make the
    regex engine try every way to split a line among them before it fails: hours on one line.
    A wildcard followed by literal text and later by another wildcard may not run past that
    literal's first occurrence (the last wildcard may: ``[%t:%C]`` reads ZooKeeper's
    ``[QuorumPeer[myid=1]/0:0:...:2181:Election@774]``), and of two conversions with nothing
    between them the first matches atomically (for a lazy one, its shortest text).
    """
    linear = list(parts)
    wildcards = [i for i, kind in enumerate(kinds) if kind == "loose" and "(?P<message>" not in parts[i]]
    last_wildcard = wildcards[-1] if wildcards else -1
    for i, kind in enumerate(kinds):
        if kind not in ("loose", "conversion"):
            continue
        following = next((j for j in range(i + 1, len(kinds)) if kinds[j] != "empty"), None)
        if following is None:
            continue
        if kinds[following] == "literal" and i in wildcards and i != last_wildcard:
            stop = parts[following].split(r"\s++")[0] or r"\s"
            linear[i] = parts[i].replace(".*?", f"(?:(?!{stop}).)*?", 1)
        elif kinds[following] != "literal":
            if "(?P<message>" in parts[i]:
                linear[following] = f"(?>{parts[following]})"
            else:
                linear[i] = f"(?>{parts[i]})"
    return linear


def compile_layout(layout: str) -> LogFormat:
    """Compile a pattern layout; raises ``FormatError`` for what it cannot express."""
    parts: list[str] = []
    kinds: list[str] = []  # per part: "literal", "loose" (may match anything), "conversion", "empty"
    named: set[str] = set()
    start: str | None = None
    parse_time: TimestampParser | None = None
    tokens = list(_TOKEN.finditer(layout))
    for position, token in enumerate(tokens):
        text = token.group(0)
        word = token.group("word")
        if word is None:
            if text == "%%":
                parts.append("%")
                kinds.append("literal")
            elif text == "%":
                raise FormatError(f"dangling % at the end of layout {layout!r}")
            else:  # literal text: runs of blanks absorb padding differences; logback escapes \( \)
                text = text.replace("\\(", "(").replace("\\)", ")")
                parts.append(r"\s++".join(re.escape(chunk) for chunk in re.split(r"\s+", text)))
                kinds.append("literal")
            continue
        padded = bool(token.group("mod"))
        if word in ("d", "date"):
            option = token.group("opt")[1:-1].split("}{")[0] if token.group("opt") else "ISO8601"
            regex, date_parser = _date(option)
            field_name = "" if "timestamp" in named else "timestamp"
            if field_name:
                parse_time = date_parser
        elif word in _CONVERSIONS:
            field_name, regex = _CONVERSIONS[word]
            if field_name == "logger" and _delimited(tokens, position):
                regex = regex.replace("+?", "*?")  # Jetty's StdErrLog prints "INFO::main:" for the root
        else:
            raise FormatError(f"unsupported conversion %{word} in layout {layout!r}")
        if field_name and field_name not in named:
            named.add(field_name)
            group = f"(?P<{field_name}>{regex})"
        else:
            group = f"(?:{regex})"
        parts.append(f" *{group} *" if padded else group)
        kinds.append("empty" if not regex else "loose" if regex in (".*?", ".*") else "conversion")
        if start is None and word in ("d", "date") and len(named) == 1:
            start = "".join(parts)
    if "message" not in named:
        raise FormatError(f"layout {layout!r} has no message conversion (%m)")
    try:
        regex_compiled = re.compile("".join(_linear(parts, kinds)))
    except re.error as exc:  # pragma: no cover - the parts above are all well-formed
        raise FormatError(f"layout {layout!r} does not compile: {exc}") from exc
    return LogFormat(
        name=layout,
        regex=regex_compiled,
        start=re.compile(start) if start else None,
        parse_time=parse_time,
        description=f"log4j/logback layout {layout!r}",
    )
