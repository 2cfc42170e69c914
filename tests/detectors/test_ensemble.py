"""Score ensemble: members parsed, scores normalised on normal data only, thresholds from normal."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from anomalygen.detectors.ensemble import EnsembleDetector, Normaliser, parse_members
from anomalygen.detectors.evaluation.evaluate import parse_model_spec
from anomalygen.detectors.registry import get_detector

TRAIN = [list("abc" * k + "d") for k in range(2, 9)] * 3
NORMAL = [list("abc" * k + "d") for k in (3, 5, 9, 10)]
BROKEN = [list("abcacbabcd"), list("abcabXabcd"), list("cbacbacbad")]
CHEAP = "ngram:order=3+grammar"


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def test_parse_members() -> None:
    assert parse_members("ngram:order=4+grammar+lm-lstm:hidden=200:carry_state=true:learning_rate=0.003") == [
        ("ngram", {"order": 4}), ("grammar", {}),
        ("lm-lstm", {"hidden": 200, "carry_state": True, "learning_rate": 0.003})]
    # survives the harness's own model-spec syntax
    name, params = parse_model_spec("ensemble[members=ngram:order=4+grammar;normalise=rank]")
    assert (name, params) == ("ensemble", {"members": "ngram:order=4+grammar", "normalise": "rank"})
    for bad in ("ngram++grammar", "ngram:order"):
        with pytest.raises(ValueError):
            parse_members(bad)


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="normalise"):
        EnsembleDetector(members=CHEAP, normalise="softmax")
    with pytest.raises(ValueError, match="weights"):
        EnsembleDetector(members=CHEAP, weights="1")
    with pytest.raises(KeyError):
        EnsembleDetector(members="ngram+no-such-detector").fit(TRAIN)


@pytest.mark.parametrize("normalise", ["zscore", "rank"])
def test_violations_score_higher_and_threshold_comes_from_normal(normalise: str) -> None:
    model = get_detector("ensemble", members=CHEAP, normalise=normalise, contamination=0.0)
    assert isinstance(model, EnsembleDetector)
    model.fit(TRAIN)
    threshold = model.calibrate(NORMAL)
    normal, broken = model.decision_function(NORMAL), model.decision_function(BROKEN)
    assert threshold == pytest.approx(normal.max())
    assert broken.min() > normal.max()
    assert model.predict(BROKEN).tolist() == [1, 1, 1]
    assert model.member_scores(BROKEN).shape == (3, 2)


def test_zscore_is_the_weighted_mean_of_member_zscores() -> None:
    model = EnsembleDetector(members=CHEAP, weights="3+1").fit(TRAIN)
    model.calibrate(NORMAL)
    raw_normal, raw_broken = model.member_scores(NORMAL), model.member_scores(BROKEN)
    z = (raw_broken - raw_normal.mean(axis=0)) / raw_normal.std(axis=0)
    np.testing.assert_allclose(model.decision_function(BROKEN), z @ np.array([0.75, 0.25]))


def test_normaliser_rank_and_degenerate_inputs() -> None:
    rank = Normaliser("rank", np.array([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_allclose(rank(np.array([0.0, 2.0, 9.0, np.nan])), [0.0, 0.375, 1.0, 1.0])
    constant = Normaliser("zscore", np.array([2.0, 2.0]))  # std 0 must not divide by zero
    np.testing.assert_allclose(constant(np.array([2.0, 3.0])), [0.0, 1.0])
    with pytest.raises(ValueError, match="finite"):
        Normaliser("zscore", np.array([np.nan]))


def test_members_get_distinct_seeds_and_shared_settings() -> None:
    model = EnsembleDetector(members="lm-lstm:hidden=8:epochs=1+lm-lstm:hidden=8:epochs=1:seed=5",
                             seed=10, threads=1).fit(TRAIN[:6])
    seeds = [m.get_params()["seed"] for m in model.members_]
    assert seeds == [10, 5]  # index offset for the first, the member's own seed kept for the second
    assert all(m.get_params()["threads"] == 1 for m in model.members_)
