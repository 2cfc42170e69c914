"""The key-sequence dataset folder of ``docs/formats.md`` (``anomalygen sessions`` / ``run``).

Keys are an encoding: every key is mapped back to its ``LogStatement`` id through
``vocabulary.json``, so two folders numbered differently still share one vocabulary. When
``sessions.jsonl`` is present and agrees with the ``.keys`` files, sessions carry their
``Event`` records (with parameters) instead of bare statement ids.

``load(data_dir, seed)`` accepts the folder itself or an ``anomalygen run`` output folder holding
it under ``sequences/``; normal sessions are split 60/20/20 and anomalous ones are test sessions
(see ``splitting``). Unlabeled sessions are not used for evaluation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from anomalygen.detectors.base import EventSequence, event_keys
from anomalygen.detectors.datasets.base import DatasetSplit
from anomalygen.detectors.datasets.splitting import split_sessions

from anomalygen.records import Event

_PARTS = ("normal", "abnormal", "unlabeled")


@dataclass(slots=True)
class KeySequenceFolder:
    """A key-sequence dataset folder, read: sessions as statement-id sequences."""

    path: Path
    statements: dict[int, str]
    """key -> LogStatement id."""
    templates: dict[str, str]
    """LogStatement id -> template text."""
    sessions: dict[str, list[EventSequence]] = field(default_factory=dict)
    """"normal" / "abnormal" / "unlabeled" -> sessions (statement ids, or Events with params)."""


def resolve_folder(path: Path) -> Path:
    """The folder holding ``vocabulary.json``: ``path`` itself or ``path/sequences``."""
    for candidate in (path, path / "sequences"):
        if (candidate / "vocabulary.json").is_file():
            return candidate
    raise FileNotFoundError(f"no key-sequence dataset at {path}: expected {path}/vocabulary.json "
                            f"(or {path}/sequences/vocabulary.json, see docs/formats.md)")


def _read_vocabulary(path: Path) -> tuple[dict[int, str], dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["keys"]
        statements = {int(key): str(entry["statement"]) for key, entry in entries.items()}
        templates = {str(entry["statement"]): str(entry.get("template", "")) for entry in entries.values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a valid vocabulary.json ({type(exc).__name__}: {exc})") from exc
    return statements, templates


def _read_keys(path: Path, statements: dict[int, str]) -> list[EventSequence]:
    if not path.is_file():
        return []
    sessions: list[EventSequence] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                sessions.append([statements[int(token)] for token in line.split()])
            except ValueError:
                raise ValueError(
                    f"{path}:{number}: keys must be integers, got {line.strip()[:80]!r}"
                ) from None
            except KeyError as exc:
                raise ValueError(f"{path}:{number}: key {exc.args[0]} is not in vocabulary.json") from None
    return sessions


def _attach_events(folder: KeySequenceFolder, jsonl: Path) -> None:
    """Replace bare ids with ``Event`` records from sessions.jsonl when it matches the keys."""
    ordered = [seq for part in _PARTS for seq in folder.sessions[part]]
    records: list[EventSequence] = []
    with jsonl.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                events = json.loads(line)["events"]
                records.append([Event(str(e["statement"]), tuple(str(p) for p in e.get("params", ())),
                                      e.get("timestamp")) for e in events])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(
                    f"{jsonl}:{number}: not a session record ({type(exc).__name__}: {exc})"
                ) from None
    if len(records) != len(ordered) or any(
        event_keys(r) != event_keys(s) for r, s in zip(records, ordered, strict=True)
    ):
        raise ValueError(f"{jsonl} does not match the .keys files beside it (different sessions or order)")
    start = 0
    for part in _PARTS:
        count = len(folder.sessions[part])
        folder.sessions[part] = records[start : start + count]
        start += count


def read_folder(path: Path, *, with_params: bool = True) -> KeySequenceFolder:
    root = resolve_folder(path)
    statements, templates = _read_vocabulary(root / "vocabulary.json")
    folder = KeySequenceFolder(root, statements, templates)
    for part in _PARTS:
        folder.sessions[part] = _read_keys(root / f"{part}.keys", statements)
    jsonl = root / "sessions.jsonl"
    if with_params and jsonl.is_file():
        _attach_events(folder, jsonl)
    return folder


def load_split(data_dir: Path, seed: int = 0, kind: str = "sessions") -> DatasetSplit:
    """Split a key-sequence folder by session; ``kind`` prefixes the dataset's name."""
    folder = read_folder(data_dir)
    return split_sessions(
        f"{kind}:{folder.path}",
        folder.sessions["normal"],
        folder.sessions["abnormal"],
        seed,
        vocabulary=folder.templates,
    )


def load(data_dir: Path, seed: int = 0) -> DatasetSplit:
    return load_split(data_dir, seed, "sessions")
