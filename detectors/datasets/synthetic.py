"""A synthetic dataset exported by ``anomalygen run`` (its ``sequences/`` key-sequence folder).

Same format and split as ``session_file``: pass the run's output folder or its ``sequences/``.
Evaluating on synthetic data alone says how separable the generated labels are; the point of
synthetic data is the real + synthetic arm of ``evaluate`` (``--synthetic DIR``).
"""

from __future__ import annotations

from pathlib import Path

from anomalygen.detectors.datasets.base import DatasetSplit
from anomalygen.detectors.datasets.session_file import load_split


def load(data_dir: Path, seed: int = 0) -> DatasetSplit:
    return load_split(data_dir, seed, "synthetic")
