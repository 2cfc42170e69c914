"""Sliding windows over sessions and the next-key detectors built on them (DeepLog's scheme).

Every session is left-padded with ``window`` pad indices and closed with an end index, so each
real event *and* the end of the session become one prediction target whose history is the
``window`` indices before it. Sessions shorter than the window are thereby padded (as DeepLog
does), empty sessions still get one target (the end), and long sessions get one window per event.
Predicting the end index is what lets a next-key model catch truncated sessions ("5 22" then
nothing), a large share of HDFS anomalies.

Scoring is batched: the windows of *all* sessions are cut from one flat index array with
``Tensor.unfold`` (a strided view, no copy per window), run through the model in large batches,
and the per-window results are folded back to sessions with ``np.maximum.reduceat``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np
import numpy.typing as npt
import torch
from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.torch_support import (
    END,
    PAD,
    UNKNOWN,
    TorchDetector,
    Vocabulary,
    batched_forward,
    resolve_device,
    seed_everything,
    torch_threads,
    train_classifier,
)

log = logging.getLogger(__name__)

# The probability tie-breaker stays below 0.5 so that ``score > g - 0.5`` <=> ``worst rank >= g``.
_TIE_BREAK = 0.499
# Margin given to a chunk whose logits are not finite: far above any real margin, still finite.
_BROKEN_MARGIN = 1e9


@dataclass(frozen=True, slots=True)
class NextKeyWindows:
    """All prediction windows of a batch of sessions."""

    windows: torch.Tensor
    """(n_windows, window) int64 histories."""
    targets: torch.Tensor
    """(n_windows,) int64 index that followed each history."""
    first_window: npt.NDArray[np.int64]
    """Index of each session's first window (every session has at least one)."""


def next_key_windows(encoded: Sequence[Sequence[int]], window: int) -> NextKeyWindows:
    """Windows and targets of every session, built without a per-window Python loop."""
    lengths = np.fromiter((len(s) for s in encoded), dtype=np.int64, count=len(encoded))
    n_targets = lengths + 1  # every event, then the end of the session
    padded = window + n_targets
    starts = np.concatenate(([0], np.cumsum(padded)[:-1])).astype(np.int64)
    flat = np.full(int(padded.sum()), PAD, dtype=np.int64)
    body = np.fromiter((i for s in encoded for i in s), dtype=np.int64, count=int(lengths.sum()))
    flat[_ranges(starts + window, lengths)] = body
    flat[starts + window + lengths] = END
    window_starts = _ranges(starts, n_targets)
    stream = torch.from_numpy(flat)
    windows = stream.unfold(0, window, 1)[torch.from_numpy(window_starts)]
    targets = stream[torch.from_numpy(window_starts + window)]
    first = np.concatenate(([0], np.cumsum(n_targets)[:-1])).astype(np.int64)
    return NextKeyWindows(windows=windows, targets=targets, first_window=first)


