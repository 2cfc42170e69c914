"""Sliding windows and chunks over sessions, and the per-window arithmetic of next-key scoring.

Every session is left-padded with ``window`` pad indices and closed with an end index, so each
real event *and* the end of the session become one prediction target whose history is the
``window`` indices before it. Sessions shorter than the window are thereby padded (as DeepLog
does), empty sessions still get one target (the end), and long sessions get one window per event.
Predicting the end index is what lets a next-key model catch truncated sessions ("5 22" then
nothing), a large share of HDFS anomalies.

Scoring is batched: the windows of *all* sessions are cut from one flat index array with
``Tensor.unfold`` (a strided view, no copy per window), run through the model in large batches,
and the per-window results are folded back to sessions with ``np.maximum.reduceat``. The
detectors built on these: :mod:`anomalygen.detectors.deep.next_key` (DeepLog's scheme) and
:mod:`anomalygen.detectors.deep.session_classifier` (CNN, LogRobust).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import torch

from anomalygen.detectors.base import FloatArray, Sequences
from anomalygen.detectors.support.torch_support import END, PAD, UNKNOWN, resolve_device, torch_threads

if TYPE_CHECKING:  # the detector imports this module; the reference scorer only reads its fields
    from anomalygen.detectors.deep.next_key import NextKeyDetector

log = logging.getLogger(__name__)

# The probability tie-breaker stays below 0.5 so that ``score > g - 0.5`` <=> ``worst rank >= g``.
_TIE_BREAK = 0.499


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
