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
Every file is written to a temporary name and renamed, so an interrupted export never leaves a
half-written file that looks finished, and never writes through a link left at either name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anomalygen.records import Event, LogStatement, Session

PARTS = ("normal", "abnormal", "unlabeled")
"""The ``.keys`` files, in the order ``sessions.jsonl`` concatenates them."""
VOCABULARY_FILE = "vocabulary.json"
SESSIONS_FILE = "sessions.jsonl"


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


def build_vocabulary(sessions: Iterable[Session], statements: Mapping[str, LogStatement],
                     cluster_templates: Mapping[str, str] | None = None) -> dict[int, VocabularyEntry]:
    """Keys 1..n for the event ids used by ``sessions``, in sorted id order (stable across runs)."""
    used = sorted({event.statement for session in sessions for event in session.events})
    vocabulary: dict[int, VocabularyEntry] = {}
    for key, event_id in enumerate(used, start=1):
        statement = statements.get(event_id)
        if statement is not None:
            vocabulary[key] = VocabularyEntry(event_id, statement.template, statement.file, statement.line,
                                              statement.level.value)
        else:  # a Drain3 cluster of lines no statement matched
            vocabulary[key] = VocabularyEntry(event_id, (cluster_templates or {}).get(event_id, ""))
    return vocabulary


def write_folder(folder: str | Path, sessions: Sequence[Session],
                 vocabulary: Mapping[int, VocabularyEntry]) -> list[Path]:
    """Write the folder (created) for ``sessions``; returns the files written, in writing order.

    Every event id of ``sessions`` must be in ``vocabulary`` (``build_vocabulary`` makes one).
    """
    root = Path(folder)
    keys = {entry.statement: key for key, entry in vocabulary.items()}
    missing = sorted({e.statement for s in sessions for e in s.events} - set(keys))
    if missing:
        raise KeySequenceError(f"{len(missing)} event ids have no key in the vocabulary, e.g. {missing[0]!r}")
    table = {"keys": {str(k): _entry_json(e) for k, e in vocabulary.items()}}
    written = [_write_text(root / VOCABULARY_FILE, json.dumps(table, indent=1) + "\n")]
    ordered: list[Session] = []
    for part in PARTS:
        chosen = [s for s in sessions if part_of(s.label) == part]
        lines = "".join(" ".join(str(keys[e.statement]) for e in s.events) + "\n" for s in chosen)
        written.append(_write_text(root / f"{part}.keys", lines))
        ordered.extend(chosen)
    records = "".join(json.dumps(_record_json(s), ensure_ascii=False) + "\n" for s in ordered)
    written.append(_write_text(root / SESSIONS_FILE, records))
    return written


def _entry_json(entry: VocabularyEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"statement": entry.statement, "template": entry.template, "file": entry.file,
                            "line": entry.line, "level": entry.level}
    if entry.sources is not None:
        data["sources"] = list(entry.sources)
    return data


def _record_json(session: Session) -> dict[str, Any]:
    return {"session": session.id, "label": session.label, "source": session.source,
            "events": [{"statement": e.statement, "params": list(e.params), "timestamp": e.timestamp}
                       for e in session.events]}


def _write_text(target: Path, text: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)  # never write through a link left at the temp name
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, target)  # replaces a link at the target itself, never what it points to
    return target


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
    path = Path(path)
    records: list[SessionRecord] = []
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    records.append(_record(json.loads(line)))
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    raise KeySequenceError(
                        f"{path}:{number}: not a session record ({type(exc).__name__}: {exc})"
                    ) from None
    except OSError as exc:
        raise KeySequenceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return records


def _record(data: dict[str, Any]) -> SessionRecord:
    events = tuple(Event(str(e["statement"]), tuple(str(p) for p in e.get("params", ())), e.get("timestamp"))
                   for e in data["events"])
    label = data.get("label")
    if label is not None and not isinstance(label, int):
        raise TypeError(f"label {label!r} is not 0, 1 or null")
    return SessionRecord(str(data.get("session", "")), label, str(data.get("source", "real")), events)
