"""Stream log entries out of plain or gzip files in constant memory.

Physical lines are read in binary with a length cap (an over-long line is cut and the rest of it
skipped, never held in memory), decoded as UTF-8 with undecodable bytes replaced and counted, and
grouped into entries: a line that matches the format's header starts an entry, any other line is
a continuation (stack trace, wrapped message) of the entry above it.
"""

from __future__ import annotations

import gzip
import itertools
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, cast

from anomalygen.regular import open_regular
from anomalygen.tools.logs.discover import COMMON_LAYOUTS
from anomalygen.tools.logs.entry import LogEntry
from anomalygen.tools.logs.formats import BUILTIN as TEXT_FORMATS
from anomalygen.tools.logs.formats import LogFormat
from anomalygen.tools.logs.infer import infer_layouts
from anomalygen.tools.logs.jsonlog import JSON_LINES
from anomalygen.tools.logs.layout import FormatError, compile_layout
from anomalygen.tools.logs.stats import ReadStats

MAX_LINE = 64 * 1024
"""Default cap on a physical line, in bytes."""
MAX_EXTRA = 10_000
"""Continuation lines kept per entry; further ones are counted, not stored (constant memory)."""
HEADER_PROBE = 1_000
"""Lines read before deciding that a format matches nothing in a file."""
INFER_PROBE = 50
"""First non-empty lines a layout is guessed from when no known one fits."""
_GZIP_MAGIC = b"\x1f\x8b"
BUILTIN: dict[str, LogFormat] = {**TEXT_FORMATS, JSON_LINES.name: JSON_LINES}
"""Formats known by name: ``hdfs``, ``zookeeper``, ``jul`` and ``json``."""


class LogReadError(Exception):
    """A log file that cannot be used: unreadable, empty, or not in the given format."""


def resolve_format(spec: str | LogFormat) -> LogFormat | None:
    """``hdfs``, ``zookeeper``, a layout string containing ``%``, or ``auto`` (returns None)."""
    if isinstance(spec, LogFormat):
        return spec
    if spec == "auto":
        return None
    if spec in BUILTIN:
        return BUILTIN[spec]
    if "%" in spec:
        return compile_layout(spec)
    raise FormatError(f"unknown log format {spec!r}: use auto, {', '.join(BUILTIN)} or a layout such as "
                      "'%d %p [%t] %c: %m'")


def _open(path: Path) -> BinaryIO:
    try:
        if path.is_dir():
            raise LogReadError(f"{path} is a directory, not a log file")
        # a FIFO or /dev/zero never ends: regular files only (NotRegularFileError says which)
        fh = open_regular(path)
        if fh.read(2) == _GZIP_MAGIC:
            fh.close()
            return cast(BinaryIO, gzip.open(path, "rb"))
        fh.seek(0)
        return fh
    except OSError as exc:
        raise LogReadError(f"cannot read {path}: {exc.strerror or exc}") from exc


def physical_lines(path: Path, stats: ReadStats, max_line: int = MAX_LINE) -> Iterator[tuple[int, str, bool]]:
    """(1-based line number, decoded text without the line break, cut at the cap?) per line."""
    fh = _open(path)
    line_no = 0
    try:
        while True:
            try:
                raw = fh.readline(max_line)
            except (OSError, EOFError, gzip.BadGzipFile) as exc:
                raise LogReadError(f"{path}: unreadable after line {line_no}: {exc}") from exc
            if not raw:
                break
            line_no += 1
            cut = False
            if not raw.endswith(b"\n"):
                if len(raw) >= max_line:
                    cut = True
                    stats.overlong_lines += 1
                    rest = raw
                    while rest and not rest.endswith(b"\n"):  # skip the rest of the line
                        rest = fh.readline(max_line)
                else:
                    stats.unterminated_last_line += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", "replace")
                stats.undecodable_lines += 1
                stats.replaced_chars += text.count("\ufffd")
            yield line_no, text.rstrip("\r\n"), cut
    finally:
        fh.close()


def _candidates(layouts: Sequence[str], probe: Sequence[str] = ()) -> list[LogFormat]:
    """Built-in formats, then configured, common and guessed layouts (ties go to the earlier)."""
    formats = list(BUILTIN.values())
    for layout in dict.fromkeys((*layouts, *COMMON_LAYOUTS, *infer_layouts(probe[:INFER_PROBE]))):
        try:
            formats.append(compile_layout(layout))
        except FormatError:
            continue  # a configured layout this compiler cannot express: the others may still fit
    return formats


def detect_format(path: Path, max_line: int = MAX_LINE, layouts: Sequence[str] = ()) -> LogFormat:
    """The format that matches most of the first lines of ``path``: built-in ones, the given layouts
    (e.g. found in the repository's log4j/logback configuration), common layouts, then layouts
    guessed from the lines themselves (``infer.infer_layouts``)."""
    probe = [t for _, t, _ in itertools.islice(physical_lines(path, ReadStats(), max_line), 200) if t.strip()]
    if not probe:
        raise LogReadError(f"{path} is empty")
    best, best_score = None, (0, 0)
    for candidate in _candidates(layouts, probe):
        decode = candidate.decode
        if decode is None:
            matched = sum(1 for t in probe if candidate.regex.fullmatch(t))
            fields = candidate.regex.groups
        else:  # a JSON object names its fields: it reads more than any layout (a bare "%m" too)
            matched = sum(1 for t in probe if decode(t) is not None)
            fields = 1_000
        # On equal matches the format that reads more fields wins: a configured bare "%msg%n"
        # matches every line and reads nothing. Full ties keep the earlier: built-in, then
        # configured, then common.
        score = (matched, fields) if matched else (0, 0)
        if score > best_score:
            best, best_score = candidate, score
    if best is None:
        raise LogReadError(f"no known format ({', '.join(BUILTIN)}, {len(layouts)} configured and "
                           f"{len(COMMON_LAYOUTS)} common layouts) matches {path}; give --log-format with a "
                           f"layout such as '%d %p [%t] %c: %m'. First line: {probe[0][:200]!r}")
    return best


