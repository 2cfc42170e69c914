"""A given event vocabulary aligned to the source's log statements.

Public datasets key their sessions in their own vocabulary: DeepLog's HDFS sessions use loghub's
``HDFS_templates.csv`` (key ``k`` is template ``Ek``), a key-sequence folder its
``vocabulary.json``. To learn from such sessions and to export synthetic ones in the same keys,
each vocabulary template is aligned to the statements whose source template it describes: the
vocabulary template's constant pieces, in order, must occur in the statement's template (whose
slots are ``{}``). A statement two vocabulary templates describe goes to the more specific one
(more constant text); several statements may share one key (the same message printed by two
methods). Statements no vocabulary template describes keep no key: exported sessions key them
apart, above the vocabulary's largest key.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from anomalygen.records import LogStatement

_LEADING_LETTERS = re.compile(r"^[A-Za-z]+(?=\d+$)")
MAX_NAMED = 5
"""Templates named in the error of a vocabulary that matches no statement."""


class VocabularyError(ValueError):
    """A vocabulary file that cannot be read or aligned (the message names the file)."""


@dataclass(frozen=True, slots=True)
class VocabularyEntry:
    key: str
    """The event key as the vocabulary's sessions write it (loghub ``E22`` -> ``22``)."""
    template: str
    """The vocabulary's template, wildcards as ``{}``."""


@dataclass(slots=True)
class Vocabulary:
    path: str
    entries: list[VocabularyEntry]
    statement_ids: dict[str, str] = field(default_factory=dict)
    """key -> LogStatement id, when the vocabulary names statements itself (``vocabulary.json``)."""

    def keys(self) -> list[str]:
        return [e.key for e in self.entries]


@dataclass(frozen=True, slots=True)
class Alignment:
    """Which statements each key stands for, and the key of each statement."""

    vocabulary: Vocabulary
    statements_of: dict[str, tuple[str, ...]]
    """key -> ids of the statements it describes (sorted; empty: no statement of this source)."""
    key_of: dict[str, str]
    """statement id -> key."""

    @property
    def unmatched(self) -> list[str]:
        """Keys no statement of the source prints."""
        return [key for key, ids in self.statements_of.items() if not ids]

    def token(self, statement: str) -> str:
        """The event as the vocabulary's sessions see it: its key, else the statement id itself."""
        return self.key_of.get(statement, statement)

    def summary(self) -> dict[str, object]:
        shared = sum(1 for ids in self.statements_of.values() if len(ids) > 1)
        return {"vocabulary": self.vocabulary.path, "keys": len(self.statements_of),
                "keys_aligned": len(self.statements_of) - len(self.unmatched),
                "keys_unaligned": self.unmatched, "statements_aligned": len(self.key_of),
                "keys_shared_by_statements": shared}


def _key(event_id: str) -> str:
    """loghub numbers its templates ``E1..En``; DeepLog's sessions write the bare number."""
    return _LEADING_LETTERS.sub("", event_id.strip())


def load_vocabulary(path: str | FilePath) -> Vocabulary:
    """A loghub templates CSV (``EventId,EventTemplate``, ``<*>`` wildcards) or a key-sequence
    folder's ``vocabulary.json`` (or the folder itself)."""
    path = FilePath(path)
    if path.is_dir():
        path = path / "vocabulary.json"
    if not path.is_file():
        raise VocabularyError(f"vocabulary {path} does not exist or is not a file")
    if path.suffix.lower() == ".json":
        return _from_json(path)
    return _from_csv(path)


def _from_csv(path: FilePath) -> Vocabulary:
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"EventId", "EventTemplate"} <= set(reader.fieldnames or ()):
                raise VocabularyError(f"{path}: a templates CSV needs the columns EventId and EventTemplate")
            entries = [VocabularyEntry(_key(row["EventId"] or ""),
                                       (row["EventTemplate"] or "").replace("<*>", "{}")) for row in reader]
    except (OSError, csv.Error, UnicodeError) as exc:
        raise VocabularyError(f"cannot read vocabulary {path}: {exc}") from exc
    entries = [e for e in entries if e.key]
    if not entries:
        raise VocabularyError(f"{path}: no templates")
    if len({e.key for e in entries}) != len(entries):
        raise VocabularyError(f"{path}: an EventId appears twice")
    return Vocabulary(str(path), entries)


