"""Method-specific checks: PCA's Q-statistic and the invariants Invariants Mining finds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2, norm

from anomalygen.detectors import get_detector
from anomalygen.detectors.classical.invariants import InvariantsMiningDetector
from anomalygen.detectors.classical.pca import PCADetector, _q_statistic


def workflow(n: int, seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [["open", *(["read", "ack"] * int(rng.integers(1, 4))), "close"] for _ in range(n)]


@pytest.mark.parametrize("dims", [3, 10])
def test_q_statistic_matches_the_chi_square_quantile_for_equal_residual_eigenvalues(dims: int) -> None:
    # With m equal residual eigenvalues lam, SPE / lam is chi-square with m degrees of freedom;
    # Jackson & Mudholkar's threshold must land near its quantile at the normal level c_alpha
    # (3.2905 -> 0.9995; then it reduces to the Wilson-Hilferty approximation).
    lam = 0.7
    q = _q_statistic(np.full(dims, lam), 3.2905)
    assert q == pytest.approx(lam * chi2.ppf(norm.cdf(3.2905), dims), rel=0.03)


def test_pca_keeps_both_thresholds_and_q_mode_survives_calibration() -> None:
    normal = get_detector("pca").fit(workflow(200))
    assert isinstance(normal, PCADetector)
    assert normal.q_threshold_ >= 0.0
    q_mode = PCADetector(threshold_mode="q-statistic").fit(workflow(200))
    assert q_mode.calibrate(workflow(100, seed=1)) == q_mode.q_threshold_
    with pytest.raises(ValueError, match="threshold_mode"):
        PCADetector(threshold_mode="median").fit(workflow(10))  # type: ignore[arg-type]


def test_pca_with_a_fixed_number_of_components() -> None:
    detector = PCADetector(n_components=2).fit(workflow(100))
    assert detector.n_components_ == 2
    assert detector.decision_function([["open", "close", "close"]])[0] > detector.threshold_


def test_invariants_mining_finds_the_balanced_pairs_and_the_never_seen_column() -> None:
    detector = get_detector("invariants").fit(workflow(300))
    assert isinstance(detector, InvariantsMiningDetector)
    names = detector.vectorizer_.feature_names
    found = {tuple(names[c] for c in cols): theta for cols, theta in detector.invariants_}
    assert ("<unknown>",) in found  # unseen events must never happen
    assert ("open", "close") in found and sum(found[("open", "close")]) == 0  # open == close
    assert ("read", "ack") in found and sum(found[("read", "ack")]) == 0  # read == ack
    assert detector.decision_function([["open", "read", "close"]])[0] >= 1  # read without ack


def test_invariants_validate_their_parameters() -> None:
    with pytest.raises(ValueError, match="support"):
        InvariantsMiningDetector(support=1.5).fit(workflow(10))
    with pytest.raises(ValueError, match="epsilon"):
        InvariantsMiningDetector(epsilon=0).fit(workflow(10))


def test_invariant_search_stops_at_its_candidate_budget() -> None:
    # 15 independent "a_i happens as often as b_i" rules: an invariant space of dimension >= 15
    rng = np.random.default_rng(0)
    sessions = [[e for i in range(15) for e in [f"a{i}", f"b{i}"] * int(rng.integers(0, 3))]
                for _ in range(200)]
    detector = InvariantsMiningDetector(max_candidates=10).fit(sessions)
    assert detector.invariant_space_dim_ >= 15
    assert detector.search_truncated_ is True
    assert InvariantsMiningDetector().fit(workflow(50)).search_truncated_ is False


def test_any_violation_mode_keeps_loglizers_threshold_through_calibration() -> None:
    detector = InvariantsMiningDetector(threshold_mode="any-violation").fit(workflow(100))
    assert detector.calibrate(workflow(50, seed=1)) == 0.5
    assert detector.predict([["open", "read", "close"]]).tolist() == [1]
    with pytest.raises(ValueError, match="threshold_mode"):
        InvariantsMiningDetector(threshold_mode="loose").fit(workflow(10))  # type: ignore[arg-type]
