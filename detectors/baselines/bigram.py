"""Bigram lookup baseline: the sanity anchor of the evaluation.

Fitted on normal sessions, it remembers every pair of consecutive events (with start and end
markers, so a session that starts or ends unusually counts too). A session's score is the number
of its bigrams never seen in training. On DeepLog HDFS such a table already reaches F1 about 0.83
at the real prior: a sequence model that does not beat it is broken.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Self

import numpy as np

from anomalygen.detectors.base import BaseDetector, FloatArray, NotFittedError, Sequences, event_keys
from anomalygen.detectors.support.persist import check_vocabulary, read_model, vocabulary_to_json, write_model

_START = "<start>"
_END = "<end>"


def _bigrams(sequence: list[Hashable]) -> list[tuple[Hashable, Hashable]]:
    padded: list[Hashable] = [_START, *sequence, _END]
    return list(pairwise(padded))


class BigramDetector(BaseDetector):
    """Number of unseen consecutive-event pairs.

    Parameters
    ----------
    contamination : float
        See ``BaseDetector``.
    """

    def __init__(self, contamination: float = 0.0) -> None:
        super().__init__(contamination=contamination)

    bigrams_: frozenset[tuple[Hashable, Hashable]]

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> BigramDetector:
        self.validate_sequences(sequences)
        self.bigrams_ = frozenset(b for seq in sequences for b in _bigrams(event_keys(seq)))
        self.set_threshold(self.decision_function(sequences))
        return self

    def decision_function(self, sequences: Sequences) -> FloatArray:
        if not hasattr(self, "bigrams_"):
            raise NotFittedError(f"{self.name} is not fitted: call fit() first")
        known = self.bigrams_
        keys = [event_keys(seq) for seq in sequences]
        flat = [k for seq in keys for k in seq]
        if flat and not any(k in self.events_ for k in flat):
            check_vocabulary(flat, 0, sorted(map(str, self.events_)))
        return np.asarray([sum(b not in known for b in _bigrams(seq)) for seq in keys], dtype=np.float64)

    @property
    def events_(self) -> frozenset[Hashable]:
        """Every event id seen in training."""
        return frozenset(k for pair in self.bigrams_ for k in pair) - {_START, _END}

    def save(self, path: str | Path) -> Path:
        """Write the bigram table into the folder ``path`` (config.json + an empty arrays.npz)."""
        self._check_fitted()
        pairs = sorted((vocabulary_to_json(p) for p in self.bigrams_), key=lambda p: [str(k) for k in p])
        config = {"detector": self.name, "params": self.get_params(), "threshold": self.threshold_,
                  "bigrams": pairs}
        return write_model(Path(path), config, {})

    @classmethod
    def load(cls, path: str | Path) -> Self:
        config, _ = read_model(Path(path), cls.name)
        detector = cls(**config["params"])
        detector.bigrams_ = frozenset((a, b) for a, b in config["bigrams"])
        detector.threshold_ = float(config["threshold"])
        return detector
