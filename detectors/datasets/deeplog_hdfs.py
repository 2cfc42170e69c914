"""DeepLog's HDFS block sessions (``data_dir/deeplog-hdfs``), as event-id sequences.

``hdfs_train`` holds 4,855 normal sessions (from the first 100k lines of HDFS_v1) and
``hdfs_test_abnormal`` 16,838 anomalous ones; the 553,366 normal test sessions are not
available. So the normal sessions are split 60/20/20 (train / validation for thresholds / test for
the false-positive rate, see ``splitting``) and every anomalous session is a test session;
precision and F1 are reported at the real prior (16,838 : 553,366).

Event ids are DeepLog's keys as strings ("5"); key ``k`` is template ``Ek`` of
``data_dir/loghub/HDFS/HDFS_templates.csv``, which gives the vocabulary (when present).
"""

from __future__ import annotations

import csv
from pathlib import Path

from anomalygen.detectors.base import EventSequence
from anomalygen.detectors.datasets.base import DatasetSplit
from anomalygen.detectors.datasets.splitting import split_sessions

HDFS_PRIOR = (16_838, 553_366)
"""(anomalous, normal) block sessions of the whole HDFS_v1 log."""


def read_key_lines(path: Path) -> list[EventSequence]:
    """One session a line, space-separated keys; blank lines are empty sessions."""
    if not path.is_file():
        raise FileNotFoundError(f"missing DeepLog HDFS file: {path}")
    with path.open(encoding="utf-8") as handle:
        return [line.split() for line in handle if line.strip() or line.endswith("\n")]


def read_templates(path: Path) -> dict[str, str]:
    """``E5,<template>`` rows -> {"5": template}; empty when the file is absent."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["EventId"].removeprefix("E"): row["EventTemplate"]
            for row in csv.DictReader(handle)
            if row.get("EventId", "").startswith("E")
        }


def load(data_dir: Path, seed: int = 0) -> DatasetSplit:
    folder = data_dir / "deeplog-hdfs"
    if not folder.is_dir():
        raise FileNotFoundError(f"DeepLog HDFS not found: {folder} (pass --data-dir DATASETS)")
    normal = read_key_lines(folder / "hdfs_train")
    anomalous = read_key_lines(folder / "hdfs_test_abnormal")
    vocabulary = read_templates(data_dir / "loghub" / "HDFS" / "HDFS_templates.csv")
    return split_sessions("deeplog-hdfs", normal, anomalous, seed, prior=HDFS_PRIOR, vocabulary=vocabulary)
