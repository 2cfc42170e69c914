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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath

from anomalygen.records import LogStatement
from anomalygen.vocabulary import TemplateKeys, Vocabulary, VocabularyEntry, VocabularyError, load_vocabulary

__all__ = ["Alignment", "KeySessions", "Vocabulary", "VocabularyEntry", "VocabularyError", "align",
           "alignment_for", "load_vocabulary", "read_key_sessions", "tokens"]

MAX_NAMED = 5
"""Templates named in the error of a vocabulary that matches no statement."""

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


def align(vocabulary: Vocabulary, statements: Iterable[LogStatement]) -> Alignment:
    """Align ``vocabulary`` to ``statements``; raises when no key describes any statement."""
    known = {s.id: s for s in statements}
    # a statement the vocabulary names is that key's, whatever its text says
    named = {sid: key for key, sid in vocabulary.statement_ids.items() if sid in known}
    described = TemplateKeys.of([e for e in vocabulary.entries if e.key not in vocabulary.statement_ids
                                 or vocabulary.statement_ids[e.key] not in known])
    best = {sid: key for sid, statement in known.items() if (key := described.best(statement.template))}
    key_of = dict(sorted({**best, **named}.items()))
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
