"""``ensemble``: average of several detectors' scores, each normalised on normal data.

Kim et al. (arXiv 1611.01726) combine system-call language models of different sizes by
averaging their normalised scores. Here any registered unsupervised detectors can be members
(language models, n-grams, the grammar detector). Raw scores live on different scales (nats per
call, symbols added per call), so each member's score is mapped through a normaliser learned on
*normal* sequences only:

* after ``fit``: the members' scores on the training sequences (provisional, in-sample);
* after ``calibrate(normal)``: the members' scores on held-out normal sequences, which is what
  the harness always does — the same held-out normal data then places the threshold.

Normalisers: ``zscore`` ((score - mean) / std of the normal scores, unbounded, so anomalies far
beyond the normal range stay ordered) or ``rank`` (the share of normal scores below, in [0, 1],
insensitive to heavy tails but flat beyond the largest normal score).

Members are written ``name`` or ``name:key=value:key=value`` and joined with ``+``, e.g.
``ngram:order=4+grammar+lm-lstm:hidden=200:epochs=10`` (``+`` and ``:`` because the harness's
model spec already uses ``,`` ``;`` and ``[ ]``).

``save`` writes each member into a ``member-<i>/`` folder of its own (through the member's own
``save``) beside the ensemble's config and the normal scores its normalisers were learned on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np

from anomalygen.detectors.base import BaseDetector, FloatArray, Sequences
from anomalygen.detectors.registry import detector_class, get_detector
from anomalygen.detectors.support.params import parse_items
from anomalygen.detectors.support.persist import read_model, write_model

DEFAULT_MEMBERS = "ngram:order=4+grammar+lm-lstm"
_NORMALISERS = ("zscore", "rank")


def parse_members(spec: str) -> list[tuple[str, dict[str, Any]]]:
    """``"ngram:order=4+grammar"`` -> [("ngram", {"order": 4}), ("grammar", {})]."""
    members: list[tuple[str, dict[str, Any]]] = []
    for part in (p.strip() for p in spec.split("+")):
        if not part:
            raise ValueError(f"ensemble members {spec!r}: empty member")
        name, *items = (p.strip() for p in part.split(":"))
        members.append((name, parse_items(items, f"ensemble member {part!r}")))
    return members


class Normaliser:
    """Maps raw scores of one member onto a common scale learned from normal scores."""

    def __init__(self, kind: str, normal_scores: FloatArray) -> None:
        finite = np.sort(normal_scores[np.isfinite(normal_scores)])
        if finite.size == 0:
            raise ValueError("no finite normal scores to normalise on")
        self.kind, self.sorted = kind, finite
        self.mean = float(finite.mean())
        # A constant member (every normal score equal) must not divide by zero.
        self.scale = float(finite.std()) or 1.0

    def __call__(self, scores: FloatArray) -> FloatArray:
        # A non-finite raw score is as anomalous as a member can say: the top of the scale.
        scores = np.where(np.isfinite(scores), scores, np.inf)
        if self.kind == "zscore":
            z = (scores - self.mean) / self.scale
            return np.asarray(np.nan_to_num(z, posinf=1e6), dtype=np.float64)
        below = np.searchsorted(self.sorted, scores, side="left")
        not_above = np.searchsorted(self.sorted, scores, side="right")
        return np.asarray((below + not_above) / (2.0 * self.sorted.size), dtype=np.float64)


class EnsembleDetector(BaseDetector):
    """Mean of normalised member scores (optionally weighted).

    Parameters
    ----------
    members : str
        Member detectors, ``+``-separated, each ``name[:key=value...]`` (see module docs).
    normalise : "zscore" or "rank"
        How each member's scores are put on a common scale (from normal scores only).
    weights : str or None
        ``+``-separated weights, one per member (None: equal weights).
    seed : int
        Passed to every member that takes a seed and was not given one, plus the member's index,
        so that two members of the same kind differ.
    threads, device : passed to members that take them and were not given them.
    contamination : float
        See ``BaseDetector``.
    """

    def __init__(self, members: str = DEFAULT_MEMBERS, normalise: str = "zscore",
                 weights: str | None = None, seed: int = 0, threads: int | None = None,
                 device: str = "cpu", contamination: float = 0.0) -> None:
        super().__init__(contamination=contamination)
        if normalise not in _NORMALISERS:
            raise ValueError(f"normalise must be one of {_NORMALISERS}, got {normalise!r}")
        specs = parse_members(members)
        if weights is None:
            self.weights_vector = np.ones(len(specs), dtype=np.float64)
        else:
            self.weights_vector = np.asarray([float(w) for w in str(weights).split("+")], dtype=np.float64)
            if self.weights_vector.shape != (len(specs),) or np.any(self.weights_vector < 0) \
                    or self.weights_vector.sum() <= 0:
                raise ValueError(f"weights {weights!r}: need {len(specs)} non-negative numbers, not all 0")
        self.members, self.normalise, self.weights = members, normalise, weights
        self.seed, self.threads, self.device = seed, threads, device

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> EnsembleDetector:
        self.validate_sequences(sequences)
        self.members_: list[BaseDetector] = []
        for index, (name, params) in enumerate(parse_members(self.members)):
            member = get_detector(name, **params)
            if member.supervised:
                raise ValueError(f"ensemble: {name} is supervised; members must learn from normal data")
            known = member.get_params()
            shared = {"seed": self.seed + index, "threads": self.threads, "device": self.device}
            for key, value in shared.items():
                if key in known and key not in params:
                    setattr(member, key, value)
            self.members_.append(member.fit(sequences))
        self.threshold_ = np.inf
        self.set_threshold(self._fit_normalisers(sequences))
        return self

    def calibrate(self, normal_sequences: Sequences) -> float:
        """Learn each member's normaliser on held-out normal sequences, then place the threshold
        on the same sequences' combined scores."""
        self._check_fitted()
        return self.set_threshold(self._fit_normalisers(normal_sequences))

    def decision_function(self, sequences: Sequences) -> FloatArray:
        self._check_fitted()
        return self._combine(self.member_scores(sequences))

    def member_scores(self, sequences: Sequences) -> FloatArray:
        """Raw scores, one column per member (n_sequences, n_members)."""
        self._check_fitted()
        return np.column_stack([m.decision_function(sequences) for m in self.members_])

    # -- persistence ------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the members (``member-<i>/``) and the normalisers into the folder ``path``."""
        self._check_fitted()
        folder = Path(path)
        for index, member in enumerate(self.members_):
            member.save(folder / f"member-{index}")
        config = {"detector": self.name, "params": self.get_params(), "threshold": self.threshold_,
                  "members": [member.name for member in self.members_]}
        normal = {f"normal-{j}": norm.sorted for j, norm in enumerate(self.normalisers_)}
        return write_model(folder, config, normal)

    @classmethod
    def load(cls, path: str | Path) -> Self:
        folder = Path(path)
        config, arrays = read_model(folder, cls.name)
        detector = cls(**config["params"])
        names: list[str] = list(config["members"])
        if len(names) != len(detector.weights_vector):
            weights = len(detector.weights_vector)
            raise ValueError(f"{folder}: {len(names)} saved members for {weights} weights")
        detector.members_ = [detector_class(name).load(folder / f"member-{index}")
                             for index, name in enumerate(names)]
        try:
            # the normal scores were saved sorted and finite: the same mean, scale and ranks
            detector.normalisers_ = [Normaliser(detector.normalise, arrays[f"normal-{j}"])
                                     for j in range(len(names))]
        except KeyError as exc:
            raise ValueError(f"{folder}: saved ensemble lacks {exc.args[0]!r}") from None
        detector.threshold_ = float(config["threshold"])
        return detector

    def _fit_normalisers(self, normal_sequences: Sequences) -> FloatArray:
        raw = self.member_scores(normal_sequences)
        self.normalisers_ = [Normaliser(self.normalise, raw[:, j]) for j in range(raw.shape[1])]
        return self._combine(raw)

    def _combine(self, raw: FloatArray) -> FloatArray:
        columns = np.column_stack([norm(raw[:, j]) for j, norm in enumerate(self.normalisers_)])
        weights = self.weights_vector / self.weights_vector.sum()
        return np.asarray(columns @ weights, dtype=np.float64)
