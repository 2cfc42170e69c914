"""What real logs tell the synthesis (read through tools/logs), as one checkpointable record.

Three kinds of knowledge, all plain JSON data: the statements real logs cover (for the coverage
gained), the parameter values seen per statement (the first source of slot values), and the
statement order within real sessions (to compose and interleave synthetic sessions like real ones).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import NotRequired, TypedDict

from anomalygen.tools.java.model import Program
from anomalygen.tools.logs.labels import load_labels
from anomalygen.tools.logs.match import match_file, observed_parameters
from anomalygen.tools.logs.sessions import HDFS_BLOCK, ZK_SESSION, SessionSpec, make_sessions, parse_spec
from anomalygen.tools.logs.stats import ReadStats
from anomalygen.tools.synth.compose.sessions import MAX_PRECEDENCE_EVENTS, learn_precedence
from anomalygen.tools.synth.labels.rules import anomalous_only
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


def _auto_spec(messages: Sequence[str]) -> SessionSpec:
    """Block ids if lines name them, else ZooKeeper session ids, else one-minute windows."""
    for pattern in (HDFS_BLOCK, ZK_SESSION):
        regex = re.compile(pattern)
        if sum(1 for m in messages if regex.search(m)) >= max(1, len(messages) // 20):
            return SessionSpec("identifier", pattern)
    return SessionSpec("window", size=AUTO_WINDOW_S)


def read_real_logs(program: Program, files: Sequence[str], log_format: str,
                   session_by: str, labels_file: str | None = None) -> RealLogs:
    """What the pipeline learns from real logs. With ``labels_file`` (``id,label`` per session),
    also the statements that labelled real sessions print only when anomalous."""
    stats = ReadStats()
    lines = list(match_file(program, [FilePath(f) for f in files], log_format, stats=stats))
    matched = [line for line in lines if line.statement is not None]
    messages = [line.entry.message for line in lines]
    spec = _auto_spec(messages) if session_by == "auto" else parse_spec(session_by)
    labels = load_labels(labels_file) if labels_file else None
    sessions = make_sessions(lines, spec, labels)
    known = program.log_statements
    sequences = [[e.statement for e in s.events if e.statement in known] for s in sessions]
    precedence = learn_precedence(sequences)
    levels = {line.statement.level for line in matched if line.statement is not None}
    observed = observed_parameters(matched, limit=MAX_OBSERVED_PER_SLOT)
    return {
        "files": list(files),
        "lines": len(lines),
        "matched": len(matched),
        "covered": sorted({line.statement.id for line in matched if line.statement is not None}),
        "sessions": len(sessions),
        "session_spec": {"kind": spec.kind, "pattern": spec.pattern, "size": spec.size},
        "precedence": [(a, b, n) for (a, b), n in sorted(precedence.items())],
        "first_orders": [seq[:MAX_PRECEDENCE_EVENTS] for seq in sequences[:MAX_SESSIONS]],
        "first_labels": [s.label for s in sessions[:MAX_SESSIONS]],
        # Statements below the least severe level the deployment printed (DEBUG when the logs hold
        # INFO and up) are silent in production: synthetic sessions leave them out.
        "min_level": min(levels, key=lambda level: level.severity).value if levels else None,
        "labelled_sessions": sum(1 for s in sessions if s.label is not None),
        "anomalous_only": sorted(anomalous_only((s.label, seq) for s, seq in zip(sessions, sequences,
                                                                                strict=True))),
        "observed": {sid: [list(row) for row in rows] for sid, rows in sorted(observed.items())},
    }