def read_entries(path: str | Path, fmt: str | LogFormat = "auto", *, stats: ReadStats | None = None,
                 max_line: int = MAX_LINE, layouts: Sequence[str] = ()) -> Iterator[LogEntry]:
    """Entries of one log file, in file order. Raises ``LogReadError`` for unusable files.

    With ``fmt="auto"`` the format is detected per file; ``layouts`` are extra candidates (see
    ``discover.discover_layouts``).
    """
    path = Path(path)
    stats = stats if stats is not None else ReadStats()
    resolved = resolve_format(fmt)
    if resolved is None:
        resolved = detect_format(path, max_line, layouts)
    else:
        try:
            if os.path.getsize(path) == 0:
                raise LogReadError(f"{path} is empty")
        except OSError as exc:
            raise LogReadError(f"cannot read {path}: {exc.strerror or exc}") from exc
    stats.files += 1
    yield from _entries(path, resolved, stats, max_line)


def _entries(path: Path, fmt: LogFormat, stats: ReadStats, max_line: int) -> Iterator[LogEntry]:
    regex, start, parse_time, level_line = fmt.regex, fmt.start, fmt.parse_time, fmt.level_line
    decode = fmt.decode
    name = str(path)
    current: LogEntry | None = None
    awaiting_level = False  # two-line formats: the header just read wants its "LEVEL: message"
    orphans: list[tuple[int, str, bool]] = []  # lines before the first header, until it is found
    seen_header = False
    nonempty = 0
    for line_no, text, cut in physical_lines(path, stats, max_line):
        stats.physical_lines += 1
        if not text or text.isspace():
            stats.empty_lines += 1
            continue
        nonempty += 1
        if awaiting_level and current is not None and level_line is not None:
            awaiting_level = False
            second = level_line.fullmatch(text)
            if second is not None:
                current.level, current.message = second["level"], second["message"]
                continue
        match: re.Match[str] | dict[str, Any] | None
        match = regex.fullmatch(text) if decode is None else decode(text)
        if match is None and start is not None and start.match(text):
            stats.malformed_lines += 1
            if current is not None:
                stats.entries += 1
                yield current
            seen_header = True
            current = LogEntry(name, line_no, text, text, truncated=cut, malformed=True)
            continue
        if match is None:
            if current is not None:
                stats.continuation_lines += 1
                if len(current.extra) < MAX_EXTRA:
                    current.extra.append(text)
            elif not seen_header:
                orphans.append((line_no, text, cut))
                if nonempty >= HEADER_PROBE:
                    raise LogReadError(f"format {fmt.name!r} matches no line of the first {HEADER_PROBE} in "
                                       f"{path}; first line: {orphans[0][1][:200]!r}")
            continue
        if not seen_header:
            seen_header = True
            yield from _orphans(name, orphans, stats)
            orphans = []
        if current is not None:
            stats.entries += 1
            yield current
        if isinstance(match, dict):  # a decoded JSON object
            current = _decoded_entry(name, line_no, text, cut, match)
            continue
        fields = match.groupdict()  # one call: this runs once per line
        stamp, srcline = fields.get("timestamp"), fields.get("srcline")
        current = LogEntry(  # positional, in field order, for the same reason
            name, line_no, fields["message"], text,
            parse_time(stamp) if stamp and parse_time else None,
            fields.get("level"), fields.get("logger"), fields.get("thread"), fields.get("cls"),
            int(srcline) if srcline and srcline.isdigit() else None,
            [], cut, False, fields.get("method"),
        )
        awaiting_level = level_line is not None
    if current is not None:
        stats.entries += 1
        yield current
    if not seen_header:
        if nonempty == 0:
            raise LogReadError(f"{path} is empty")
        raise LogReadError(f"format {fmt.name!r} matches no line of {path}; "
                           f"first line: {orphans[0][1][:200]!r}")


def _decoded_entry(name: str, line_no: int, text: str, cut: bool, fields: dict[str, Any]) -> LogEntry:
    extra: list[str] = fields["extra"]
    return LogEntry(name, line_no, fields["message"], text, fields["timestamp"], fields["level"],
                    fields["logger"], fields["thread"], fields["cls"], fields["srcline"], extra[:MAX_EXTRA],
                    cut, False, fields["method"])


def _orphans(name: str, lines: list[tuple[int, str, bool]], stats: ReadStats) -> Iterator[LogEntry]:
    """Headerless lines at the top of a file (a log rotated mid stack trace): kept as entries."""
    for line_no, text, cut in lines:
        stats.orphan_lines += 1
        stats.entries += 1
        yield LogEntry(name, line_no, text, text, truncated=cut, malformed=True)
