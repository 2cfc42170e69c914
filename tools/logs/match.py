"""The matching pipeline: log entries -> matched lines (statement id + parameters, or a Drain3 cluster)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anomalygen.records import Event, LogStatement
from anomalygen.tools.logs.entry import LogEntry
from anomalygen.tools.logs.fallback import FallbackClusters
from anomalygen.tools.logs.formats import LogFormat
from anomalygen.tools.logs.hints import ancestor_classes
from anomalygen.tools.logs.matcher import Matcher
from anomalygen.tools.logs.reader import read_entries
from anomalygen.tools.logs.stats import ReadStats

if TYPE_CHECKING:  # tools/java is heavy (tree-sitter) and only needed to scan: not imported to match
    from anomalygen.tools.java.model import Program


MAX_OBSERVED = 1_000
"""Distinct parameter tuples kept per statement by ``observed_parameters``."""


@dataclass(slots=True)
class MatchedLine:
    entry: LogEntry
    statement: LogStatement | None
    params: tuple[str, ...] = ()
    cluster: str | None = None
    """Drain3 cluster id (``drain:N``) when no statement matched."""
    cluster_template: str | None = None
    ambiguous: tuple[str, ...] = ()
    """The rivals no evidence about the line ruled out: the statement is a guess among them."""
    resolved_by: str | None = None
    loose: bool = False
    approximate: bool = False
    """Mapped by word overlap within the line's class (another code version), not by a template."""
    rivals: tuple[str, ...] = ()
    """Every other statement whose template matched (``resolved_by`` says what ruled them out)."""

    @property
    def event_id(self) -> str:
        """The statement id, or the Drain3 cluster id for an unmatched line."""
        if self.statement is not None:
            return self.statement.id
        return self.cluster or "unmatched"

    def event(self) -> Event:
        return Event(self.event_id, self.params, self.entry.timestamp, self.entry.message)

    def to_dict(self) -> dict[str, Any]:
        statement = self.statement
        data: dict[str, Any] = {
            "path": self.entry.path,
            "line_no": self.entry.line_no,
            "statement": statement.id if statement else None,
            "file": statement.file if statement else None,
            "line": statement.line if statement else None,
            "params": list(self.params),
        }
        if statement is None:
            data["cluster"] = self.cluster
            data["cluster_template"] = self.cluster_template
        if self.rivals:
            data["rivals"] = list(self.rivals)
            data["resolved_by"] = self.resolved_by
        if self.ambiguous:
            data["ambiguous"] = list(self.ambiguous)
        if self.loose:
            data["loose"] = True
        if self.approximate:
            data["approximate"] = True
        if self.entry.extra:
            data["extra_lines"] = len(self.entry.extra)
        if self.entry.truncated or self.entry.malformed:
            data["truncated"] = self.entry.truncated
            data["malformed"] = self.entry.malformed
        return data


_MAX_THREADS = 100_000
"""Threads whose last statements are remembered; past that the memory starts afresh."""
_RECENT = 8
"""Statements remembered per thread: an operation's lines, a helper's lines between them."""


def as_matcher(source: Program | Iterable[LogStatement] | Matcher, approximate: bool = True) -> Matcher:
    if isinstance(source, Matcher):
        return source
    statements = getattr(source, "log_statements", None)  # a tools.java Program
    if isinstance(statements, dict):
        return Matcher(statements.values(), approximate, program_ancestors(source))
    return Matcher(source, approximate)  # type: ignore[arg-type]


def program_ancestors(program: object) -> dict[str, frozenset[str]]:
    """``hints.ancestor_classes`` of a tools.java Program's types, read by duck typing (matching
    never imports tools/java); empty for anything without ``types``."""
    types = getattr(program, "types", None) or {}
    return ancestor_classes((t.name, t.superclass) for t in types.values())


