"""Classical detectors on a toy workflow whose rules every one of them should learn.

Normal sessions: ``open (read ack){k} close``. Anomalies break a rule: no close, a read without
ack, an unseen event, or an empty session.
"""

from __future__ import annotations

import numpy as np
import pytest

from anomalygen.detectors import available, get_detector
from anomalygen.detectors.base import NotFittedError

UNSUPERVISED = ("pca", "invariants", "logclustering", "iforest", "bigram")
SUPERVISED = ("logreg", "svm", "dtree")


def normal_sessions(n: int, seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    sessions = []
    for _ in range(n):
        reads = int(rng.integers(1, 4))
        sessions.append(["open", *(["read", "ack"] * reads), "close"])
    return sessions


ANOMALIES = [
    ["open", "read", "ack", "read", "ack"],           # never closed
    ["open", "read", "read", "read", "ack", "close"],  # reads without acks
    ["open", "read", "ack", "crash", "close"],         # an event never seen in training
    ["open", "open", "read", "ack", "close", "close"],  # opened twice
]


def test_every_classical_detector_is_registered() -> None:
    assert set(UNSUPERVISED + SUPERVISED) <= set(available())


# Which ANOMALIES each method can see, by construction: invariants are homogeneous linear relations
# (opening twice and closing twice keeps open == close); a session that stops early points in
# nearly the same direction as a normal one, so cosine-based LogClustering misses it.
CAUGHT = {
    "pca": [1, 1, 1, 1],
    "bigram": [1, 1, 1, 1],
    "invariants": [1, 1, 1, 0],
    "logclustering": [0, 1, 1, 1],
}


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_unsupervised_detectors_flag_broken_workflows_but_not_held_out_normals(name: str) -> None:
    detector = get_detector(name).fit(normal_sessions(200, seed=0))
    detector.calibrate(normal_sessions(100, seed=1))
    assert np.all(np.isfinite(detector.decision_function(ANOMALIES)))
    assert detector.predict(ANOMALIES).tolist() == CAUGHT[name]
    assert detector.predict(normal_sessions(100, seed=2)).sum() == 0


def test_isolation_forest_ranks_anomalies_above_normals_on_average() -> None:
    # Trained on clean data, an isolation tree cannot isolate values beyond the training range any
    # faster than the extreme training points, so only the ranking is checked (see docs/detectors.md).
    detector = get_detector("iforest").fit(normal_sessions(200, seed=0))
    normal_scores = detector.decision_function(normal_sessions(100, seed=2))
    assert detector.decision_function(ANOMALIES).mean() > normal_scores.mean()


@pytest.mark.parametrize("name", SUPERVISED)
def test_supervised_detectors_learn_from_labels_and_keep_their_boundary(name: str) -> None:
    train = normal_sessions(100) + ANOMALIES * 5
    labels = [0] * 100 + [1] * len(ANOMALIES) * 5
    detector = get_detector(name).fit(train, labels)
    boundary = detector.threshold_
    assert detector.calibrate(normal_sessions(50, seed=1)) == boundary  # labels decide, not calibration
    assert detector.predict(ANOMALIES).tolist() == [1, 1, 1, 1]
    assert detector.predict(normal_sessions(50, seed=2)).sum() == 0


@pytest.mark.parametrize("name", SUPERVISED)
def test_supervised_detectors_refuse_one_class_or_missing_labels(name: str) -> None:
    with pytest.raises(ValueError, match="needs both normal"):
        get_detector(name).fit(normal_sessions(20), [0] * 20)
    with pytest.raises(ValueError, match="needs labels"):
        get_detector(name).fit(normal_sessions(20))


@pytest.mark.parametrize("name", UNSUPERVISED + SUPERVISED)
def test_empty_sessions_and_unfitted_use(name: str) -> None:
    detector = get_detector(name)
    with pytest.raises(NotFittedError):
        detector.decision_function([["open"]])
    train = normal_sessions(60) + ([] if name not in SUPERVISED else ANOMALIES * 3)
    labels = [0] * 60 + [1] * (len(train) - 60)
    detector.fit(train, labels if detector.supervised else None)
    scores = detector.decision_function([[], ["open"], ["never", "seen"]])
    assert scores.shape == (3,)
    assert np.all(np.isfinite(scores))
    assert detector.decision_function([]).shape == (0,)
    with pytest.raises(ValueError, match=r"no sequences|needs both"):
        get_detector(name).fit([], [])


def test_a_session_longer_than_anything_in_training_is_scored() -> None:
    long_session = ["open", *(["read", "ack"] * 5000), "close"]
    for name in UNSUPERVISED:
        detector = get_detector(name).fit(normal_sessions(100))
        assert np.isfinite(detector.decision_function([long_session])[0])


def test_get_params_reports_constructor_parameters() -> None:
    params = get_detector("pca", n_components=3).get_params()
    assert params["n_components"] == 3
    assert params["term_weighting"] == "tf-idf-smooth"
    assert params["contamination"] == 0.0


def test_supervised_non_convergence_is_recorded_not_printed() -> None:
    import warnings

    train = normal_sessions(100) + ANOMALIES * 5
    labels = [0] * 100 + [1] * len(ANOMALIES) * 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping fit() fails the test
        detector = get_detector("logreg", max_iter=1).fit(train, labels)
    assert detector.converged_ is False  # type: ignore[attr-defined]
    assert get_detector("logreg").fit(train, labels).converged_ is True  # type: ignore[attr-defined]
