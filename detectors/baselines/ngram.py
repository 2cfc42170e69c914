"""n-gram language-model baseline (n = 2..4) with interpolated absolute-discount backoff.

The same score as the neural LMs: the mean negative log-likelihood of each next event given the
``n - 1`` before it (log-perplexity; ``perplexity`` gives exp of it), with ``surprisal`` per event.
Sequences start with ``n - 1`` begin markers and end with an end marker, so an abruptly cut
trace is as visible as an odd one.

Smoothing ("Kneser–Ney-lite", without continuation counts): for a context ``h`` seen ``c(h)``
times with ``N1+(h)`` distinct followers,

    P(w | h) = max(c(h, w) - d, 0) / c(h) + d * N1+(h) / c(h) * P(w | h minus its oldest event)

and a context never seen backs off entirely to the shorter one. The unigram level is add-one
over the training vocabulary plus one slot for unseen events, so every event, even an unknown
one, has a finite, proper probability.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np

from anomalygen.detectors.base import BaseDetector, EventSequence, FloatArray, Sequences, event_keys
from anomalygen.detectors.support.persist import read_model, vocabulary_to_json, write_model

_BEGIN = ("<s>",)  # tuples cannot collide with the hashable event ids users pass
_END = ("</s>",)


class NGramDetector(BaseDetector):
    """Next-event n-gram model; score = mean surprisal (nats) of a sequence's events.

    Parameters
    ----------
    order : int
        n, from 2 to 4.
    discount : float
        Absolute discount ``d`` in (0, 1).
    aggregate : "mean" or "max"
        Sequence score: mean surprisal (log-perplexity, default) or the most surprising event.
    contamination : float
        See ``BaseDetector``.
    """

    def __init__(self, order: int = 3, discount: float = 0.75, aggregate: str = "mean",
                 contamination: float = 0.0) -> None:
        super().__init__(contamination=contamination)
        if aggregate not in ("mean", "max"):
            raise ValueError(f"aggregate must be 'mean' or 'max', got {aggregate!r}")
        self.aggregate = aggregate
        if not 2 <= order <= 4:
            raise ValueError(f"order must be 2, 3 or 4, got {order}")
        if not 0.0 < discount < 1.0:
            raise ValueError(f"discount must be in (0, 1), got {discount}")
        self.order = order
        self.discount = discount

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> NGramDetector:
        self.validate_sequences(sequences)
        # counts_[k][context of length k][next] for k = 0 .. order-1
        self.counts_: list[dict[tuple[Hashable, ...], dict[Hashable, int]]] = [
            {} for _ in range(self.order)
        ]
        for seq in sequences:
            for context, event in self._grams(event_keys(seq)):
                for k in range(self.order):
                    followers = self.counts_[k].setdefault(context[len(context) - k:] if k else (), {})
                    followers[event] = followers.get(event, 0) + 1
        self._derive_totals()
        self.threshold_ = math.inf
        self.set_threshold(self.decision_function(sequences))
        return self

    def _derive_totals(self) -> None:
        """The sums ``probability`` needs, computed once from ``counts_``."""
        unigrams = self.counts_[0][()]
        self.total_ = sum(unigrams.values())
        self.vocabulary_size_ = len(unigrams) + 1  # + the unseen-event slot
        # per context: (total count, distinct followers), the two numbers the backoff weight needs
        self.context_stats_: list[dict[tuple[Hashable, ...], tuple[int, int]]] = [
            {h: (sum(f.values()), len(f)) for h, f in level.items()} for level in self.counts_
        ]

    # -- persistence: the counts in config.json (see persist.py) ---------------------------
    def save(self, path: str | Path) -> Path:
        """Write the n-gram counts into the folder ``path`` (created); returns it."""
        self._check_fitted()
        levels = [[[[_key_to_json(k) for k in context], [[_key_to_json(e), n] for e, n in followers.items()]]
                   for context, followers in level.items()] for level in self.counts_]
        config = {"detector": self.name, "params": self.get_params(), "threshold": self.threshold_,
                  "counts": levels}
        return write_model(Path(path), config, {})

    @classmethod
    def load(cls, path: str | Path) -> Self:
        config, _ = read_model(Path(path), cls.name)
        detector = cls(**config["params"])
        try:
            detector.counts_ = [
                {tuple(_key_from_json(k) for k in context): {_key_from_json(e): int(n) for e, n in followers}
                 for context, followers in level}
                for level in config["counts"]
            ]
            if len(detector.counts_) != detector.order or () not in detector.counts_[0]:
                raise ValueError(f"{len(detector.counts_)} count levels for order {detector.order}")
        except (TypeError, ValueError, KeyError) as exc:
            raise ValueError(f"{path}: not a saved n-gram model ({exc})") from None
        detector._derive_totals()
        detector.threshold_ = float(config["threshold"])
        return detector

    def decision_function(self, sequences: Sequences) -> FloatArray:
        self._check_fitted()
        reduce = max if self.aggregate == "max" else _mean
        return np.asarray([reduce(self.surprisal(s)) for s in sequences], dtype=np.float64)

    def perplexity(self, sequences: Sequences) -> FloatArray:
        """exp of the mean surprisal of each sequence, whatever ``aggregate`` says."""
        self._check_fitted()
        return np.exp(np.asarray([_mean(self.surprisal(s)) for s in sequences], dtype=np.float64))

    def surprisal(self, sequence: EventSequence) -> list[float]:
        """-log P of each event given the events before it (nats), then of the end marker."""
        self._check_fitted()
        return [-math.log(self.probability(context, event))
                for context, event in self._grams(event_keys(sequence))]

    def probability(self, context: tuple[Hashable, ...], event: Hashable) -> float:
        """P(event | last ``order - 1`` events of ``context``), with backoff."""
        unigrams = self.counts_[0][()]
        p = (unigrams.get(event, 0) + 1) / (self.total_ + self.vocabulary_size_)
        d = self.discount
        for k in range(1, self.order):
            if len(context) < k:
                break
            h = context[len(context) - k:]
            stats = self.context_stats_[k].get(h)
            if stats is None:
                continue  # unseen context: keep the shorter context's estimate
            total, distinct = stats
            seen = self.counts_[k][h].get(event, 0)
            p = max(seen - d, 0.0) / total + d * distinct / total * p
        return p

    def _grams(self, keys: list[Hashable]) -> list[tuple[tuple[Hashable, ...], Hashable]]:
        padded: list[Hashable] = [_BEGIN] * (self.order - 1) + keys + [_END]
        n = self.order - 1
        return [(tuple(padded[i - n:i]), padded[i]) for i in range(n, len(padded))]


def _key_to_json(key: Hashable) -> Any:
    """Event ids as themselves; the begin/end markers as ``{"marker": ...}``, which no id is."""
    if key in (_BEGIN, _END):
        return {"marker": key[0]}
    return vocabulary_to_json([key])[0]


def _key_from_json(value: Any) -> Hashable:
    if isinstance(value, dict):
        marker = {_BEGIN[0]: _BEGIN, _END[0]: _END}.get(str(value.get("marker")))
        if marker is None:
            raise ValueError(f"unknown marker {value!r}")
        return marker
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"event id {value!r} is not an int or str")
    return value


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else 0.0
