"""The detector contract (PyOD's direction, see DESIGN.md).

``fit(sequences, y=None)`` learns from sessions; ``decision_function(sequences)`` returns one
score per sequence, higher = more anomalous; ``predict`` compares scores to ``threshold_``.
Fitted attributes end in ``_``.

Thresholds come from normal data only, never from test labels: ``fit`` leaves a provisional
``threshold_`` placed on its own (normal) training scores so ``predict`` works standalone, and
``calibrate(normal_sequences)`` re-places it on held-out normal sessions — the evaluation
harness always calls ``fit(train)`` then ``calibrate(validation_normal)``. Supervised detectors
(``supervised = True``) keep their own decision boundary (probability 0.5 / margin 0, mapped to
``threshold_``) and ``calibrate`` leaves it alone.

A sequence is a list of event ids (``LogStatement`` ids, DeepLog keys, syscall names; any
hashable), or a list of ``Event`` records when per-event parameters matter.

Persistence is one interface for every detector: ``save(path)`` writes a folder, the class method
``load(path)`` reads it back into a detector that scores exactly as the saved one. Folders hold
JSON, numpy ``.npz`` read with ``allow_pickle=False`` or a torch ``state_dict`` read with
``weights_only=True``: loading a model never runs code from the file.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from anomalygen.records import Event

EventSequence = Sequence[Hashable] | Sequence[Event]
Sequences = Sequence[EventSequence]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def event_keys(sequence: EventSequence) -> list[Hashable]:
    """The event ids of a sequence, whether it holds bare ids or ``Event`` records."""
    return [e.statement if isinstance(e, Event) else e for e in sequence]


class NotFittedError(RuntimeError):
    """Raised when a detector is used before ``fit``."""


class BaseDetector(ABC):
    """Shared machinery: parameter introspection, thresholding, validation.

    Parameters
    ----------
    contamination : float
        Expected share of anomalies among *normal validation* scores used to place the
        threshold: the threshold is the ``1 - contamination`` quantile of scores on held-out
        normal data. ``0.0`` puts it at the maximum normal score.
    """

    name: str = "base"
    supervised: bool = False

    def __init__(self, contamination: float = 0.0) -> None:
        self.contamination = contamination

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """A class listed in the registry takes its name from there: registered in one place."""
        super().__init_subclass__(**kwargs)
        from anomalygen.detectors.registry import name_of  # the registry imports this module

        listed = name_of(cls)
        if listed is not None:
            cls.name = listed

    # -- the API -------------------------------------------------------------------------
    @abstractmethod
    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> BaseDetector:
        """Learn from ``sequences`` (labels ``y`` only for supervised detectors)."""

    @abstractmethod
    def decision_function(self, sequences: Sequences) -> FloatArray:
        """One anomaly score per sequence; higher means more anomalous."""

    def predict(self, sequences: Sequences) -> IntArray:
        """1 for anomalous, 0 for normal, by comparing scores with ``threshold_``."""
        self._check_fitted()
        scores = self.decision_function(sequences)
        return (scores > self.threshold_).astype(np.int64)

    def get_params(self) -> dict[str, Any]:
        """Constructor parameters and their current values (sklearn/PyOD convention)."""
        params: dict[str, Any] = {}
        for cls in type(self).__mro__:
            init = cls.__dict__.get("__init__")
            if cls is object or init is None:
                continue
            for pname in inspect.signature(init).parameters:
                if pname in ("self", "args", "kwargs") or pname in params:
                    continue
                if hasattr(self, pname):
                    params[pname] = getattr(self, pname)
        return params

    def calibrate(self, normal_sequences: Sequences) -> float:
        """Place ``threshold_`` on held-out *normal* sequences; returns it.

        Supervised detectors keep the boundary they learned from labels.
        """
        self._check_fitted()
        if self.supervised:
            return self.threshold_
        return self.set_threshold(self.decision_function(normal_sequences))

    def save(self, path: str | Path) -> Path:
        """Write the fitted detector into the folder ``path`` (created); returns it."""
        raise NotImplementedError(f"{self.name} does not implement save()")

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """A detector read back from a folder written by ``save``, ready to score."""
        raise NotImplementedError(f"{cls.name} does not implement load()")

    # -- helpers for subclasses ---------------------------------------------------------
    def set_threshold(self, normal_scores: FloatArray) -> float:
        """Place ``threshold_`` on scores of held-out *normal* sessions."""
        scores = np.asarray(normal_scores, dtype=np.float64)
        scores = scores[np.isfinite(scores)]
        if scores.size == 0:
            raise ValueError(f"{self.name}: no finite normal scores to place a threshold on")
        if self.contamination <= 0.0:
            self.threshold_ = float(scores.max())
        else:
            self.threshold_ = float(np.quantile(scores, 1.0 - self.contamination))
        return self.threshold_

    threshold_: float

    def _check_fitted(self) -> None:
        if not hasattr(self, "threshold_"):
            raise NotFittedError(f"{self.name} is not fitted: call fit() first")

    @staticmethod
    def validate_sequences(sequences: Sequences, *, allow_empty_sequence: bool = True) -> None:
        if len(sequences) == 0:
            raise ValueError("no sequences given")
        if not allow_empty_sequence and any(len(s) == 0 for s in sequences):
            raise ValueError("empty sequence given")

    def validate_labels(self, sequences: Sequences, y: Sequence[int] | None) -> npt.NDArray[np.int64]:
        if y is None:
            raise ValueError(f"{self.name} is supervised: fit() needs labels y")
        labels = np.asarray(y, dtype=np.int64)
        if labels.shape != (len(sequences),):
            raise ValueError(f"{self.name}: got {labels.shape[0]} labels for {len(sequences)} sequences")
        if set(np.unique(labels).tolist()) != {0, 1}:
            raise ValueError(
                f"{self.name} is supervised and needs both normal (0) and anomalous (1) sessions; "
                f"got only {sorted(set(labels.tolist()))}"
            )
        return labels