def match_entries(matcher: Matcher, entries: Iterable[LogEntry],
                  fallback: FallbackClusters | None = None) -> Iterator[MatchedLine]:
    """Match entries one by one; unmatched ones go to ``fallback`` (a fresh Drain3 if None)."""
    clusters = fallback if fallback is not None else FallbackClusters()
    match = matcher.match
    recent: dict[str | None, deque[LogStatement]] = {}
    """Thread -> the statements of its last matched lines (for ties, see ``Matcher.match``)."""
    no_history: deque[LogStatement] = deque(maxlen=_RECENT)
    for entry in entries:
        history = recent.get(entry.thread, no_history)
        found = None if entry.malformed else match(
            entry.message, entry.level, entry.source_class or entry.logger, entry.source_line,
            entry.source_method, history)
        if found is not None:  # positional arguments: this loop runs once per log line
            statement, params, ambiguous, resolved_by, loose, approximate, rivals = found
            if history is no_history:
                if len(recent) >= _MAX_THREADS:
                    recent.clear()
                history = recent[entry.thread] = deque(maxlen=_RECENT)
            history.append(statement)
            yield MatchedLine(entry, statement, params, None, None, ambiguous, resolved_by, loose,
                              approximate, rivals)
        else:
            cluster, template = clusters.assign(entry.message)
            yield MatchedLine(entry, None, cluster=cluster, cluster_template=template)


def match_file(source: Program | Iterable[LogStatement] | Matcher, paths: str | Path | Sequence[str | Path],
               fmt: str | LogFormat = "auto", *, stats: ReadStats | None = None,
               fallback: FallbackClusters | None = None, approximate: bool = True,
               layouts: Sequence[str] = ()) -> Iterator[MatchedLine]:
    """Match every entry of one or more log files (streamed, in order) against ``source``'s statements.

    ``approximate`` lets lines that name their class map to that class's closest statement when no
    template matches (logs of another code version); such lines are flagged ``approximate``.
    ``layouts`` are extra candidates for ``fmt="auto"``; given a ``Program`` they default to the
    layouts configured in its repository (``discover_layouts``). When the source holds a class in
    two source trees, the files are read twice: once to learn which copy the log points to
    (``Matcher.learn_copies``), then to match.
    """
    matcher = as_matcher(source, approximate)
    root = getattr(source, "root", None)
    if fmt == "auto" and not layouts and isinstance(root, str):
        from anomalygen.tools.logs.discover import discover_layouts

        layouts = discover_layouts(root)
    files = [paths] if isinstance(paths, str | Path) else list(paths)
    if matcher.copies:  # the same class in two source trees: the whole log says which one ran
        matcher.learn_copies((e.message, e.level, e.source_class or e.logger, e.source_line, e.source_method)
                             for path in files for e in read_entries(path, fmt, layouts=layouts)
                             if not e.malformed)
    clusters = fallback if fallback is not None else FallbackClusters()
    for path in files:
        yield from match_entries(matcher, read_entries(path, fmt, stats=stats, layouts=layouts), clusters)


def observed_parameters(lines: Iterable[MatchedLine],
                        limit: int = MAX_OBSERVED) -> dict[str, list[tuple[str, ...]]]:
    """Distinct parameter tuples seen per statement id, in first-seen order (at most ``limit`` each)."""
    observed = ObservedParameters(limit)
    for line in lines:
        observed.add(line)
    return observed.result()


class ObservedParameters:
    """``observed_parameters`` one line at a time, for a pass that does other work on each line."""

    __slots__ = ("_limit", "_seen")

    def __init__(self, limit: int = MAX_OBSERVED) -> None:
        self._limit = limit
        self._seen: dict[str, dict[tuple[str, ...], None]] = {}

    def add(self, line: MatchedLine) -> None:
        if line.statement is None or not line.params:
            return
        values = self._seen.setdefault(line.statement.id, {})
        if len(values) < self._limit:
            values[line.params] = None

    def result(self) -> dict[str, list[tuple[str, ...]]]:
        return {statement: list(values) for statement, values in self._seen.items()}
