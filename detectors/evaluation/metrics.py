"""Figures of one evaluation run: rates on the test split, precision/F1 at a real prior, AUROC.

NaN scores are treated as *most anomalous* (a detector that cannot score a session flags it) and
counted, so a broken detector shows up as false positives instead of silently vanishing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

from anomalygen.detectors.base import FloatArray


@dataclass(frozen=True, slots=True)
class Scores:
    """Test scores of one fitted detector and the threshold it placed on normal data."""

    normal: FloatArray
    anomalous: FloatArray
    threshold: float
    nan_count: int = 0


def sanitize(scores: FloatArray) -> tuple[FloatArray, int]:
    """NaN -> +inf (most anomalous); returns the cleaned scores and how many were NaN."""
    values = np.asarray(scores, dtype=np.float64)
    nans = np.isnan(values)
    return np.where(nans, np.inf, values), int(nans.sum())


def precision_at_prior(recall: float, fpr: float, prior: tuple[int, int]) -> float:
    """Expected precision if the test population had ``prior`` = (anomalous, normal) sessions."""
    anomalous, normal = prior
    true_pos = recall * anomalous
    false_pos = fpr * normal
    if true_pos + false_pos == 0.0:
        return 0.0
    return true_pos / (true_pos + false_pos)


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0.0 else 2.0 * precision * recall / (precision + recall)


def _finite(values: FloatArray) -> FloatArray:
    """±inf -> just beyond the finite range, so sklearn's ranking metrics accept them."""
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
    return np.clip(values, low - 1.0, high + 1.0)


def auroc(scores: Scores) -> float:
    labels = np.r_[np.zeros(scores.normal.size), np.ones(scores.anomalous.size)]
    values = _finite(np.r_[scores.normal, scores.anomalous])
    if scores.normal.size == 0 or scores.anomalous.size == 0:
        return float("nan")
    return float(roc_auc_score(labels, values))


def roc_points(scores: Scores) -> tuple[list[float], list[float]]:
    """(false-positive rates, true-positive rates) of the ROC curve, for plotting."""
    labels = np.r_[np.zeros(scores.normal.size), np.ones(scores.anomalous.size)]
    fpr, tpr, _ = roc_curve(labels, _finite(np.r_[scores.normal, scores.anomalous]))
    return [float(x) for x in fpr], [float(y) for y in tpr]


def rates(scores: Scores, prior: tuple[int, int] | None) -> dict[str, float]:
    """fpr, recall, raw precision/F1 on the test split, and precision/F1 at ``prior``.

    Without a prior the test split's own ratio is the prior (then the two agree).
    """
    false_pos = int(np.count_nonzero(scores.normal > scores.threshold))
    true_pos = int(np.count_nonzero(scores.anomalous > scores.threshold))
    fpr = false_pos / scores.normal.size if scores.normal.size else 0.0
    recall = true_pos / scores.anomalous.size if scores.anomalous.size else 0.0
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0
    real_prior = prior or (scores.anomalous.size, scores.normal.size)
    precision_prior = precision_at_prior(recall, fpr, real_prior)
    return {
        "fpr": fpr,
        "recall": recall,
        "precision": precision,
        "f1": f1(precision, recall),
        "precision_prior": precision_prior,
        "f1_prior": f1(precision_prior, recall),
        "false_positives": float(false_pos),
        "true_positives": float(true_pos),
    }