def _ranges(starts: npt.NDArray[np.int64], counts: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Concatenated ``arange(s, s + c)`` for every (s, c), vectorised."""
    total = int(counts.sum())
    offsets = np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + (np.arange(total, dtype=np.int64) - offsets)


def unique_rows(rows: npt.NDArray[np.int64], base: int) -> tuple[torch.Tensor, npt.NDArray[np.int64]]:
    """Index of one occurrence of every distinct row, and each row's position among them.

    Rows of indices below ``base`` are packed into one int64 per row when they fit (an exact
    encoding, so a plain integer sort finds the duplicates); otherwise rows are compared as bytes.
    """
    width = rows.shape[1]
    if width * np.log2(max(base, 2)) < 62:
        packed = rows @ (base ** np.arange(width, dtype=np.int64))
        _, keep, inverse = np.unique(packed, return_index=True, return_inverse=True)
    else:
        contiguous = np.ascontiguousarray(rows)
        as_bytes = contiguous.view(np.dtype((np.void, contiguous.dtype.itemsize * width))).ravel()
        _, keep, inverse = np.unique(as_bytes, return_index=True, return_inverse=True)
    return torch.from_numpy(keep.astype(np.int64)), inverse.reshape(-1).astype(np.int64)


def rank_and_probability(
    logits: torch.Tensor, targets: torch.Tensor, min_probability: float = 0.0
) -> torch.Tensor:
    """(n, 2): rank of the true next index among the predictions (0 = top-1) and its probability.

    A target predicted with probability below ``min_probability`` gets the worst rank
    (``n_classes``) whatever its rank: with a small vocabulary a frequent but impossible key
    (the end of a session after two events) can sit inside the top g. An unknown target, or a
    row whose logits are not finite (a broken model), counts as a miss with rank ``n_classes``
    and probability 0, so it can never pass for normal.
    """
    n_classes = logits.shape[1]
    true_logit = logits.gather(1, targets[:, None])
    rank = (logits > true_logit).sum(dim=1).to(torch.float64)
    prob = torch.softmax(logits.to(torch.float64), dim=1).gather(1, targets[:, None])[:, 0]
    broken = ~torch.isfinite(logits).all(dim=1)
    miss = broken | (targets == UNKNOWN)
    rank = torch.where(prob < min_probability, torch.full_like(rank, float(n_classes)), rank)
    if bool(broken.any()):
        log.warning("%d windows got non-finite predictions; they count as misses", int(broken.sum()))
    rank = torch.where(miss, torch.full_like(rank, float(n_classes)), rank)
    prob = torch.where(miss, torch.zeros_like(prob), prob)
    return torch.stack([rank, prob], dim=1)


def session_scores(per_window: npt.NDArray[np.float64], first_window: npt.NDArray[np.int64]) -> FloatArray:
    """Worst rank per session plus a tie-breaker (1 - lowest probability of a true next key)."""
    worst_rank = np.maximum.reduceat(per_window[:, 0], first_window)
    lowest_prob = np.minimum.reduceat(per_window[:, 1], first_window)
    scores: FloatArray = worst_rank + _TIE_BREAK * (1.0 - lowest_prob)
    return scores


class NextKeyDetector(TorchDetector):
    """A model that predicts the next event index from the ``window`` before it (DeepLog's scheme).

    A session is anomalous when some true next event is not among the model's top ``g``
    predictions, or is predicted with a probability below ``min_probability`` (0 gives the
    paper's pure top-g rule; see :func:`rank_and_probability` for why a floor helps).
    ``decision_function`` returns the worst rank of a true next event over the session plus a
    tie-breaker in [0, 0.5) (one minus the lowest probability given to a true next event), so
    ``threshold_ = g - 0.5`` reproduces the top-g rule exactly and AUROC is meaningful.
    With ``g=None`` the threshold is placed on held-out normal sessions by ``calibrate`` instead.

    Parameters
    ----------
    window : int
        History length (DeepLog: 10).
    g : int or None
        Top-g candidates accepted as normal (DeepLog on HDFS: 9); ``None`` to calibrate.
    min_probability : float
        A true next event predicted below this probability is a miss even inside the top g.
    epochs, batch_size, lr : training loop settings (Adam, cross-entropy).
    seed : int
        Seeds python, numpy and torch; the CPU results are deterministic for a given seed.
    device : str or None
        ``None``/``"cpu"`` or a CUDA device such as ``"cuda"``.
    n_threads : int or None
        Torch intra-op threads while fitting and scoring; ``None`` keeps the process setting.
    inference_batch_size : int
        Windows per forward pass when scoring.
    deduplicate : bool
        Score each distinct (history, next event) pair once (same results, far fewer forward
        passes on repetitive logs).
    """

    def __init__(
        self,
        window: int = 10,
        g: int | None = 9,
        min_probability: float = 1e-4,
        epochs: int = 10,
        batch_size: int = 256,
        lr: float = 2e-3,
        seed: int = 0,
        device: str | None = None,
        n_threads: int | None = None,
        inference_batch_size: int = 8192,
        deduplicate: bool = True,
        contamination: float = 0.0,
    ) -> None:
        super().__init__(contamination=contamination)
        self.deduplicate = deduplicate
        self.window = window
        self.g = g
        self.min_probability = min_probability
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed
        self.device = device
        self.n_threads = n_threads
        self.inference_batch_size = inference_batch_size

    def _validate_params(self) -> None:
        if self.window < 1:
            raise ValueError(f"{self.name}: window must be >= 1, got {self.window}")
        if not 0.0 <= self.min_probability < 1.0:
            raise ValueError(f"{self.name}: min_probability must be in [0, 1), got {self.min_probability}")
        if self.g is not None and self.g < 1:
            raise ValueError(f"{self.name}: g must be >= 1 or None, got {self.g}")
        if self.epochs < 1 or self.batch_size < 1 or self.inference_batch_size < 1:
            raise ValueError(f"{self.name}: epochs and batch sizes must be >= 1")

    def _prepare(self, sequences: Sequences) -> None:
        """Hook for models that need more than the vocabulary before building (semantics)."""

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> Self:
        """Learn next-event prediction from (normal) ``sequences``; ``y`` is ignored."""
        self._validate_params()
        self.validate_sequences(sequences)
        device = resolve_device(self.device)
        began = time.perf_counter()
        with torch_threads(self.n_threads):
            generator = seed_everything(self.seed)
            self.vocabulary_ = Vocabulary.from_sequences(sequences)
            self._prepare(sequences)
            self.model_ = self._build_model()
            data = next_key_windows(self.vocabulary_.encode_all(sequences), self.window)
            self.losses_ = train_classifier(
                self.model_, [data.windows], data.targets, epochs=self.epochs,
                batch_size=self.batch_size, lr=self.lr, generator=generator, device=device,
            )
            self.model_.to(torch.device("cpu"))
        self.train_seconds_ = time.perf_counter() - began
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
        device = resolve_device(self.device)
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

        with torch_threads(self.n_threads):
            per_window = batched_forward(
                self.model_, [windows], batch_size=self.inference_batch_size,
                device=device, reduce=reduce,
            )
        results = per_window.numpy().astype(np.float64).reshape(-1, 2)
        return (results if inverse is None else results[inverse]), data

    def decision_function(self, sequences: Sequences) -> FloatArray:
        per_window, data = self.window_results(sequences)
        return session_scores(per_window, data.first_window)


def naive_next_key_scores(detector: NextKeyDetector, sequences: Sequences) -> FloatArray:
    """Reference scorer: one window at a time, in plain Python. For tests and the benchmark only."""
    model, window, vocab = detector.model_, detector.window, detector.vocabulary_
    device = resolve_device(detector.device)
    model.to(device).eval()
    scores = np.zeros(len(sequences), dtype=np.float64)
    with torch.no_grad(), torch_threads(detector.n_threads):
        for i, seq in enumerate(sequences):
            padded = [PAD] * window + vocab.encode(seq) + [END]
            worst_rank, lowest_prob = 0.0, 1.0
            for t in range(window, len(padded)):
                history = torch.tensor([padded[t - window : t]], dtype=torch.int64, device=device)
                target = torch.tensor([padded[t]], dtype=torch.int64, device=device)
                result = rank_and_probability(model(history), target, detector.min_probability)
                rank, prob = result[0].tolist()
                worst_rank, lowest_prob = max(worst_rank, rank), min(lowest_prob, prob)
            scores[i] = worst_rank + _TIE_BREAK * (1.0 - lowest_prob)
    return scores


def session_chunks(
    encoded: Sequence[Sequence[int]], length: int
) -> tuple[torch.Tensor, npt.NDArray[np.int64]]:
    """Sessions (closed with the end index) cut into right-padded chunks of ``length`` indices.

    Returns the (n_chunks, length) chunk tensor and each session's first chunk: a session
    longer than ``length`` spans several chunks, a shorter or empty one is padded into one.
    """
    lengths = np.fromiter((len(s) + 1 for s in encoded), dtype=np.int64, count=len(encoded))
    n_chunks = -(-lengths // length)
    first = np.concatenate(([0], np.cumsum(n_chunks)[:-1])).astype(np.int64)
    flat = np.full(int(n_chunks.sum()) * length, PAD, dtype=np.int64)
    body = np.fromiter((i for s in encoded for i in [*s, END]), dtype=np.int64, count=int(lengths.sum()))
    flat[_ranges(first * length, lengths)] = body
    return torch.from_numpy(flat).view(-1, length), first


class SessionClassifier(TorchDetector):
    """Supervised detectors that classify whole sessions (CNN, LogRobust).

    Sessions longer than ``max_length`` are cut into chunks; a session's score is the largest
    anomalous-minus-normal logit over its chunks (``np.maximum.reduceat``), so ``threshold_ = 0``
    is the learned probability-0.5 boundary. Every chunk of a training session carries the
    session's label; classes are weighted by inverse frequency against imbalance.
    """

    supervised = True

    def __init__(
        self,
        max_length: int = 50,
        epochs: int = 10,
        batch_size: int = 128,
        lr: float = 1e-3,
        seed: int = 0,
        device: str | None = None,
        n_threads: int | None = None,
        inference_batch_size: int = 4096,
        contamination: float = 0.0,
    ) -> None:
        super().__init__(contamination=contamination)
        self.max_length = max_length
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed
        self.device = device
        self.n_threads = n_threads
        self.inference_batch_size = inference_batch_size

    def _prepare(self, sequences: Sequences) -> None:
        """Hook for models that need more than the vocabulary before building (semantics)."""

    def _encode_for_scoring(self, sequences: Sequences) -> list[list[int]]:
        """Indices of sequences to score (LogRobust also places unseen templates by meaning)."""
        return self.vocabulary_.encode_all(sequences)

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> Self:
        """Learn normal (0) vs anomalous (1) sessions; both classes are required."""
        self.validate_sequences(sequences)
        labels = self.validate_labels(sequences, y)
        if self.max_length < 1 or self.epochs < 1 or self.batch_size < 1:
            raise ValueError(f"{self.name}: max_length, epochs and batch_size must be >= 1")
        device = resolve_device(self.device)
        began = time.perf_counter()
        with torch_threads(self.n_threads):
            generator = seed_everything(self.seed)
            self.vocabulary_ = Vocabulary.from_sequences(sequences)
            self._prepare(sequences)
            self.model_ = self._build_model()
            chunks, first = session_chunks(self.vocabulary_.encode_all(sequences), self.max_length)
            per_session = np.diff(np.append(first, chunks.shape[0]))
            chunk_labels = torch.from_numpy(np.repeat(labels, per_session))
            counts = torch.bincount(chunk_labels, minlength=2).to(torch.float32)
            weight = counts.sum() / (2.0 * counts)
            self.losses_ = train_classifier(
                self.model_, [chunks], chunk_labels, epochs=self.epochs, batch_size=self.batch_size,
                lr=self.lr, generator=generator, device=device, class_weight=weight,
            )
            self.model_.to(torch.device("cpu"))
        self.train_seconds_ = time.perf_counter() - began
        self.threshold_ = 0.0
        return self

    def decision_function(self, sequences: Sequences) -> FloatArray:
        self._check_fitted()
        self.validate_sequences(sequences)
        chunks, first = session_chunks(self._encode_for_scoring(sequences), self.max_length)

        def margin(logits: torch.Tensor, start: int) -> torch.Tensor:
            diff = (logits[:, 1] - logits[:, 0]).to(torch.float64)
            broken = ~torch.isfinite(diff)
            if bool(broken.any()):
                log.warning("%d chunks got non-finite logits; scored as anomalous", int(broken.sum()))
            return torch.where(broken, torch.full_like(diff, _BROKEN_MARGIN), diff)

        with torch_threads(self.n_threads):
            per_chunk = batched_forward(
                self.model_, [chunks], batch_size=self.inference_batch_size,
                device=resolve_device(self.device), reduce=margin,
            )
        scores: FloatArray = np.maximum.reduceat(per_chunk.numpy().astype(np.float64), first)
        return scores
