"""Bigram lookup baseline: the sanity anchor of the evaluation.

Fitted on normal sessions, it remembers every pair of consecutive events (with start and end
markers, so a session that starts or ends unusually counts too). A session's score is the number
of its bigrams never seen in training. On DeepLog HDFS such a table already reaches F1 about 0.83
at the real prior: a sequence model that does not beat it is broken.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import pairwise

import numpy as np
from anomalygen.detectors.base import BaseDetector, FloatArray, NotFittedError, Sequences, event_keys
from anomalygen.detectors.registry import register

_START = "<start>"
_END = "<end>"


def _bigrams(sequence: list[Hashable]) -> list[tuple[Hashable, Hashable]]:
    padded: list[Hashable] = [_START, *sequence, _END]
    return list(pairwise(padded))


@register("bigram")
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
        return np.asarray(
            [sum(b not in known for b in _bigrams(event_keys(seq))) for seq in sequences], dtype=np.float64
        )
