"""Session-level splitting shared by the dataset loaders.

Normal sessions are split at random *by session* into train / validation (thresholds) / test
(false-positive rate). Anomalous sessions all go to test. Test anomalous sessions identical to a
training session are dropped (they would be both "normal" and "anomalous"; the count is
reported). Held-out *normal* test sessions are not dropped when they repeat a training session:
the real normal population repeats itself, and the false-positive rate at the HDFS prior must be
measured on that population; the harness reports the FPR on novel normal sessions separately.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from anomalygen.detectors.base import EventSequence, event_keys
from anomalygen.detectors.datasets.base import DatasetSplit

VALIDATION_SHARE = 0.2
TEST_SHARE = 0.2


def session_key(sequence: EventSequence) -> tuple[Hashable, ...]:
    """The identity of a session for deduplication: its event ids in order."""
    return tuple(event_keys(sequence))


def split_sessions(
    name: str,
    normal: Sequence[EventSequence],
    anomalous: Sequence[EventSequence],
    seed: int,
    *,
    prior: tuple[int, int] | None = None,
    vocabulary: dict[str, str] | None = None,
) -> DatasetSplit:
    """Random 60/20/20 split of the normal sessions; every anomalous session goes to test."""
    if len(normal) < 3:
        raise ValueError(f"{name}: need at least 3 normal sessions to split train/validation/test, "
                         f"got {len(normal)}")
    if len(anomalous) == 0:
        raise ValueError(f"{name}: no anomalous sessions: recall cannot be measured")
    order = np.random.default_rng(seed).permutation(len(normal))
    n_val = max(1, round(len(normal) * VALIDATION_SHARE))
    n_test = max(1, round(len(normal) * TEST_SHARE))
    val_idx, test_idx, train_idx = order[:n_val], order[n_val : n_val + n_test], order[n_val + n_test :]
    train = [normal[i] for i in train_idx]
    seen = {session_key(s) for s in train}
    kept = [s for s in anomalous if session_key(s) not in seen]
    return DatasetSplit(
        name=name,
        train=train,
        train_labels=[0] * len(train),
        validation_normal=[normal[i] for i in val_idx],
        test_normal=[normal[i] for i in test_idx],
        test_anomalous=kept,
        prior=prior,
        duplicates_removed=len(anomalous) - len(kept),
        vocabulary=dict(vocabulary or {}),
    )
