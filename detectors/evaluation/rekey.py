"""Synthetic statement ids re-keyed into a real dataset's event vocabulary.

A dataset keyed in its own vocabulary (DeepLog's HDFS sessions use loghub's ``HDFS_templates.csv``:
key ``k`` is template ``Ek``) shares no event id with sessions keyed by our ``LogStatement`` ids.
So each synthetic statement is given the key whose template describes it: the vocabulary
template's constant pieces, in order, occur in the statement's template, and the most specific
such template (most constant text) wins. This is the rule ``anomalygen run --vocabulary`` aligns
``--structure`` sessions with (tools/synth/vocabulary.py); detectors may not import tools, so the
evaluation applies the same rule to the run's exported ``vocabulary.json``. A ``vocabulary.json``
vocabulary names its statements itself: its keys map back to statement ids and nothing is guessed.
Statements no template describes keep their statement id: they are the events the real data never
shows (new paths from the source).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_LEADING_LETTERS = re.compile(r"^[A-Za-z]+(?=\d+$)")


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


def _bare_key(event_id: str) -> str:
    """loghub numbers its templates ``E1..En``; DeepLog's sessions write the bare number."""
    return _LEADING_LETTERS.sub("", event_id.strip())


def read_event_vocabulary(path: Path) -> EventVocabulary:
    """A loghub templates CSV (``EventId,EventTemplate``) or a key-sequence ``vocabulary.json``
    (or the folder holding it). Raises ValueError with the file's name when it cannot be read."""
    if path.is_dir():
        path = path / "vocabulary.json"
    if not path.is_file():
        raise ValueError(f"vocabulary {path} does not exist or is not a file")
    try:
        if path.suffix.lower() == ".json":
            keys = json.loads(path.read_text(encoding="utf-8"))["keys"]
            templates = {str(k): str(v.get("template", "")) for k, v in keys.items()}
            statements = {str(k): str(v["statement"]) for k, v in keys.items() if v.get("statement")}
            vocabulary = EventVocabulary(path, templates, statements)
        else:
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                rows = list(csv.DictReader(handle))
            templates = {_bare_key(row.get("EventId") or ""):
                         (row.get("EventTemplate") or "").replace("<*>", "{}") for row in rows}
            templates.pop("", None)
            vocabulary = EventVocabulary(path, templates)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, csv.Error) as exc:
        raise ValueError(f"cannot read vocabulary {path}: {type(exc).__name__}: {exc}") from None
    if not vocabulary.templates:
        raise ValueError(f"vocabulary {path} holds no templates (a loghub templates CSV needs the "
                         "columns EventId and EventTemplate)")
    return vocabulary


def _pattern(template: str) -> re.Pattern[str] | None:
    """Constant pieces of ``template`` in order, anything between them; None for a bare wildcard."""
    pieces = [p.strip() for p in template.split("{}") if p.strip()]
    if not pieces:
        return None
    return re.compile("(?s)" + ".*?".join(re.escape(p) for p in pieces))


def _specificity(template: str) -> int:
    return len(template.replace("{}", "").strip())


def rekey_statements(templates: dict[str, str], vocabulary: EventVocabulary) -> dict[str, str]:
    """Synthetic statement id -> the dataset's event id; statements nothing describes map to
    themselves. ``templates`` is the synthetic vocabulary (statement id -> source template)."""
    named = set(vocabulary.statements.values())
    if named:  # the vocabulary names statements: ids are shared, no text is compared
        return {sid: sid for sid in templates}
    patterns = [(key, pattern, _specificity(text)) for key, text in vocabulary.templates.items()
                if (pattern := _pattern(text)) is not None]
    mapping: dict[str, str] = {}
    for sid, template in templates.items():
        best: tuple[int, str] | None = None
        for key, pattern, score in patterns:
            if (best is None or score > best[0]) and pattern.search(template):
                best = (score, key)
        mapping[sid] = vocabulary.event_id(best[1]) if best else sid
    return mapping