def _from_json(path: FilePath) -> Vocabulary:
    try:
        keys = json.loads(path.read_text(encoding="utf-8"))["keys"]
        entries = [VocabularyEntry(str(k), str(v.get("template", ""))) for k, v in keys.items()]
        named = {str(k): str(v["statement"]) for k, v in keys.items() if v.get("statement")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise VocabularyError(f"{path}: not a valid vocabulary.json ({type(exc).__name__}: {exc})") from exc
    if not entries:
        raise VocabularyError(f"{path}: no keys")
    return Vocabulary(str(path), entries, named)


def _pattern(template: str) -> re.Pattern[str] | None:
    """Constant pieces of ``template`` in order, anything between them; None for a bare wildcard."""
    pieces = [p.strip() for p in template.split("{}") if p.strip()]
    if not pieces:
        return None
    return re.compile("(?s)" + ".*?".join(re.escape(p) for p in pieces))


def _specificity(template: str) -> int:
    return len(template.replace("{}", "").strip())


def align(vocabulary: Vocabulary, statements: Iterable[LogStatement]) -> Alignment:
    """Align ``vocabulary`` to ``statements``; raises when no key describes any statement."""
    known = {s.id: s for s in statements}
    best: dict[str, tuple[int, str]] = {}
    for entry in vocabulary.entries:
        named = vocabulary.statement_ids.get(entry.key)
        if named is not None and named in known:
            best[named] = (1 << 30, entry.key)
            continue
        pattern = _pattern(entry.template)
        if pattern is None:
            continue
        score = _specificity(entry.template)
        for statement in known.values():
            if pattern.search(statement.template) and score > best.get(statement.id, (-1, ""))[0]:
                best[statement.id] = (score, entry.key)
    key_of = {sid: key for sid, (_, key) in sorted(best.items())}
    statements_of: dict[str, list[str]] = {e.key: [] for e in vocabulary.entries}
    for sid, key in key_of.items():
        statements_of[key].append(sid)
    if not key_of:
        sample = "; ".join(repr(e.template) for e in vocabulary.entries[:MAX_NAMED])
        raise VocabularyError(f"vocabulary {vocabulary.path} describes no log statement of this source "
                              f"(its templates look like {sample})")
    return Alignment(vocabulary, {k: tuple(sorted(v)) for k, v in statements_of.items()}, key_of)


@dataclass(frozen=True, slots=True)
class KeySessions:
    """Sessions read from a key file, in the vocabulary's keys, and what was skipped."""

    sessions: list[list[str]]
    skipped_keys: int
    """Events whose key the vocabulary does not have (dropped from their session)."""
    skipped_sessions: int
    """Sessions left empty after that."""


def read_key_sessions(path: str | FilePath, alignment: Alignment) -> KeySessions:
    """Sessions of a key file (one session a line, space-separated keys, DeepLog's format)."""
    known = set(alignment.statements_of)
    sessions: list[list[str]] = []
    skipped_keys = skipped_sessions = 0
    try:
        with FilePath(path).open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                tokens = line.split()
                if not tokens:
                    continue
                kept = [t for t in tokens if t in known]
                skipped_keys += len(tokens) - len(kept)
                if kept:
                    sessions.append(kept)
                else:
                    skipped_sessions += 1
    except OSError as exc:
        raise VocabularyError(f"cannot read key sessions {path}: {exc.strerror or exc}") from exc
    if not sessions and skipped_sessions:
        # a wrong file (or a wrong vocabulary), not sessions with a few unknown keys
        raise VocabularyError(f"{path}: none of its {skipped_sessions} lines holds a key of the vocabulary "
                              f"(keys such as {', '.join(sorted(known, key=_key_order)[:3])}): is it a "
                              "key-sequence file of that vocabulary?")
    return KeySessions(sessions, skipped_keys, skipped_sessions)


def _key_order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (1 << 30, key)


def tokens(sequence: Sequence[str], alignment: Alignment | None) -> list[str]:
    """Statement ids as the vocabulary sees them (unchanged without a vocabulary)."""
    return list(sequence) if alignment is None else [alignment.token(s) for s in sequence]


def alignment_for(statements: Mapping[str, LogStatement], path: str | None) -> Alignment | None:
    return None if path is None else align(load_vocabulary(path), statements.values())
