"""DeepLog: batched scoring equals the naive loop, the top-g rule, and a smoke run on real HDFS."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from anomalygen.detectors.deep.deeplog import DeepLog
from anomalygen.detectors.support.sequence_windows import naive_next_key_scores


def workflow(n: int, seed: int = 0) -> list[list[int]]:
    rng = np.random.default_rng(seed)
    return [[1, *([2, 3] * int(rng.integers(1, 4))), 4] for _ in range(n)]


@pytest.fixture(scope="module")
def deeplog() -> DeepLog:
    torch.set_num_threads(1)
    model = DeepLog(window=4, g=2, hidden_size=16, embedding_dim=8, epochs=4, lr=1e-2, batch_size=32,
                    n_threads=1, inference_batch_size=7)  # odd batch size: slices cross sessions
    return model.fit(workflow(120))


def test_batched_scores_equal_the_one_window_at_a_time_loop(deeplog: DeepLog) -> None:
    probe = [*workflow(15, seed=4), [], [1], [1, 3, 2, 4], [1, 2, 3, 99, 4], [1, *([2, 3] * 30), 4]]
    np.testing.assert_allclose(deeplog.decision_function(probe), naive_next_key_scores(deeplog, probe),
                               rtol=0, atol=1e-6)


def test_scoring_distinct_pairs_once_changes_nothing(deeplog: DeepLog) -> None:
    probe = [*workflow(20, seed=6), [1, 3, 2, 4], []]
    deduplicated = deeplog.decision_function(probe)
    deeplog.deduplicate = False
    try:
        np.testing.assert_allclose(deeplog.decision_function(probe), deduplicated, rtol=0, atol=1e-6)
    finally:
        deeplog.deduplicate = True


def test_threshold_reproduces_the_top_g_rule(deeplog: DeepLog) -> None:
    assert deeplog.threshold_ == 1.5
    probe = [*workflow(10, seed=2), [1, 3, 2, 4], [1, 2, 3]]
    per_window, data = deeplog.window_results(probe)
    assert deeplog.g is not None
    misses = (per_window[:, 0] >= deeplog.g).astype(np.int64)
    any_miss = np.maximum.reduceat(misses, data.first_window)
    np.testing.assert_array_equal(deeplog.predict(probe), any_miss)
    assert deeplog.calibrate(workflow(5)) == 1.5  # a fixed g keeps its rule


def test_without_g_the_threshold_comes_from_normal_sessions() -> None:
    model = DeepLog(window=4, g=None, hidden_size=8, embedding_dim=4, epochs=1, n_threads=1)
    model.fit(workflow(40))
    normal = workflow(20, seed=7)
    assert model.calibrate(normal) == pytest.approx(model.decision_function(normal).max())


def test_bad_parameters_are_reported() -> None:
    with pytest.raises(ValueError, match="window must be"):
        DeepLog(window=0).fit(workflow(3))
    with pytest.raises(ValueError, match="min_probability"):
        DeepLog(min_probability=1.5).fit(workflow(3))


@pytest.mark.datasets
def test_real_hdfs_sessions_truncated_ones_are_flagged(datasets_dir: Path) -> None:
    """A small DeepLog on 400 real HDFS normal sessions already catches truncated blocks."""
    folder = datasets_dir / "deeplog-hdfs"
    normal = [line.split() for line in (folder / "hdfs_train").read_text().splitlines()]
    anomalous = [line.split() for line in (folder / "hdfs_test_abnormal").read_text().splitlines()[:300]]
    model = DeepLog(hidden_size=32, epochs=3, lr=1e-2, batch_size=64, n_threads=1).fit(normal[:600])
    assert model.predict([["5", "22"]]).tolist() == [1]  # a block allocated, then nothing
    recall = model.predict(anomalous).mean()
    fpr = model.predict(normal[4000:4300]).mean()
    assert recall > 0.5 and fpr < 0.2, (recall, fpr)
