"""Synthetic statement ids re-keyed into a real dataset's event vocabulary.

A dataset keyed in its own vocabulary (DeepLog's HDFS sessions use loghub's ``HDFS_templates.csv``:
key ``k`` is template ``Ek``) shares no event id with sessions keyed by our ``LogStatement`` ids.
So each synthetic statement is given the key whose template describes it: the vocabulary
template's constant pieces, in order, occur in the statement's template, and the most specific
such template (most constant text) wins. This is the rule ``anomalygen run --vocabulary`` aligns
``--structure`` sessions with; both read the vocabulary and apply the rule through the core's
``anomalygen/vocabulary.py`` (detectors may not import tools). A ``vocabulary.json``
vocabulary names its statements itself: its keys map back to statement ids and nothing is guessed.
Statements no template describes keep their statement id: they are the events the real data never
shows (new paths from the source).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from anomalygen.vocabulary import TemplateKeys, VocabularyEntry, load_vocabulary


@dataclass(frozen=True, slots=True)
class EventVocabulary:
    """A dataset's vocabulary, as the evaluation writes and reads its sessions."""

    path: Path
    templates: dict[str, str]
    """Key as the vocabulary's key files write it -> template (wildcards as ``{}``)."""
    statements: dict[str, str] = field(default_factory=dict)
    """Key -> LogStatement id, when the vocabulary names statements (``vocabulary.json``)."""

    def event_id(self, key: str) -> str:
        """The dataset's event id of ``key``: the named statement, else the key itself."""
        return self.statements.get(key, key)

    def key_of_event(self) -> dict[str, str]:
        """Dataset event id -> key, for writing sessions in the vocabulary's key files."""
        return {self.event_id(key): key for key in self.templates}


def read_event_vocabulary(path: Path) -> EventVocabulary:
    """A loghub templates CSV (``EventId,EventTemplate``) or a key-sequence ``vocabulary.json``
    (or the folder holding it). Raises ValueError with the file's name when it cannot be read."""
    vocabulary = load_vocabulary(path)
    return EventVocabulary(Path(vocabulary.path), {e.key: e.template for e in vocabulary.entries},
                           dict(vocabulary.statement_ids))


def rekey_statements(templates: dict[str, str], vocabulary: EventVocabulary) -> dict[str, str]:
    """Synthetic statement id -> the dataset's event id; statements nothing describes map to
    themselves. ``templates`` is the synthetic vocabulary (statement id -> source template)."""
    if vocabulary.statements:  # the vocabulary names statements: ids are shared, no text is compared
        return {sid: sid for sid in templates}
    keys = TemplateKeys.of([VocabularyEntry(key, text) for key, text in vocabulary.templates.items()])
    return {sid: vocabulary.event_id(key) if (key := keys.best(template)) else sid
            for sid, template in templates.items()}
