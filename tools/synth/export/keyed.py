"""Keys of the exported ``sequences/`` in a given vocabulary (loghub's HDFS_templates.csv...).

A public dataset keys its sessions in its own vocabulary: DeepLog's ``hdfs_train`` writes ``22``
for loghub's template ``E22``, whatever statement printed it. Synthetic sessions exported in the
same keys go straight into ``anomalygen evaluate --dataset deeplog-hdfs --synthetic OUT``: every
statement the vocabulary describes takes its key, and the key's event id is the one the
vocabulary's own sessions use. Statements outside the vocabulary are keyed apart, after its
largest key, with their own statement ids, so a detector sees them as events the real data never
showed rather than as some real event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from anomalygen.keyseq import VocabularyEntry
from anomalygen.records import LogStatement
from anomalygen.tools.synth.structure import RealStructure

MAX_KEY_DIGITS = 9
"""A vocabulary key longer than this is numbered like a non-numeric one (no billion-key files)."""


@dataclass(frozen=True, slots=True)
class GivenVocabulary:
    """A vocabulary as the run aligned it to the source's statements."""

    path: str
    templates: dict[str, str]
    """key -> template, in the vocabulary's order."""
    event_ids: dict[str, str]
    """key -> the event id the vocabulary's sessions use."""
    key_of: dict[str, str]
    """statement id -> key."""

    @classmethod
    def from_structure(cls, structure: RealStructure | None) -> GivenVocabulary | None:
        """The vocabulary of a run's structure stage; None when the run was given none."""
        if not structure or not structure.get("vocabulary"):
            return None
        templates = dict(structure.get("templates") or {})
        event_ids = dict(structure.get("event_ids") or {})
        return cls(str(structure["vocabulary"]), templates, {k: event_ids.get(k, k) for k in templates},
                   dict(structure["key_of"]))


@dataclass(frozen=True, slots=True)
class Keying:
    """How an export keys its sessions."""

    vocabulary: dict[int, VocabularyEntry]
    """Integer key -> what it stands for (``sequences/vocabulary.json``)."""
    event_of: dict[str, str]
    """statement id -> the event id written for it."""
    outside: tuple[str, ...]
    """Statements the sessions print that the vocabulary does not describe (keyed apart)."""

    def event(self, statement: str) -> str:
        return self.event_of.get(statement, statement)


def _numeric(key: str) -> int | None:
    """A key that is already DeepLog's integer (``"22"``), else None."""
    if not (key.isascii() and key.isdigit() and len(key) <= MAX_KEY_DIGITS):
        return None
    return int(key) if str(int(key)) == key and int(key) > 0 else None


def keying(given: GivenVocabulary, statements: Mapping[str, LogStatement], used: Iterable[str]) -> Keying:
    """Every key of ``given`` (its integers kept, others numbered after the largest), then the
    ``used`` statements it does not describe, in sorted id order."""
    sources: dict[str, list[str]] = {key: [] for key in given.templates}
    for sid, key in sorted(given.key_of.items()):
        if key in sources:
            sources[key].append(sid)
    numbered = {key: n for key in given.templates if (n := _numeric(key)) is not None}
    following = max(numbered.values(), default=0) + 1
    vocabulary: dict[int, VocabularyEntry] = {}
    for key, template in given.templates.items():
        number = numbered.get(key)
        if number is None:
            number, following = following, following + 1
        own = [statements[sid] for sid in sources[key] if sid in statements]
        single = own[0] if len(own) == 1 else None
        vocabulary[number] = VocabularyEntry(
            given.event_ids[key], template, single.file if single else None, single.line if single else None,
            single.level.value if single else None, tuple(sources[key]))
    event_of = {sid: given.event_ids[key] for sid, key in given.key_of.items() if key in given.event_ids}
    taken = set(event_of.values())
    outside = tuple(sorted({sid for sid in used if sid not in event_of}))
    for sid in outside:
        if sid in taken:
            raise ValueError(f"statement {sid!r} is outside the vocabulary {given.path} but one of its keys "
                             "names it: the vocabulary belongs to another version of this source")
        statement = statements[sid]
        vocabulary[following] = VocabularyEntry(sid, statement.template, statement.file, statement.line,
                                                statement.level.value)
        following += 1
    return Keying(vocabulary, event_of, outside)
