"""Real sessions to and from the key-sequence dataset folder (the format lives in ``anomalygen.keyseq``).

``export_key_sequences`` is what ``anomalygen sessions`` writes: the vocabulary also names the
Drain3 clusters of lines no statement matched. ``import_key_sequences`` reads any such folder back
into ``Session`` records, taking parameters and times from ``sessions.jsonl`` where a record
matches its line of keys, and bare events where it does not.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from anomalygen.keyseq import (
    PARTS,
    KeySequenceError,
    SessionRecord,
    build_vocabulary,
    iter_session_records,
    part_of,
    read_key_file,
    read_vocabulary,
    vocabulary_of,
    write_folder,
)
from anomalygen.records import Event, LogStatement, Session
from anomalygen.tools.logs.spool import SessionSpool

__all__ = ["KeySequenceError", "export_key_sequences", "export_spool", "import_key_sequences",
           "read_key_file"]

_LABELS: dict[str, int | None] = {"normal": 0, "abnormal": 1, "unlabeled": None}


def export_key_sequences(sessions: list[Session], out_dir: str | Path, statements: Mapping[str, LogStatement],
                         cluster_templates: Mapping[str, str] | None = None) -> dict[str, int]:
    """Write the folder; returns the number of sessions per part that has any (normal/abnormal/unlabeled)."""
    write_folder(out_dir, sessions, build_vocabulary(sessions, statements, cluster_templates))
    counts: dict[str, int] = {}
    for session in sessions:
        part = part_of(session.label)
        counts[part] = counts.get(part, 0) + 1
    return {part: counts[part] for part in PARTS if part in counts}


def export_spool(spool: SessionSpool, out_dir: str | Path, statements: Mapping[str, LogStatement],
                 cluster_templates: Mapping[str, str] | None = None) -> dict[str, int]:
    """``export_key_sequences`` for sessions held on disk: written without ever holding one in memory."""
    write_folder(out_dir, spool.sessions(), vocabulary_of(spool.used, statements, cluster_templates))
    counts: dict[str, int] = {}
    for key in spool.keys:
        part = part_of(spool.label_of(key))
        counts[part] = counts.get(part, 0) + 1
    return {part: counts[part] for part in PARTS if part in counts}


def import_key_sequences(folder: str | Path) -> list[Session]:
    """Sessions of a folder written by ``export_key_sequences`` (parameters restored from sessions.jsonl)."""
    root = Path(folder)
    vocabulary = read_vocabulary(root / "vocabulary.json")
    jsonl = root / "sessions.jsonl"
    # the records follow the key lines in the same order: read side by side, never all held twice
    detailed: Iterator[SessionRecord] = iter_session_records(jsonl) if jsonl.is_file() else iter(())
    sessions: list[Session] = []
    for part in PARTS:
        path = root / f"{part}.keys"
        if not path.is_file():
            continue
        label = _LABELS[part]
        for number, ids in enumerate(read_key_file(path, vocabulary)):
            record = next(detailed, None)
            if record is not None and [e.statement for e in record.events] == ids:
                sessions.append(Session(record.session, record.events, label, record.source))
            else:
                sessions.append(Session(f"{part}-{number}", tuple(Event(i) for i in ids), label))
    return sessions
