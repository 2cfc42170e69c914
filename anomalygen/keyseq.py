"""The key-sequence dataset folder of docs/formats.md, written and read in one place.

Three rooms share this format: ``anomalygen sessions`` writes real sessions (tools/logs),
``anomalygen run`` writes synthetic ones (tools/synth) and the detectors read both
(detectors/datasets). ``vocabulary.json`` maps integer keys (from 1; 0 is padding) to
``LogStatement`` ids and templates; ``normal.keys`` / ``abnormal.keys`` / ``unlabeled.keys`` hold
one session a line; ``sessions.jsonl`` holds the same sessions in the same order (normal,
abnormal, unlabeled) with parameters and times.

The writer always writes all three ``.keys`` parts: a part without sessions is an empty file, so
the folder's layout never depends on the data and a part left by an earlier export is
overwritten, never read as current. Readers treat a missing part as empty (raw DeepLog folders).
Every file is written to a temporary name and renamed (``outdir.atomic_file``), so an interrupted
export never leaves a half-written file that looks finished, and never writes through a link left
at either name.
"""

from __future__ import annotations

import itertools
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from anomalygen.outdir import atomic_file
from anomalygen.records import Event, LogStatement, Session

PARTS = ("normal", "abnormal", "unlabeled")
"""The ``.keys`` files, in the order ``sessions.jsonl`` concatenates them."""
VOCABULARY_FILE = "vocabulary.json"
SESSIONS_FILE = "sessions.jsonl"
_BATCH = 4096
"""Events encoded at once by the writer: the speed of one ``json.dumps`` call, the memory of a batch."""


class KeySequenceError(ValueError):
    """A key-sequence folder or file that cannot be read (names the file and line)."""


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    """What one integer key stands for."""

    statement: str
    """The LogStatement id (or a Drain3 cluster id for lines no statement matched)."""
    template: str = ""
    file: str | None = None
    line: int | None = None
    level: str | None = None
    sources: tuple[str, ...] | None = None
    """When ``statement`` is a given vocabulary's event id (loghub's ``22``): the LogStatement ids
    of this source it stands for (empty: none prints it). None: ``statement`` is one itself."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One line of ``sessions.jsonl``: a session with its events' parameters and times."""

    session: str
    label: int | None
    source: str
    events: tuple[Event, ...]


def part_of(label: int | None) -> str:
    """The ``.keys`` part a session with this label belongs to."""
    return "unlabeled" if label is None else ("abnormal" if label else "normal")


