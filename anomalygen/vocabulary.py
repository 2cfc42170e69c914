"""An event vocabulary of a dataset, read in one place, and which of its templates describes a
source template.

Public datasets key their sessions in their own vocabulary: DeepLog's HDFS sessions use loghub's
``HDFS_templates.csv`` (key ``k`` is template ``Ek``), a key-sequence folder its
``vocabulary.json``. Two rooms read one: ``anomalygen run --vocabulary`` aligns it to the source's
statements (tools/synth/vocabulary.py) and ``anomalygen evaluate`` re-keys a run's exported
statements into it (detectors/evaluation/rekey.py). Both use one rule: a vocabulary template
describes a source template (slots ``{}``) when its constant pieces, in order, occur in it, and of
several the most specific (most constant text, the first of equals) wins.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path as FilePath

_LEADING_LETTERS = re.compile(r"^[A-Za-z]+(?=\d+$)")


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


@dataclass(frozen=True, slots=True)
class TemplateKeys:
    """The vocabulary's templates compiled once, for finding the key that describes a template."""

    patterns: tuple[tuple[str, re.Pattern[str], int], ...]
    """(key, pattern of its constant pieces, specificity), in vocabulary order (bare wildcards left out)."""

    @classmethod
    def of(cls, entries: list[VocabularyEntry]) -> TemplateKeys:
        return cls(tuple((e.key, pattern, len(e.template.replace("{}", "").strip())) for e in entries
                         if (pattern := _pattern(e.template)) is not None))

    def best(self, template: str) -> str | None:
        """The key of the most specific vocabulary template describing ``template`` (None: none)."""
        best: tuple[int, str] | None = None
        for key, pattern, score in self.patterns:
            if (best is None or score > best[0]) and pattern.search(template):
                best = (score, key)
        return best[1] if best else None
