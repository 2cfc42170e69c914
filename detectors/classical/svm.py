"""Linear SVM on event-count vectors (supervised; loglizer's ``SVM``).

Score: the signed margin (``decision_function``); decision boundary 0.
"""

from __future__ import annotations

from sklearn.svm import LinearSVC

from anomalygen.detectors.classical.supervised import SupervisedCountDetector
from anomalygen.detectors.support.count_features import Normalization, TermWeighting


class LinearSVMDetector(SupervisedCountDetector):
    """L1-penalised linear SVM (loglizer's settings).

    Parameters
    ----------
    C : float
        Inverse regularisation strength.
    max_iter : int
        Solver iterations.
    term_weighting, normalization
        See ``CountVectorDetector``; loglizer uses TF-IDF.
    """

    decision_boundary = 0.0

    def __init__(
        self,
        C: float = 1.0,  # noqa: N803 - sklearn's name
        max_iter: int = 1000,
        term_weighting: TermWeighting = "tf-idf-smooth",
        normalization: Normalization = "none",
    ) -> None:
        super().__init__(term_weighting, normalization)
        self.C = C
        self.max_iter = max_iter

    def _build(self) -> LinearSVC:
        return LinearSVC(penalty="l1", dual=False, tol=0.1, C=self.C, max_iter=self.max_iter)
