"""LM training options: held-out early stopping and truncated BPTT through whole sequences."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from anomalygen.detectors.lm.lm_detector import LMDetector
from anomalygen.detectors.registry import get_detector
from anomalygen.detectors.support.event_encoding import encode
from anomalygen.detectors.support.event_features import to_features

TRAIN = [list("abc" * k + "d") for k in range(2, 12)] * 3


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


def _lstm(**params: object) -> LMDetector:
    model = get_detector("lm-lstm", hidden=16, window=8, batch_size=4, learning_rate=1e-2, seed=0, **params)
    assert isinstance(model, LMDetector)
    return model


def test_carry_state_learns_across_chunks() -> None:
    # Traces of up to 34 positions, trained in chunks of 8 with the state carried: the model
    # must still learn the period-3 language and its end.
    model = _lstm(epochs=15, carry_state=True).fit(TRAIN)
    assert model.losses_[-1] < model.losses_[0] / 2
    violating = list("abc" * 4 + "acb" + "abc" * 4 + "d")
    normal, violating_score = model.decision_function([list("abc" * 9 + "d"), violating])
    assert violating_score > normal + 0.2


def test_holdout_keeps_the_best_epoch_and_stops_early() -> None:
    model = _lstm(epochs=12, holdout=0.2, patience=1).fit(TRAIN)
    assert 1 <= len(model.holdout_losses_) == len(model.losses_) <= 12
    if len(model.losses_) < 12:  # stopped: the last epoch did not improve on the best one
        assert model.holdout_losses_[-1] >= min(model.holdout_losses_)
    # the kept weights are the best epoch's: re-measuring the held-out slice reproduces its loss
    order = np.random.default_rng(0).permutation(len(TRAIN))
    held = [TRAIN[i] for i in order[: round(len(TRAIN) * 0.2)]]
    encoded = [encode([to_features(e) for e in s], model.vocabulary_) for s in held]
    assert model._mean_nll(encoded) == pytest.approx(min(model.holdout_losses_), rel=1e-5)


def test_bad_training_options_are_refused() -> None:
    with pytest.raises(ValueError, match="holdout"):
        _lstm(holdout=1.0)
    with pytest.raises(ValueError, match="recurrent"):
        get_detector("lm-transformer", carry_state=True).fit(TRAIN)
