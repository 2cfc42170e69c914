"""What real logs tell the synthesis (read through tools/logs), as one checkpointable record.

Three kinds of knowledge, all plain JSON data: the statements real logs cover (for the coverage
gained), the parameter values seen per statement (the first source of slot values), and the
statement order within real sessions (to compose and interleave synthetic sessions like real ones).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import NotRequired, TypedDict

from anomalygen.records import Level
from anomalygen.tools.java.model import Program
from anomalygen.tools.logs.discover import discover_layouts
from anomalygen.tools.logs.labels import load_labels
from anomalygen.tools.logs.match import MatchedLine, ObservedParameters, match_file
from anomalygen.tools.logs.reader import read_entries
from anomalygen.tools.logs.sessions import HDFS_BLOCK, ZK_SESSION, SessionSpec, assignments, parse_spec
from anomalygen.tools.logs.spool import SessionSpool
from anomalygen.tools.logs.stats import ReadStats
from anomalygen.tools.synth.compose.sessions import MAX_PRECEDENCE_EVENTS, Precedence, add_precedence
from anomalygen.tools.synth.labels.rules import anomalous_only
from anomalygen.tools.synth.params.cluster import PeerReuse
from anomalygen.tools.synth.params.plan import MAX_OBSERVED_PER_SLOT

AUTO_WINDOW_S = 60.0
MAX_SESSIONS = 2000
"""Real sessions whose statement order is kept in the checkpoint."""


class SessionSpecData(TypedDict):
    kind: str
    pattern: str | None
    size: float | None


class RealLogs(TypedDict):
    """What the pipeline learned from the real logs of a run."""

    files: list[str]
    lines: int
    """Lines read (continuation lines folded into their entry)."""
    matched: int
    """Lines matched to a source statement."""
    covered: list[str]
    """Ids of the statements the real logs show, sorted."""
    sessions: int
    session_spec: SessionSpecData
    precedence: list[tuple[str, str, int]]
    """(a, b, n): in n real sessions statement a first appears before statement b."""
    first_orders: list[list[str]]
    """Statements per real session in log order, repeats kept (at most ``MAX_SESSIONS`` sessions of
    ``MAX_PRECEDENCE_EVENTS`` lines): session shapes and entry-point orders are learned from it."""
    first_labels: NotRequired[list[int | None]]
    """The label of each session of ``first_orders`` (None: unlabelled)."""
    min_level: str | None
    """The least severe level the deployment printed (None: no line matched)."""
    labelled_sessions: int
    anomalous_only: list[str]
    """Statements that labelled real sessions print only when anomalous."""
    observed: dict[str, list[list[str]]]
    """Statement id -> parameter tuples real lines printed (bounded per slot)."""
    routine: NotRequired[list[str]]
    """Statements an unlabelled real log prints routinely (``routine_statements``)."""
    peer_reuse: NotRequired[list[int]]
    """[reused, could be]: how often a session prints a host again that another slot printed
    (``cluster.PeerReuse``, over all sessions)."""


ROUTINE_SHARE = 0.1
"""Share of an unlabelled log's sessions a statement must appear in to count as routine."""
ROUTINE_MIN_SESSIONS = 20
"""Fewer sessions than this say nothing about what is routine."""


def routine_statements(printed_in: Counter[str], sessions: int, labelled: int) -> list[str]:
    """Statements printed in at least ``ROUTINE_SHARE`` of the sessions of an unlabelled log: what
    a deployment prints that often is how it works, whatever the level (a labelled log says itself
    which sessions failed)."""
    if labelled or sessions < ROUTINE_MIN_SESSIONS:
        return []
    return sorted(sid for sid, n in printed_in.items() if n >= ROUTINE_SHARE * sessions)


