"""DeepLog-style key sequences with a vocabulary: the key-sequence dataset folder of docs/formats.md.

``vocabulary.json`` maps integer keys (from 1; 0 is padding) to statement ids and templates;
``normal.keys`` / ``abnormal.keys`` / ``unlabeled.keys`` hold one session a line; ``sessions.jsonl``
holds the same sessions in the same order (normal, abnormal, unlabeled) with parameters and times.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anomalygen.records import Event, LogStatement, Session

PARTS = {0: "normal", 1: "abnormal", None: "unlabeled"}


class KeySequenceError(ValueError):
    """A key-sequence folder or file that cannot be read (names the file and line)."""


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    statement: str
    template: str = ""
    file: str | None = None
    line: int | None = None
    level: str | None = None


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


def export_key_sequences(sessions: list[Session], out_dir: str | Path, statements: Mapping[str, LogStatement],
                         cluster_templates: Mapping[str, str] | None = None) -> dict[str, int]:
    """Write the folder; returns the number of sessions written per part (normal/abnormal/unlabeled)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vocabulary = build_vocabulary(sessions, statements, cluster_templates)
    keys = {entry.statement: key for key, entry in vocabulary.items()}
    (out / "vocabulary.json").write_text(json.dumps(
        {"keys": {str(k): {"statement": e.statement, "template": e.template, "file": e.file, "line": e.line,
                           "level": e.level} for k, e in vocabulary.items()}}, indent=1), encoding="utf-8")
    counts: dict[str, int] = {}
    with (out / "sessions.jsonl").open("w", encoding="utf-8") as jsonl:
        for label, part in PARTS.items():
            chosen = [s for s in sessions if s.label == label]
            target = out / f"{part}.keys"
            if not chosen:
                target.unlink(missing_ok=True)  # a stale part from an earlier export would mislead readers
                continue
            counts[part] = len(chosen)
            with target.open("w", encoding="utf-8") as fh:
                for session in chosen:
                    fh.write(" ".join(str(keys[e.statement]) for e in session.events) + "\n")
                    jsonl.write(json.dumps(_session_json(session)) + "\n")
    return counts


def _session_json(session: Session) -> dict[str, Any]:
    return {"session": session.id, "label": session.label, "source": session.source,
            "events": [{"statement": e.statement, "params": list(e.params), "timestamp": e.timestamp}
                       for e in session.events]}


def read_vocabulary(path: str | Path) -> dict[int, VocabularyEntry]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {int(k): VocabularyEntry(str(v["statement"]), str(v.get("template") or ""), v.get("file"),
                                        v.get("line"), v.get("level")) for k, v in data["keys"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise KeySequenceError(f"{path}: not a valid vocabulary.json ({type(exc).__name__}: {exc})") from exc


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
                    raise KeySequenceError(f"{where}: key {exc.args[0]} is not in the vocabulary") from None
    except OSError as exc:
        raise KeySequenceError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return sequences


def import_key_sequences(folder: str | Path) -> list[Session]:
    """Sessions of a folder written by ``export_key_sequences`` (parameters restored from sessions.jsonl)."""
    root = Path(folder)
    vocabulary = read_vocabulary(root / "vocabulary.json")
    detailed: list[dict[str, Any]] = []
    jsonl = root / "sessions.jsonl"
    if jsonl.is_file():
        with jsonl.open(encoding="utf-8") as fh:
            detailed = [json.loads(line) for line in fh if line.strip()]
    sessions: list[Session] = []
    for label, part in PARTS.items():
        path = root / f"{part}.keys"
        if not path.is_file():
            continue
        for number, ids in enumerate(read_key_file(path, vocabulary)):
            record = detailed[len(sessions)] if len(sessions) < len(detailed) else None
            if record is not None and [e["statement"] for e in record["events"]] == ids:
                events = tuple(Event(e["statement"], tuple(e.get("params", ())), e.get("timestamp"))
                               for e in record["events"])
                sessions.append(Session(str(record["session"]), events, label, record.get("source", "real")))
            else:
                sessions.append(Session(f"{part}-{number}", tuple(Event(i) for i in ids), label))
    return sessions
