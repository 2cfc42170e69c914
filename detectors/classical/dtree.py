"""Decision tree on event-count vectors (supervised; loglizer's ``DecisionTree``).

Score: the leaf's share of anomalous training sessions; decision boundary 0.5.
"""

from __future__ import annotations

from sklearn.tree import DecisionTreeClassifier

from anomalygen.detectors.classical.supervised import SupervisedCountDetector
from anomalygen.detectors.support.count_features import Normalization, TermWeighting


class DecisionTreeDetector(SupervisedCountDetector):
    """CART decision tree (gini).

    Parameters
    ----------
    max_depth : int or None
        Depth limit (None: grow until leaves are pure).
    seed : int
        Random state (tie-breaking between equally good splits).
    term_weighting, normalization
        See ``CountVectorDetector``; loglizer uses TF-IDF.
    """

    decision_boundary = 0.5

    def __init__(
        self,
        max_depth: int | None = None,
        seed: int = 0,
        term_weighting: TermWeighting = "tf-idf-smooth",
        normalization: Normalization = "none",
    ) -> None:
        super().__init__(term_weighting, normalization)
        self.max_depth = max_depth
        self.seed = seed

    def _build(self) -> DecisionTreeClassifier:
        return DecisionTreeClassifier(max_depth=self.max_depth, random_state=self.seed)
