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

from dataclasses import dataclass, field
from pathlib import Path

from anomalygen.detectors.base import EventSequence, event_keys
from anomalygen.detectors.datasets.base import DatasetSplit
from anomalygen.detectors.datasets.splitting import split_sessions
from anomalygen.keyseq import (
    PARTS,
    SESSIONS_FILE,
    VOCABULARY_FILE,
    read_key_file,
    read_session_records,
    read_vocabulary,
)


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
        if (candidate / VOCABULARY_FILE).is_file():
            return candidate
    raise FileNotFoundError(f"no key-sequence dataset at {path}: expected {path}/vocabulary.json "
                            f"(or {path}/sequences/vocabulary.json, see docs/formats.md)")


def _attach_events(folder: KeySequenceFolder, jsonl: Path) -> None:
    """Replace bare ids with ``Event`` records from sessions.jsonl when it matches the keys."""
    ordered = [seq for part in PARTS for seq in folder.sessions[part]]
    records: list[EventSequence] = [list(record.events) for record in read_session_records(jsonl)]
    if len(records) != len(ordered) or any(
        event_keys(r) != event_keys(s) for r, s in zip(records, ordered, strict=True)
    ):
        raise ValueError(f"{jsonl} does not match the .keys files beside it (different sessions or order)")
    start = 0
    for part in PARTS:
        count = len(folder.sessions[part])
        folder.sessions[part] = records[start : start + count]
        start += count


def read_folder(path: Path, *, with_params: bool = True) -> KeySequenceFolder:
    root = resolve_folder(path)
    vocabulary = read_vocabulary(root / VOCABULARY_FILE)
    statements = {key: entry.statement for key, entry in vocabulary.items()}
    templates = {entry.statement: entry.template for entry in vocabulary.values()}
    folder = KeySequenceFolder(root, statements, templates)
    for part in PARTS:
        keys = root / f"{part}.keys"
        folder.sessions[part] = list(read_key_file(keys, vocabulary)) if keys.is_file() else []
    jsonl = root / SESSIONS_FILE
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
