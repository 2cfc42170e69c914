"""Logistic regression on event-count vectors (supervised; loglizer's ``LR``).

Score: the predicted probability of "anomalous"; decision boundary 0.5.
"""

from __future__ import annotations

from sklearn.linear_model import LogisticRegression

from anomalygen.detectors.classical.supervised import SupervisedCountDetector
from anomalygen.detectors.support.count_features import Normalization, TermWeighting


class LogisticRegressionDetector(SupervisedCountDetector):
    """L2-regularised logistic regression.

    Parameters
    ----------
    C : float
        Inverse regularisation strength (loglizer: 100).
    max_iter : int
        Solver iterations.
    term_weighting, normalization
        See ``CountVectorDetector``; loglizer uses TF-IDF.
    """

    decision_boundary = 0.5

    def __init__(
        self,
        C: float = 100.0,  # noqa: N803 - sklearn's name
        max_iter: int = 1000,
        term_weighting: TermWeighting = "tf-idf-smooth",
        normalization: Normalization = "none",
    ) -> None:
        super().__init__(term_weighting, normalization)
        self.C = C
        self.max_iter = max_iter

    def _build(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, max_iter=self.max_iter, tol=0.01)
