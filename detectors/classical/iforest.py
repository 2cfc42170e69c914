"""Isolation Forest (Liu et al., ICDM 2008) on event-count vectors, via scikit-learn.

Anomalies are isolated by fewer random splits; the score is the negated ``score_samples`` of
sklearn (higher = more anomalous), trained on normal sessions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sklearn.ensemble import IsolationForest

from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.support.count_features import CountVectorDetector, Normalization, TermWeighting


class IsolationForestDetector(CountVectorDetector):
    """Isolation depth of a session's count vector among normal sessions.

    Parameters
    ----------
    n_estimators : int
        Number of trees.
    max_samples : int
        Sessions drawn to build each tree (capped at the training size).
    seed : int
        Random state of the forest.
    term_weighting, normalization, contamination
        See ``CountVectorDetector``.
    """

    def __init__(
        self,
        n_estimators: int = 100,
        max_samples: int = 256,
        seed: int = 0,
        term_weighting: TermWeighting = "none",
        normalization: Normalization = "none",
        contamination: float = 0.0,
    ) -> None:
        super().__init__(term_weighting, normalization, contamination)
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.seed = seed

    forest_: IsolationForest

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> IsolationForestDetector:
        if self.n_estimators < 1 or self.max_samples < 1:
            raise ValueError("n_estimators and max_samples must be >= 1")
        features = self._fit_features(sequences)
        self.forest_ = IsolationForest(
            n_estimators=self.n_estimators,
            max_samples=min(self.max_samples, features.shape[0]),
            random_state=self.seed,
        ).fit(features)
        self._provisional_threshold(features)
        return self

    def _fitted_state(self) -> tuple[dict[str, Any], dict[str, FloatArray]]:
        raise TypeError("iforest: scikit-learn forests cannot be saved without pickle, which anomalygen "
                        "never uses; refit it instead (about a second on HDFS)")

    def _score(self, features: FloatArray) -> FloatArray:
        scores: FloatArray = -self.forest_.score_samples(features)
        return scores
