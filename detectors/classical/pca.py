"""PCA anomaly detection on event-count vectors (Xu et al., SOSP 2009; loglizer's ``PCA``).

Normal sessions span a low-dimensional "normal subspace" of the count space. A session's score is
its squared prediction error (SPE): the squared length of its projection on the residual
subspace. Two thresholds are kept:

- ``q_threshold_``: the Q-statistic of Jackson & Mudholkar (1979) at confidence ``c_alpha``,
  computed from the residual eigenvalues of the training data alone (what loglizer uses);
- ``threshold_``: the protocol threshold, placed by ``calibrate`` on held-out normal sessions.

``threshold_mode="q-statistic"`` makes ``threshold_`` the Q-statistic and ``calibrate`` keep it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.support.count_features import CountVectorDetector, Normalization, TermWeighting

ThresholdMode = Literal["normal-validation", "q-statistic"]


class PCADetector(CountVectorDetector):
    """SPE in the residual subspace of a PCA fitted on normal sessions.

    Parameters
    ----------
    n_components : float or int
        An int keeps that many principal components; a float in (0, 1) keeps the fewest that
        explain that share of the variance (loglizer's default 0.95).
    c_alpha : float
        Normal quantile of the Q-statistic confidence level (3.2905 = 99.9%).
    threshold_mode : {"normal-validation", "q-statistic"}
        Which threshold ``predict`` uses after ``calibrate`` (see the module docstring).
    term_weighting, normalization, contamination
        See ``CountVectorDetector``; loglizer's PCA uses TF-IDF and zero-mean.
    """

    def __init__(
        self,
        n_components: float = 0.95,
        c_alpha: float = 3.2905,
        threshold_mode: ThresholdMode = "normal-validation",
        term_weighting: TermWeighting = "tf-idf-smooth",
        normalization: Normalization = "zero-mean",
        contamination: float = 0.0,
    ) -> None:
        super().__init__(term_weighting, normalization, contamination)
        self.n_components = n_components
        self.c_alpha = c_alpha
        self.threshold_mode = threshold_mode

    _saved_arrays = ("residual_projection_",)
    _saved_scalars = ("n_components_", "q_threshold_")

    residual_projection_: FloatArray
    n_components_: int
    q_threshold_: float

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> PCADetector:
        if self.threshold_mode not in ("normal-validation", "q-statistic"):
            raise ValueError(f"threshold_mode must be 'normal-validation' or 'q-statistic', "
                             f"got {self.threshold_mode!r}")
        if self.n_components <= 0:
            raise ValueError(f"n_components must be positive, got {self.n_components}")
        features = self._fit_features(sequences)
        n_sessions, n_events = features.shape
        covariance = features.T @ features / n_sessions
        eigvecs, eigvals, _ = np.linalg.svd(covariance)
        self.n_components_ = self._choose_components(eigvals, n_events)
        principal = eigvecs[:, : self.n_components_]
        self.residual_projection_ = np.eye(n_events) - principal @ principal.T
        self.q_threshold_ = _q_statistic(eigvals[self.n_components_ :], self.c_alpha)
        self._provisional_threshold(features)
        if self.threshold_mode == "q-statistic":
            self.threshold_ = self.q_threshold_
        return self

    def calibrate(self, normal_sequences: Sequences) -> float:
        if self.threshold_mode == "q-statistic":
            self._check_fitted()
            return self.threshold_
        return super().calibrate(normal_sequences)

    def _choose_components(self, eigvals: FloatArray, n_events: int) -> int:
        if self.n_components >= 1:
            return min(int(self.n_components), n_events)
        total = float(eigvals.sum())
        if total <= 0.0:  # every training session is identical: no variance to explain
            return 0
        explained = np.cumsum(eigvals) / total
        return int(np.searchsorted(explained, self.n_components) + 1)

    def _score(self, features: FloatArray) -> FloatArray:
        residual = features @ self.residual_projection_.T
        spe: FloatArray = np.einsum("ij,ij->i", residual, residual)
        return spe


def _q_statistic(residual_eigvals: FloatArray, c_alpha: float) -> float:
    """Jackson & Mudholkar's Q-statistic threshold for the SPE, from the residual eigenvalues."""
    phi = [float(np.sum(residual_eigvals**power)) for power in (1, 2, 3)]
    if phi[0] <= 0.0 or phi[1] <= 0.0:
        return 0.0  # no residual variance: any residual at all is anomalous
    h0 = 1.0 - 2.0 * phi[0] * phi[2] / (3.0 * phi[1] ** 2)
    if h0 == 0.0:
        h0 = 1e-6  # the formula's limit is finite; avoid 1/0 on degenerate spectra
    base = c_alpha * np.sqrt(2.0 * phi[1] * h0**2) / phi[0] + 1.0 + phi[1] * h0 * (h0 - 1.0) / phi[0] ** 2
    return float(phi[0] * np.power(max(base, 0.0), 1.0 / h0))
