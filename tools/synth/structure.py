"""Real session structure given as key sequences in a vocabulary (DeepLog's ``hdfs_train``...).

``read_structure`` aligns the vocabulary to the program's statements and reads the key files; the
result is plain data for the checkpoint: the alignment (statement -> key) and the sessions as keys.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TypedDict

from anomalygen.records import LogStatement
from anomalygen.tools.synth.vocabulary import align, load_vocabulary, read_key_sessions


class RealStructure(TypedDict):
    vocabulary: str | None
    """The vocabulary file (None: statement ids are the events)."""
    key_of: dict[str, str]
    """Statement id -> vocabulary key, for every statement the vocabulary describes."""
    templates: dict[str, str]
    """Vocabulary key -> its template (``{}`` slots), in the vocabulary's order."""
    event_ids: dict[str, str]
    """Vocabulary key -> the event id its own sessions use: the key itself (loghub's ``E22`` is
    DeepLog's ``22``), or the statement id a ``vocabulary.json`` names for it."""
    alignment: dict[str, object]
    """``Alignment.summary``: keys aligned, keys no statement prints, keys shared by statements."""
    files: list[str]
    sessions: list[list[str]]
    """Real normal sessions as vocabulary keys, in file order."""
    skipped_keys: int
    """Events of the key files whose key the vocabulary does not have (dropped, counted)."""
    skipped_sessions: int


def read_structure(statements: Mapping[str, LogStatement], vocabulary: str | None,
                   files: Sequence[str]) -> RealStructure:
    """Align ``vocabulary`` (a loghub templates CSV or a vocabulary.json) and read the key files."""
    if vocabulary is None:
        return {"vocabulary": None, "key_of": {}, "templates": {}, "event_ids": {}, "alignment": {},
                "files": [], "sessions": [], "skipped_keys": 0, "skipped_sessions": 0}
    given = load_vocabulary(vocabulary)
    alignment = align(given, statements.values())
    sessions: list[list[str]] = []
    skipped_keys = skipped_sessions = 0
    for file in files:
        read = read_key_sessions(file, alignment)
        sessions.extend(read.sessions)
        skipped_keys += read.skipped_keys
        skipped_sessions += read.skipped_sessions
    return {"vocabulary": vocabulary, "key_of": dict(alignment.key_of),
            "templates": {e.key: e.template for e in given.entries},
            "event_ids": {e.key: given.statement_ids.get(e.key, e.key) for e in given.entries},
            "alignment": alignment.summary(),
            "files": list(files), "sessions": sessions, "skipped_keys": skipped_keys,
            "skipped_sessions": skipped_sessions}


def repeated_statements(first_orders: Sequence[Sequence[str]], structure: RealStructure | None) -> set[str]:
    """Statements some real session prints more than once (three datanodes' ``Receiving block``):
    from real log sessions (statement ids) and from key sessions (every statement of the key)."""
    repeated = {sid for order in first_orders for sid, n in Counter(order).items() if n > 1}
    if structure is not None and structure["sessions"]:
        keys = {key for keys in structure["sessions"] for key, n in Counter(keys).items() if n > 1}
        repeated.update(sid for sid, key in structure["key_of"].items() if key in keys)
    return repeated
