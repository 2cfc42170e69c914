"""Reciprocal-rank fusion: one ranking from several, robust to their incomparable scores."""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60
"""The usual constant (Cormack et al. 2009): damps the weight of the very first ranks."""


def fuse(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking):
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores.items(), key=lambda item: -item[1])
