"""What each model trains on, per arm and real-data fraction (the harness's data plumbing).

- Real-data fraction ``f``: a seeded random ``f`` share of the real training sessions (at least one).
  Validation (thresholds) and test sets never shrink, so arms and fractions differ only in what
  the model learned from.
- Arm ``real+synthetic``: the same real sessions plus every synthetic *normal* session (and, for
  supervised models, the synthetic anomalous ones as label 1). Synthetic events are statement ids;
  they must share at least one id with the real data, or the arm is refused. Test sets are the
  same real sessions for both arms, so the comparison is paired.
- Unseen statements (``hold_out_statements``): a real log that never exercised some valid paths.
  Normal sessions printing any of the given statements leave the training and threshold data and
  are tested only, so their false-positive rate (``fpr_unseen``) shows the false alarms that
  missing coverage causes, and what synthetic sessions of those paths do about it.
- Supervised models need anomalies to learn from: a seeded ``supervised_share`` of the anomalous
  test sessions becomes their training slice (scaled by the fraction too) and is removed from
  *their* test set together with every test session identical to a slice session.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from anomalygen.detectors.base import EventSequence, event_keys
from anomalygen.detectors.datasets.base import DatasetSplit
from anomalygen.detectors.datasets.session_file import read_folder
from anomalygen.detectors.datasets.splitting import session_key
from anomalygen.detectors.evaluation.rekey import EventVocabulary, rekey_statements
from anomalygen.records import Event

REAL = "real"
REAL_SYNTHETIC = "real+synthetic"


@dataclass(slots=True)
class SyntheticSessions:
    normal: list[EventSequence]
    anomalous: list[EventSequence]
    shared_events: int
    """Synthetic event ids that also occur in the real data."""
    new_events: int
    """Synthetic event ids the real data never shows (the coverage synthetic data adds)."""
    templates: dict[str, str] = field(default_factory=dict)
    """Statement id -> template text of the synthetic vocabulary."""


@dataclass(slots=True)
class SupervisedSlice:
    """Anomalous sessions supervised models train on, and their own deduplicated test set."""

    train: list[EventSequence]
    test_anomalous: list[EventSequence]
    duplicates_removed: int


@dataclass(slots=True)
class TrainingSet:
    sequences: list[EventSequence] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)


def real_event_ids(split: DatasetSplit) -> set[Hashable]:
    ids: set[Hashable] = set(split.vocabulary)
    for part in (split.train, split.validation_normal, split.test_normal, split.test_anomalous):
        for seq in part:
            ids.update(event_keys(seq))
    return ids


def load_synthetic(
    path: Path, split: DatasetSplit, vocabulary: EventVocabulary | None = None
) -> SyntheticSessions:
    """Synthetic sessions from a key-sequence folder, checked against the real vocabulary.

    With the real data's ``vocabulary``, synthetic statement ids become the real data's event ids
    (``rekey``) where a template of it describes them; other ids are kept.
    """
    folder = read_folder(path)
    if vocabulary is not None:
        rekey = rekey_statements(folder.templates, vocabulary)
        folder.sessions = {part: [_rekeyed(seq, rekey) for seq in sequences]
                           for part, sequences in folder.sessions.items()}
        folder.templates = {rekey.get(sid, sid): text for sid, text in folder.templates.items()}
    synthetic_ids = {k for part in folder.sessions.values() for seq in part for k in event_keys(seq)}
    real_ids = real_event_ids(split)
    shared = synthetic_ids & real_ids
    if not shared:
        raise ValueError(
            f"synthetic vocabulary at {folder.path} shares no event id with {split.name}: synthetic ids "
            f"look like {sorted(map(str, synthetic_ids))[:3]}, "
            f"real ones like {sorted(map(str, real_ids))[:3]}; "
            "both must be LogStatement ids of the same source"
        )
    if not folder.sessions["normal"]:
        raise ValueError(f"synthetic folder {folder.path} has no normal sessions (normal.keys)")
    return SyntheticSessions(
        normal=folder.sessions["normal"],
        anomalous=folder.sessions["abnormal"],
        shared_events=len(shared),
        new_events=len(synthetic_ids - real_ids),
        templates=folder.templates,
    )


def _rekeyed(sequence: EventSequence, rekey: Mapping[str, str]) -> EventSequence:
    """``sequence`` with its event ids mapped (parameters and times kept)."""
    return [replace(e, statement=rekey.get(e.statement, e.statement)) if isinstance(e, Event)
            else rekey.get(str(e), e) for e in sequence]


def prints_any(sequence: EventSequence, statements: frozenset[str]) -> bool:
    return not statements.isdisjoint(map(str, event_keys(sequence)))


def hold_out_statements(split: DatasetSplit, statements: frozenset[str]) -> DatasetSplit:
    """``split`` as if the real log had never printed ``statements`` in normal work: normal
    training and threshold sessions printing any of them move to the normal test set."""
    normal = [*split.train, *split.validation_normal, *split.test_normal]
    printed = {str(k) for seq in normal for k in event_keys(seq)}
    missing = sorted(statements - printed)
    if missing:
        raise ValueError(f"{split.name}: no normal session prints {', '.join(missing)}; unseen statements "
                         "must be statement ids of normal sessions (see vocabulary.json)")
    if any(label != 0 for label in split.train_labels):
        raise ValueError(f"{split.name}: unseen statements need a normal-only training set")
    train = [s for s in split.train if not prints_any(s, statements)]
    validation = [s for s in split.validation_normal if not prints_any(s, statements)]
    if not train or not validation:
        raise ValueError(f"{split.name}: every normal training or threshold session prints one of "
                         f"{', '.join(sorted(statements))}: nothing left to train on")
    moved = [s for s in [*split.train, *split.validation_normal] if prints_any(s, statements)]
    return replace(split, train=train, train_labels=[0] * len(train), validation_normal=validation,
                   test_normal=[*split.test_normal, *moved])


def subsample(sequences: Sequence[EventSequence], fraction: float, seed: int) -> list[EventSequence]:
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"fractions must be in (0, 1], got {fraction}")
    if fraction == 1.0:
        return list(sequences)
    count = max(1, math.ceil(fraction * len(sequences)))
    chosen = np.sort(np.random.default_rng(seed).choice(len(sequences), size=count, replace=False))
    return [sequences[i] for i in chosen]


def supervised_slice(split: DatasetSplit, share: float, seed: int) -> SupervisedSlice:
    if not 0.0 < share < 1.0:
        raise ValueError(f"supervised share must be in (0, 1), got {share}")
    anomalous = split.test_anomalous
    count = max(1, round(share * len(anomalous)))
    if count >= len(anomalous):
        raise ValueError(f"{split.name}: too few anomalous sessions ({len(anomalous)}) to train a "
                         "supervised model and still test it")
    order = np.random.default_rng(seed + 7919).permutation(len(anomalous))
    train = [anomalous[i] for i in np.sort(order[:count])]
    seen = {session_key(s) for s in train} | {session_key(s) for s in split.train}
    rest = [anomalous[i] for i in np.sort(order[count:])]
    kept = [s for s in rest if session_key(s) not in seen]
    return SupervisedSlice(train, kept, len(rest) - len(kept))


def training_set(
    normal: Sequence[EventSequence],
    fraction: float,
    seed: int,
    *,
    arm: str,
    supervised: SupervisedSlice | None,
    synthetic: SyntheticSessions | None,
) -> TrainingSet:
    """The sessions (and labels) one model trains on for one arm and fraction. ``normal`` is the
    real slice, ``subsample(split.train, fraction, seed)``: computed once per fraction and seed so
    that the synthetic sessions of that arm are generated from exactly these sessions."""
    out = TrainingSet()
    out.sequences.extend(normal)
    out.labels.extend([0] * len(normal))
    if supervised is not None:
        anomalous = subsample(supervised.train, fraction, seed)
        out.sequences.extend(anomalous)
        out.labels.extend([1] * len(anomalous))
    if arm == REAL_SYNTHETIC:
        if synthetic is None:
            raise ValueError("the real+synthetic arm needs synthetic sessions")
        out.sequences.extend(synthetic.normal)
        out.labels.extend([0] * len(synthetic.normal))
        if supervised is not None:
            out.sequences.extend(synthetic.anomalous)
            out.labels.extend([1] * len(synthetic.anomalous))
    return out
