"""Supervised deep detectors that classify whole sessions (CNN, LogRobust).

Chunking lives in :func:`anomalygen.detectors.support.sequence_windows.session_chunks`; training and
batched scoring in :class:`~anomalygen.detectors.deep.deep_detector.DeepDetector`. A concrete model
only adds its network (and, for LogRobust, how unseen events are encoded).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Self, Unpack

import numpy as np
import numpy.typing as npt
import torch

from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.deep.deep_detector import DeepDetector, RunOptions, TrainingData
from anomalygen.detectors.support.sequence_windows import session_chunks

log = logging.getLogger(__name__)

# Margin given to a chunk whose logits are not finite: far above any real margin, still finite.
_BROKEN_MARGIN = 1e9


class ClassifierOptions(RunOptions, total=False):
    """:class:`SessionClassifier` parameters whose defaults every classifier shares."""

    batch_size: int
    lr: float


def anomaly_margin(logits: torch.Tensor, start: int) -> torch.Tensor:
    """Anomalous-minus-normal logit per row; a non-finite row (broken model) scores as anomalous."""
    diff = (logits[:, 1] - logits[:, 0]).to(torch.float64)
    broken = ~torch.isfinite(diff)
    if bool(broken.any()):
        log.warning("%d chunks got non-finite logits; scored as anomalous", int(broken.sum()))
    return torch.where(broken, torch.full_like(diff, _BROKEN_MARGIN), diff)


class SessionClassifier(DeepDetector):
    """Supervised detectors that classify whole sessions (CNN, LogRobust).

    Sessions longer than ``max_length`` are cut into chunks; a session's score is the largest
    anomalous-minus-normal logit over its chunks (``np.maximum.reduceat``), so ``threshold_ = 0``
    is the learned probability-0.5 boundary. Every chunk of a training session carries the
    session's label; classes are weighted by inverse frequency against imbalance.

    Parameters
    ----------
    max_length, inference_batch_size : int
        Chunk length and chunks per forward pass (each model sets its own defaults).
    batch_size, lr : training loop settings (Adam, cross-entropy).
    Others (epochs, seed, device, n_threads) : see
        :class:`~anomalygen.detectors.deep.deep_detector.DeepDetector`.
    """

    supervised = True

    def __init__(
        self,
        max_length: int,
        inference_batch_size: int,
        batch_size: int = 128,
        lr: float = 1e-3,
        **kwargs: Unpack[RunOptions],
    ) -> None:
        super().__init__(batch_size=batch_size, lr=lr, inference_batch_size=inference_batch_size, **kwargs)
        self.max_length = max_length

    def _validate_params(self) -> None:
        if self.max_length < 1:
            raise ValueError(f"{self.name}: max_length must be >= 1, got {self.max_length}")
        super()._validate_params()

    def _encode_for_scoring(self, sequences: Sequences) -> list[list[int]]:
        """Indices of sequences to score (LogRobust also places unseen templates by meaning)."""
        return self.vocabulary_.encode_all(sequences)

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> Self:
        """Learn normal (0) vs anomalous (1) sessions; both classes are required."""
        self.validate_sequences(sequences)
        labels = self.validate_labels(sequences, y)
        self._validate_params()
        self._train_network(sequences, lambda encoded: self._labelled_chunks(encoded, labels))
        self.threshold_ = 0.0
        return self

    def _labelled_chunks(self, encoded: list[list[int]], labels: npt.NDArray[np.int64]) -> TrainingData:
        """Chunks, each with its session's label, and inverse-frequency class weights."""
        chunks, first = session_chunks(encoded, self.max_length)
        per_session = np.diff(np.append(first, chunks.shape[0]))
        chunk_labels = torch.from_numpy(np.repeat(labels, per_session))
        counts = torch.bincount(chunk_labels, minlength=2).to(torch.float32)
        return [chunks], chunk_labels, counts.sum() / (2.0 * counts)

    def decision_function(self, sequences: Sequences) -> FloatArray:
        self._check_fitted()
        self.validate_sequences(sequences)
        chunks, first = session_chunks(self._encode_for_scoring(sequences), self.max_length)
        per_chunk = self._forward([chunks], anomaly_margin)
        scores: FloatArray = np.maximum.reduceat(per_chunk.numpy().astype(np.float64), first)
        return scores