def _auto_spec(messages: Iterable[str]) -> SessionSpec:
    """Block ids if lines name them, else ZooKeeper session ids, else one-minute windows."""
    regexes = {pattern: re.compile(pattern) for pattern in (HDFS_BLOCK, ZK_SESSION)}
    hits = dict.fromkeys(regexes, 0)
    total = 0
    for message in messages:  # one pass, counting: a log of any size in constant memory
        total += 1
        for pattern, regex in regexes.items():
            hits[pattern] += regex.search(message) is not None
    for pattern in regexes:
        if hits[pattern] >= max(1, total // 20):
            return SessionSpec("identifier", pattern)
    return SessionSpec("window", size=AUTO_WINDOW_S)


@dataclass(slots=True)
class _Tally:
    """What is learned line by line while the lines stream on to be cut into sessions."""

    lines: int = 0
    matched: int = 0
    covered: set[str] = field(default_factory=set)
    levels: set[Level] = field(default_factory=set)
    observed: ObservedParameters = field(default_factory=lambda: ObservedParameters(MAX_OBSERVED_PER_SLOT))

    def watch(self, lines: Iterable[MatchedLine]) -> Iterator[MatchedLine]:
        for line in lines:
            self.lines += 1
            if line.statement is not None:
                self.matched += 1
                self.covered.add(line.statement.id)
                self.levels.add(line.statement.level)
                self.observed.add(line)
            yield line


def read_real_logs(program: Program, files: Sequence[str], log_format: str,
                   session_by: str, labels_file: str | None = None, spool_dir: str | None = None) -> RealLogs:
    """What the pipeline learns from real logs. With ``labels_file`` (``id,label`` per session),
    also the statements that labelled real sessions print only when anomalous.

    Streamed in bounded memory: lines are tallied as they pass, sessions wait on disk in
    ``spool_dir`` (the run's output folder; unnamed files, nothing left behind) and are read back
    one at a time, keeping only what the record holds (orders of the first ``MAX_SESSIONS``).
    """
    paths = [FilePath(f) for f in files]
    layouts = discover_layouts(program.root) if log_format == "auto" else []
    if session_by == "auto":  # a first, cheaper pass: entries only, no matching
        spec = _auto_spec(entry.message for path in paths
                          for entry in read_entries(path, log_format, layouts=layouts))
    else:
        spec = parse_spec(session_by)
    labels = load_labels(labels_file) if labels_file else None
    if spec.kind in ("window", "sliding", "count"):
        labels = None  # time and count windows carry no labels
    stats, tally = ReadStats(), _Tally()
    known = program.log_statements
    precedence: Precedence = {}
    first_orders: list[list[str]] = []
    first_labels: list[int | None] = []
    in_normal: set[str] = set()
    in_anomalous: set[str] = set()
    printed_in: Counter[str] = Counter()
    labelled = sessions = 0
    reuse = PeerReuse()
    lines = tally.watch(match_file(program, paths, log_format, stats=stats, layouts=layouts))
    # unnamed files in the output folder (the system's temporary folder for a library caller)
    with SessionSpool(spool_dir or tempfile.gettempdir(), labels) as spool:
        for key, event in assignments(lines, spec):
            spool.add(key, event)
        for session in spool.sessions():
            sessions += 1
            order: list[str] = []
            printed: set[str] = set()
            reuse.new_session()
            for event in session.events:
                if event.statement in known:
                    reuse.add(event.statement, event.params)
                    printed.add(event.statement)
                    if len(order) < MAX_PRECEDENCE_EVENTS:
                        order.append(event.statement)
            add_precedence(precedence, order)
            printed_in.update(printed)
            if len(first_orders) < MAX_SESSIONS:
                first_orders.append(order)
                first_labels.append(session.label)
            labelled += session.label is not None
            if session.label == 0:
                in_normal |= printed
            elif session.label == 1:
                in_anomalous |= printed
    levels = tally.levels
    return {
        "files": list(files),
        "lines": tally.lines,
        "matched": tally.matched,
        "covered": sorted(tally.covered),
        "sessions": sessions,
        "session_spec": {"kind": spec.kind, "pattern": spec.pattern, "size": spec.size},
        "precedence": [(a, b, n) for (a, b), n in sorted(precedence.items())],
        "first_orders": first_orders,
        "first_labels": first_labels,
        # Statements below the least severe level the deployment printed (DEBUG when the logs hold
        # INFO and up) are silent in production: synthetic sessions leave them out.
        "min_level": min(levels, key=lambda level: level.severity).value if levels else None,
        "labelled_sessions": labelled,
        "anomalous_only": sorted(anomalous_only([(0, sorted(in_normal)), (1, sorted(in_anomalous))])),
        "observed": {sid: [list(row) for row in rows]
                     for sid, rows in sorted(tally.observed.result().items())},
        "routine": routine_statements(printed_in, sessions, labelled),
        "peer_reuse": [reuse.reused, reuse.possible],
    }
