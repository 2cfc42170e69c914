"""Supervised classical detectors share this: a scikit-learn classifier on count vectors.

They need both classes in training (a clear ``ValueError`` otherwise, from
``BaseDetector.validate_labels``) and keep the decision boundary they learned: the probability
0.5 for classifiers with ``predict_proba`` (logistic regression, decision tree), the margin 0 for
the linear SVM. ``threshold_`` holds that boundary and ``calibrate`` leaves it alone.
"""

from __future__ import annotations

import logging
import warnings
from abc import abstractmethod
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.support.count_features import CountVectorDetector

log = logging.getLogger(__name__)


class SupervisedCountDetector(CountVectorDetector):
    """Base of LR, SVM and decision tree: ``_build`` returns the unfitted sklearn classifier."""

    supervised = True
    decision_boundary: float = 0.5
    """Score above which a session is anomalous (probability 0.5, or margin 0 for the SVM)."""

    classifier_: Any
    converged_: bool
    """False when the solver stopped at ``max_iter`` (logged once instead of sklearn's warning)."""

    @abstractmethod
    def _build(self) -> Any:
        """A fresh scikit-learn classifier with this detector's parameters."""

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> SupervisedCountDetector:
        labels = self.validate_labels(sequences, y)
        features = self._fit_features(sequences)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            self.classifier_ = self._build().fit(features, labels)
        self.converged_ = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
        for other in (w for w in caught if not issubclass(w.category, ConvergenceWarning)):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
        if not self.converged_:
            log.warning("%s: the solver did not converge within max_iter", self.name)
        self.threshold_ = self.decision_boundary
        return self

    def _fitted_state(self) -> tuple[dict[str, Any], dict[str, FloatArray]]:
        """Linear models save their coefficients; trees have no pickle-free format in sklearn."""
        if not hasattr(self.classifier_, "coef_"):
            raise TypeError(f"{self.name}: scikit-learn trees cannot be saved without pickle, which "
                            "anomalygen never uses; refit it instead (about a second on HDFS)")
        model = self.classifier_
        arrays = {"coef": model.coef_, "intercept": model.intercept_, "classes": model.classes_}
        return {"converged": self.converged_}, arrays

    def _restore_state(self, scalars: dict[str, Any], arrays: dict[str, FloatArray]) -> None:
        if not {"coef", "intercept", "classes"} <= set(arrays):
            raise ValueError(f"saved {self.name} model lacks its coefficients")
        classifier = self._build()
        classifier.coef_, classifier.intercept_ = arrays["coef"], arrays["intercept"]
        classifier.classes_ = arrays["classes"]
        classifier.n_features_in_ = arrays["coef"].shape[1]
        self.classifier_ = classifier
        self.converged_ = bool(scalars.get("converged", True))

    def _score(self, features: FloatArray) -> FloatArray:
        if hasattr(self.classifier_, "predict_proba"):
            positive = list(self.classifier_.classes_).index(1)
            return np.asarray(self.classifier_.predict_proba(features)[:, positive], dtype=np.float64)
        return np.asarray(self.classifier_.decision_function(features), dtype=np.float64)
