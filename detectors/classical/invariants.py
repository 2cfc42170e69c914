"""Invariants Mining (Lou et al., USENIX ATC 2010; loglizer's ``InvariantsMiner``).

Normal executions obey linear relations between event counts: every "open" has a "close", so
``count(open) - count(close) == 0``. Mining works on the raw count matrix ``X`` of normal
sessions:

1. estimate the dimension ``r`` of the invariant space: the number of right singular vectors of
   ``X`` along which at least ``support`` of the sessions are (nearly) zero;
2. search column subsets of growing size (apriori-style: a superset of a found invariant is never
   tried) for a sparse *integer* vector ``theta`` with ``|X[:, cols] @ theta| < epsilon`` on at
   least ``support`` of the sessions: ``theta`` is the singular vector of the smallest singular
   value, scaled so its smallest entry is 1, 2 or 3, then rounded;
3. stop when ``r`` invariants are found (or subsets reach ``max_invariant_size``).

A column that is zero on all normal sessions (including the "unknown event" column) is a
one-column invariant: the event must never occur. The score of a session is the number of
invariants it violates. ``threshold_mode="any-violation"`` flags every session that violates at
least one invariant (loglizer's rule: threshold 0.5, kept by ``calibrate``) instead of placing the
threshold on held-out normal sessions.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from itertools import combinations
from typing import Any, Literal

import numpy as np

from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.support.count_features import CountVectorDetector

_SCALES = (1.0, 2.0, 3.0)
log = logging.getLogger(__name__)


class InvariantsMiningDetector(CountVectorDetector):
    """Count of violated linear invariants mined from normal sessions.

    Parameters
    ----------
    support : float
        Share of normal sessions an invariant must hold on (loglizer's ``percentage``, 0.98).
    epsilon : float
        Tolerance of ``|x @ theta|`` for an invariant to hold (0.5: counts are integers).
    max_invariant_size : int
        Largest number of events in one invariant (bounds the combinatorial search).
    max_candidates : int
        Most column subsets tested; on large vocabularies the search stops there (logged, and
        ``search_truncated_`` is set) instead of running for hours.
    threshold_mode : {"normal-validation", "any-violation"}
        Where ``calibrate`` puts the threshold (see the module docstring).
    contamination : float
        See ``BaseDetector``. Counts are used raw, without weighting (as loglizer does).
    """

    def __init__(
        self,
        support: float = 0.98,
        epsilon: float = 0.5,
        max_invariant_size: int = 3,
        max_candidates: int = 50_000,
        threshold_mode: Literal["normal-validation", "any-violation"] = "normal-validation",
        contamination: float = 0.0,
    ) -> None:
        super().__init__("none", "none", contamination)
        self.support = support
        self.epsilon = epsilon
        self.max_invariant_size = max_invariant_size
        self.max_candidates = max_candidates
        self.threshold_mode = threshold_mode

    _saved_scalars = ("invariants_", "invariant_space_dim_")

    invariants_: list[tuple[tuple[int, ...], tuple[float, ...]]]
    """(column indices, integer coefficients) of each mined invariant."""
    invariant_space_dim_: int
    search_truncated_: bool
    """True when ``max_candidates`` stopped the search before the invariant space was filled."""

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> InvariantsMiningDetector:
        if not 0.0 < self.support <= 1.0:
            raise ValueError(f"support must be in (0, 1], got {self.support}")
        if self.epsilon <= 0.0:
            raise ValueError(f"epsilon must be positive, got {self.epsilon}")
        if self.max_invariant_size < 1 or self.max_candidates < 1:
            raise ValueError("max_invariant_size and max_candidates must be >= 1")
        if self.threshold_mode not in ("normal-validation", "any-violation"):
            raise ValueError(f"threshold_mode must be 'normal-validation' or 'any-violation', "
                             f"got {self.threshold_mode!r}")
        counts = self._fit_features(sequences)
        self.invariant_space_dim_ = self._invariant_space_dim(counts)
        self.invariants_ = self._search(counts)
        self._provisional_threshold(counts)
        if self.threshold_mode == "any-violation":
            self.threshold_ = 0.5
        return self

    def calibrate(self, normal_sequences: Sequences) -> float:
        if self.threshold_mode == "any-violation":
            self._check_fitted()
            return self.threshold_
        return super().calibrate(normal_sequences)

    def _holds(self, values: FloatArray) -> float:
        """Share of sessions on which a candidate combination is (nearly) zero."""
        return float(np.count_nonzero(np.abs(values) < self.epsilon)) / float(values.shape[0])

    def _invariant_space_dim(self, counts: FloatArray) -> int:
        _, _, right = np.linalg.svd(counts, full_matrices=True)
        dim = 0
        # Rows of ``right`` come in decreasing singular value: invariants live at the end.
        for direction in right[::-1]:
            if self._holds(counts @ direction) < self.support:
                break
            dim += 1
        return dim

    def _search(self, counts: FloatArray) -> list[tuple[tuple[int, ...], tuple[float, ...]]]:
        n_columns = counts.shape[1]
        found: list[tuple[tuple[int, ...], tuple[float, ...]]] = []
        covered: list[frozenset[int]] = []
        active: list[int] = []
        for col in range(n_columns):
            if np.count_nonzero(counts[:, col]) == 0:  # the event never occurs when normal
                found.append(((col,), (1.0,)))
                covered.append(frozenset((col,)))
            else:
                active.append(col)
        budget = max(self.invariant_space_dim_, 0)
        gram = counts.T @ counts  # the k x k blocks give each subset's singular vectors cheaply
        checked = 0
        self.search_truncated_ = False
        for size in range(2, self.max_invariant_size + 1):
            for cols in combinations(active, size):
                if len(found) >= budget:
                    return found
                if any(inv <= frozenset(cols) for inv in covered):
                    continue
                if checked >= self.max_candidates:
                    self.search_truncated_ = True
                    log.warning("invariants: stopped after %d candidate subsets with %d of %d invariants; "
                                "raise max_candidates to search further", checked, len(found), budget)
                    return found
                checked += 1
                theta = self._integer_invariant(counts[:, cols], gram[np.ix_(cols, cols)])
                if theta is not None:
                    found.append((cols, theta))
                    covered.append(frozenset(cols))
        return found

    def _integer_invariant(self, sub: FloatArray, gram: FloatArray) -> tuple[float, ...] | None:
        # The right singular vector of ``sub`` with the smallest singular value is the eigenvector
        # of ``sub.T @ sub`` with the smallest eigenvalue: a k x k problem instead of an N x k SVD.
        _, vectors = np.linalg.eigh(gram)
        direction = vectors[:, 0]
        magnitudes = np.abs(direction)
        if magnitudes.min() < 1e-8:  # a zero coefficient: really an invariant of fewer events
            return None
        for scale in _SCALES:
            theta = np.round(direction * (scale / magnitudes.min()))
            if np.count_nonzero(theta) == theta.size and self._holds(sub @ theta) >= self.support:
                return tuple(float(t) for t in theta)
        return None

    def _restore_state(self, scalars: dict[str, Any], arrays: dict[str, FloatArray]) -> None:
        super()._restore_state(scalars, arrays)
        # JSON turned the (columns, coefficients) tuples into lists
        self.invariants_ = [(tuple(int(c) for c in cols), tuple(float(t) for t in theta))
                            for cols, theta in self.invariants_]

    def _score(self, features: FloatArray) -> FloatArray:
        violations = np.zeros(features.shape[0], dtype=np.float64)
        for cols, theta in self.invariants_:
            values = features[:, list(cols)] @ np.asarray(theta)
            violations += np.abs(values) >= self.epsilon
        return violations
