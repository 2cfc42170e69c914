"""The ``logs`` stage: what real logs tell the synthesis (via tools/logs).

Three things, all plain data for the checkpoint: the statements real logs cover (for the coverage
gained), the parameter values seen per statement (the first source of slot values) and the order
in which statements appear within real sessions (to interleave synthetic sessions like real ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path as FilePath
from typing import Any

from anomalygen.tools.java.model import Program
from anomalygen.tools.logs.labels import load_labels
from anomalygen.tools.logs.match import match_file, observed_parameters
from anomalygen.tools.logs.sessions import HDFS_BLOCK, ZK_SESSION, SessionSpec, make_sessions, parse_spec
from anomalygen.tools.logs.stats import ReadStats
from anomalygen.tools.synth.labels import anomalous_only
from anomalygen.tools.synth.params import MAX_OBSERVED_PER_SLOT
from anomalygen.tools.synth.sessions import MAX_PRECEDENCE_EVENTS, learn_precedence

AUTO_WINDOW_S = 60.0
MAX_SESSIONS = 2000
"""Real sessions whose statement order is kept in the checkpoint."""


def _auto_spec(messages: Sequence[str]) -> SessionSpec:
    """Block ids if lines name them, else ZooKeeper session ids, else one-minute windows."""
    import re

    for pattern in (HDFS_BLOCK, ZK_SESSION):
        regex = re.compile(pattern)
        if sum(1 for m in messages if regex.search(m)) >= max(1, len(messages) // 20):
            return SessionSpec("identifier", pattern)
    return SessionSpec("window", size=AUTO_WINDOW_S)


def read_real_logs(program: Program, files: Sequence[str], log_format: str,
                   session_by: str, labels_file: str | None = None) -> dict[str, Any]:
    """What the pipeline learns from real logs. With ``labels_file`` (``id,label`` per session),
    also the statements that labelled real sessions print only when anomalous."""
    stats = ReadStats()
    lines = list(match_file(program, [FilePath(f) for f in files], log_format, stats=stats))
    matched = [line for line in lines if line.statement is not None]
    if session_by == "auto":
        spec = _auto_spec([line.entry.message for line in lines])
    else:
        spec = parse_spec(session_by)
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
        "precedence": [[a, b, n] for (a, b), n in sorted(precedence.items())],
        # Statements per real session in log order, repeats kept: entry-point orderings and session
        # shapes (which paths, how many times each) are learned from it once the paths are known.
        "first_orders": [seq[:MAX_PRECEDENCE_EVENTS] for seq in sequences[:MAX_SESSIONS]],
        # The least severe level the deployment printed: statements below it (DEBUG when the logs
        # hold INFO and up) are silent in production, and synthetic sessions leave them out.
        "min_level": min(levels, key=lambda level: level.severity).value if levels else None,
        "labelled_sessions": sum(1 for s in sessions if s.label is not None),
        "anomalous_only": sorted(anomalous_only((s.label, seq) for s, seq in zip(sessions, sequences,
                                                                                strict=True))),
        "observed": {sid: [list(row) for row in rows] for sid, rows in sorted(observed.items())},
    }
