"""The dataset contract of the evaluation harness.

Splits are by session. Unsupervised detectors train on ``train`` (normal only unless the dataset
says otherwise) and place thresholds on ``validation_normal``; test figures come from
``test_normal`` (false-positive rate) and ``test_anomalous`` (recall). ``prior`` gives the real
anomalous:normal ratio when the test set does not hold it (HDFS: 16,838 : 553,366), so that
precision and F1 can be reported at the real prior.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from anomalygen.detectors.base import EventSequence

# name -> module under anomalygen.detectors.datasets that implements it
_MODULES: dict[str, str] = {
    "deeplog-hdfs": "deeplog_hdfs",
    "adfa-ld": "adfa_ld",
    "synthetic": "synthetic",
    "sessions": "session_file",
}


@dataclass(slots=True)
class DatasetSplit:
    name: str
    train: list[EventSequence]
    train_labels: list[int]
    """0/1 per training sequence (all 0 for normal-only training sets)."""
    validation_normal: list[EventSequence]
    test_normal: list[EventSequence]
    test_anomalous: list[EventSequence]
    prior: tuple[int, int] | None = None
    """(anomalous, normal) session counts of the real population, when known."""
    duplicates_removed: int = 0
    """Test sessions dropped because an identical session was in train."""
    vocabulary: dict[str, str] = field(default_factory=dict)
    """Event id -> template text, when known (for semantic detectors)."""


def available_datasets() -> list[str]:
    return sorted(_MODULES)


def load_dataset(name: str, data_dir: Path, seed: int = 0) -> DatasetSplit:
    if name not in _MODULES:
        raise KeyError(f"unknown dataset {name!r}; available: {', '.join(available_datasets())}")
    module = importlib.import_module(f"anomalygen.detectors.datasets.{_MODULES[name]}")
    split: DatasetSplit = module.load(data_dir, seed)
    return split
