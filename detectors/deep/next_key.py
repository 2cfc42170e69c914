"""Next-key detectors (DeepLog's scheme): predict each event from the ``window`` before it.

Windowing and the rank/probability arithmetic live in :mod:`anomalygen.detectors.support.sequence_windows`;
training and batched scoring in :class:`~anomalygen.detectors.deep.deep_detector.DeepDetector`. A
concrete model (DeepLog, LogAnomaly, the Transformer) only adds its network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self, Unpack

import numpy as np
import numpy.typing as npt
import torch

from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.deep.deep_detector import DeepDetector, RunOptions, TrainingData
from anomalygen.detectors.support.sequence_windows import (
    NextKeyWindows,
    next_key_windows,
    rank_and_probability,
    session_scores,
    unique_rows,
)


class NextKeyOptions(RunOptions, total=False):
    """:class:`NextKeyDetector` parameters, for the ``**kwargs`` of the concrete models."""

    window: int
    g: int | None
    min_probability: float
    batch_size: int
    lr: float
    inference_batch_size: int
    deduplicate: bool


class NextKeyDetector(DeepDetector):
    """A model that predicts the next event index from the ``window`` before it (DeepLog's scheme).

    A session is anomalous when some true next event is not among the model's top ``g``
    predictions, or is predicted with a probability below ``min_probability`` (0 gives the
    paper's pure top-g rule; see :func:`~anomalygen.detectors.support.sequence_windows.rank_and_probability`
    for why a floor helps). ``decision_function`` returns the worst rank of a true next event over
    the session plus a tie-breaker in [0, 0.5) (one minus the lowest probability given to a true
    next event), so ``threshold_ = g - 0.5`` reproduces the top-g rule exactly and AUROC is
    meaningful. With ``g=None`` the threshold is placed on held-out normal sessions by
    ``calibrate`` instead.

    Parameters
    ----------
    window : int
        History length (DeepLog: 10).
    g : int or None
        Top-g candidates accepted as normal (DeepLog on HDFS: 9); ``None`` to calibrate.
    min_probability : float
        A true next event predicted below this probability is a miss even inside the top g.
    batch_size, lr : training loop settings (Adam, cross-entropy).
    inference_batch_size : int
        Windows per forward pass when scoring.
    deduplicate : bool
        Score each distinct (history, next event) pair once (same results, far fewer forward
        passes on repetitive logs).
    Others (epochs, seed, device, n_threads) : see
        :class:`~anomalygen.detectors.deep.deep_detector.DeepDetector`.
    """

    def __init__(
        self,
        window: int = 10,
        g: int | None = 9,
        min_probability: float = 1e-4,
        batch_size: int = 256,
        lr: float = 2e-3,
        inference_batch_size: int = 8192,
        deduplicate: bool = True,
        **kwargs: Unpack[RunOptions],
    ) -> None:
        super().__init__(batch_size=batch_size, lr=lr, inference_batch_size=inference_batch_size, **kwargs)
        self.window = window
        self.g = g
        self.min_probability = min_probability
        self.deduplicate = deduplicate

    def _validate_params(self) -> None:
        if self.window < 1:
            raise ValueError(f"{self.name}: window must be >= 1, got {self.window}")
        if not 0.0 <= self.min_probability < 1.0:
            raise ValueError(f"{self.name}: min_probability must be in [0, 1), got {self.min_probability}")
        if self.g is not None and self.g < 1:
            raise ValueError(f"{self.name}: g must be >= 1 or None, got {self.g}")
        super()._validate_params()

    def _training_windows(self, encoded: list[list[int]]) -> TrainingData:
        data = next_key_windows(encoded, self.window)
        return [data.windows], data.targets, None

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> Self:
        """Learn next-event prediction from (normal) ``sequences``; ``y`` is ignored."""
        self._validate_params()
        self.validate_sequences(sequences)
        self._train_network(sequences, self._training_windows)
        if self.g is not None:
            self.threshold_ = self.g - 0.5
        else:
            self.threshold_ = 0.0  # provisional, so scoring works; replaced just below
            self.set_threshold(self.decision_function(sequences))
        return self

    def calibrate(self, normal_sequences: Sequences) -> float:
        """With a fixed ``g`` the top-g rule is the threshold; with ``g=None`` place it on normals."""
        self._check_fitted()
        if self.g is not None:
            return self.threshold_
        return self.set_threshold(self.decision_function(normal_sequences))

    def window_results(self, sequences: Sequences) -> tuple[npt.NDArray[np.float64], NextKeyWindows]:
        """(rank, probability) of the true next index for every window, and the windows."""
        self._check_fitted()
        self.validate_sequences(sequences)
        data = next_key_windows(self.vocabulary_.encode_all(sequences), self.window)
        windows, targets, inverse = data.windows, data.targets, None
        if self.deduplicate:
            # Log sessions repeat themselves: HDFS's 300k test windows hold ~21k distinct
            # (history, next) pairs. The model runs once per distinct pair; results are gathered back.
            pairs = torch.cat([windows, targets[:, None]], dim=1).numpy()
            keep, inverse = unique_rows(pairs, len(self.vocabulary_))
            windows, targets = windows[keep], targets[keep]

        def reduce(logits: torch.Tensor, start: int) -> torch.Tensor:
            batch_targets = targets[start : start + logits.shape[0]].to(logits.device)
            return rank_and_probability(logits, batch_targets, self.min_probability)

        results = self._forward([windows], reduce).numpy().astype(np.float64).reshape(-1, 2)
        return (results if inverse is None else results[inverse]), data

    def decision_function(self, sequences: Sequences) -> FloatArray:
        per_window, data = self.window_results(sequences)
        return session_scores(per_window, data.first_window)