class SessionLike(Protocol):
    """What the writer needs of a session: ``Session``, or one whose events stream from disk."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> int | None: ...
    @property
    def source(self) -> str: ...
    @property
    def events(self) -> Iterable[Event]: ...


def build_vocabulary(sessions: Iterable[Session], statements: Mapping[str, LogStatement],
                     cluster_templates: Mapping[str, str] | None = None) -> dict[int, VocabularyEntry]:
    """Keys 1..n for the event ids used by ``sessions``, in sorted id order (stable across runs)."""
    used = {event.statement for session in sessions for event in session.events}
    return vocabulary_of(used, statements, cluster_templates)


def vocabulary_of(used: Iterable[str], statements: Mapping[str, LogStatement],
                  cluster_templates: Mapping[str, str] | None = None) -> dict[int, VocabularyEntry]:
    """Keys 1..n for the event ids ``used``, in sorted id order (stable across runs)."""
    vocabulary: dict[int, VocabularyEntry] = {}
    for key, event_id in enumerate(sorted(set(used)), start=1):
        statement = statements.get(event_id)
        if statement is not None:
            vocabulary[key] = VocabularyEntry(event_id, statement.template, statement.file, statement.line,
                                              statement.level.value)
        else:  # a Drain3 cluster of lines no statement matched
            vocabulary[key] = VocabularyEntry(event_id, (cluster_templates or {}).get(event_id, ""))
    return vocabulary


def write_folder(folder: str | Path, sessions: Iterable[SessionLike],
                 vocabulary: Mapping[int, VocabularyEntry]) -> list[Path]:
    """Write the folder (created) for ``sessions``; returns the files written, in writing order.

    One pass over ``sessions`` and over each one's events, holding none of them: a session's events
    may stream from disk (``tools/logs/spool.py``), so memory does not grow with the data. Every
    file is renamed into place only once all are written; an event id missing from ``vocabulary``
    (``build_vocabulary`` or ``vocabulary_of`` makes one) raises ``KeySequenceError`` and leaves
    the folder as it was.
    """
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    keys = {entry.statement: str(key) for key, entry in vocabulary.items()}
    table = {"keys": {str(k): _entry_json(e) for k, e in vocabulary.items()}}
    names = [VOCABULARY_FILE, *(f"{part}.keys" for part in PARTS), SESSIONS_FILE]
    with ExitStack() as files:
        handles = {name: files.enter_context(atomic_file(root / name)) for name in names}
        handles[VOCABULARY_FILE].write((json.dumps(table, indent=1) + "\n").encode())
        # sessions.jsonl lists the parts in PARTS order: each part's records wait in an unnamed file
        records = {part: files.enter_context(tempfile.TemporaryFile(dir=root)) for part in PARTS}
        for session in sessions:
            part = part_of(session.label)
            _write_session(session, keys, handles[f"{part}.keys"], records[part])
        for part in PARTS:
            records[part].seek(0)
            shutil.copyfileobj(records[part], handles[SESSIONS_FILE])
    return [root / name for name in names]


def _write_session(session: SessionLike, keys: Mapping[str, str], key_file: BinaryIO,
                   record_file: BinaryIO) -> None:
    """One line of keys and one ``sessions.jsonl`` record, a batch of events at a time (``json.dumps``'
    own spacing: a batch's list without its brackets is its items joined as in the whole list)."""
    head = json.dumps({"session": session.id, "label": session.label, "source": session.source, "events": []},
                      ensure_ascii=False)
    record_file.write(head[:-2].encode())  # up to and including the events' opening bracket
    first = True
    events = iter(session.events)
    while batch := list(itertools.islice(events, _BATCH)):
        try:
            line = " ".join(keys[event.statement] for event in batch)
        except KeyError as exc:
            raise KeySequenceError(f"event id {exc.args[0]!r} of session {session.id!r} has no key in the "
                                   "vocabulary") from None
        items = json.dumps([{"statement": e.statement, "params": list(e.params), "timestamp": e.timestamp}
                            for e in batch], ensure_ascii=False)[1:-1]
        key_file.write((line if first else f" {line}").encode())
        record_file.write((items if first else f", {items}").encode())
        first = False
    key_file.write(b"\n")
    record_file.write(b"]}\n")


def _entry_json(entry: VocabularyEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"statement": entry.statement, "template": entry.template, "file": entry.file,
                            "line": entry.line, "level": entry.level}
    if entry.sources is not None:
        data["sources"] = list(entry.sources)
    return data


def read_vocabulary(path: str | Path) -> dict[int, VocabularyEntry]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {int(k): VocabularyEntry(str(v["statement"]), str(v.get("template") or ""), v.get("file"),
                                        v.get("line"), v.get("level"), _sources(v.get("sources")))
                for k, v in data["keys"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeySequenceError(f"{path}: not a valid vocabulary.json ({type(exc).__name__}: {exc})") from exc


def _sources(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise TypeError(f"sources must be a list, got {type(value).__name__}")
    return tuple(map(str, value))


def read_key_file(path: str | Path,
                  vocabulary: Mapping[int, VocabularyEntry] | None = None) -> list[list[str]]:
    """One event-id list per line; without a vocabulary the keys themselves are the ids (raw DeepLog)."""
    path = Path(path)
    sequences: list[list[str]] = []
    try:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                where = f"{path}:{number}"
                try:
                    keys = [int(token) for token in line.split()]
                    sequences.append([vocabulary[k].statement if vocabulary is not None else str(k)
                                      for k in keys])
                except ValueError:
                    bad = line.strip()[:80]
                    raise KeySequenceError(f"{where}: keys must be integers, got {bad!r}") from None
                except KeyError as exc:
                    missing = exc.args[0]
                    raise KeySequenceError(f"{where}: key {missing} is not in {VOCABULARY_FILE}") from None
    except OSError as exc:
        raise KeySequenceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return sequences


def read_session_records(path: str | Path) -> list[SessionRecord]:
    """The sessions of a ``sessions.jsonl``, in file order; blank lines are skipped."""
    return list(iter_session_records(path))


def iter_session_records(path: str | Path) -> Iterator[SessionRecord]:
    """``read_session_records`` one record at a time: a file of any size in the memory of one line."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = _record(json.loads(line))
                except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                    raise KeySequenceError(
                        f"{path}:{number}: not a session record ({type(exc).__name__}: {str(exc)[:200]})"
                    ) from None
                yield record
    except OSError as exc:
        raise KeySequenceError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _record(data: dict[str, Any]) -> SessionRecord:
    events = tuple(Event(str(e["statement"]), tuple(str(p) for p in e.get("params", ())), e.get("timestamp"))
                   for e in data["events"])
    label = data.get("label")
    if label is not None and not isinstance(label, int):
        raise TypeError(f"label {label!r} is not 0, 1 or null")
    return SessionRecord(str(data.get("session", "")), label, str(data.get("source", "real")), events)
