"""Event-count vectors: the input of every classical detector (loglizer's ``FeatureExtractor``).

A session becomes one row of counts, one column per event id seen in *training* data, plus a
last "unknown" column that counts events never seen in training. Unseen ids therefore never crash
and never vanish: a detector sees them as a column that was always zero on normal data, which is
exactly what PCA's residual, the invariants' "never happens" rule and LogClustering's distance
need to flag them.

Optional weighting and normalisation follow loglizer: TF-IDF multiplies each column by
``log(N / df)`` (``df`` = training sessions containing the event; the unknown column gets
``df = 1``, i.e. the rarest possible event, instead of loglizer's division by ~0), and zero-mean
subtracts the training column means.
"""

from __future__ import annotations

import inspect
from abc import abstractmethod
from collections.abc import Hashable
from pathlib import Path
from typing import Any, Literal, Self

import numpy as np

from anomalygen.detectors.base import BaseDetector, FloatArray, NotFittedError, Sequences, event_keys
from anomalygen.detectors.support.persist import check_vocabulary, read_model, vocabulary_to_json, write_model

TermWeighting = Literal["none", "tf-idf", "tf-idf-smooth"]
Normalization = Literal["none", "zero-mean"]
UNKNOWN = "<unknown>"


class EventCountVectorizer:
    """Sessions -> event-count matrix over a vocabulary fitted on training sessions.

    Parameters
    ----------
    term_weighting : {"none", "tf-idf"}
        Scale counts by inverse document frequency (fitted on training data).
    normalization : {"none", "zero-mean"}
        Subtract the training column means (after weighting).
    """

    def __init__(self, term_weighting: TermWeighting = "none", normalization: Normalization = "none") -> None:
        if term_weighting not in ("none", "tf-idf", "tf-idf-smooth"):
            raise ValueError(
                f"term_weighting must be 'none', 'tf-idf' or 'tf-idf-smooth', got {term_weighting!r}"
            )
        if normalization not in ("none", "zero-mean"):
            raise ValueError(f"normalization must be 'none' or 'zero-mean', got {normalization!r}")
        self.term_weighting = term_weighting
        self.normalization = normalization

    index_: dict[Hashable, int]
    idf_: FloatArray
    mean_: FloatArray

    def fit(self, sequences: Sequences) -> EventCountVectorizer:
        if len(sequences) == 0:
            raise ValueError("cannot fit a vocabulary on no sequences")
        # First-seen order: deterministic for a given input and works for ids of mixed types.
        seen: dict[Hashable, None] = {}
        for seq in sequences:
            seen.update(dict.fromkeys(event_keys(seq)))
        self.index_ = {key: i for i, key in enumerate(seen)}
        counts = self.count(sequences)
        n_sessions = counts.shape[0]
        doc_freq = np.count_nonzero(counts > 0, axis=0).astype(np.float64)
        doc_freq[-1] = 1.0
        if self.term_weighting == "tf-idf-smooth":
            self.idf_ = np.log((1.0 + n_sessions) / (1.0 + doc_freq)) + 1.0
        else:
            self.idf_ = np.log(n_sessions / doc_freq) if n_sessions > 1 else np.ones_like(doc_freq)
        weighted = self._weight(counts)
        self.mean_ = weighted.mean(axis=0) if self.normalization == "zero-mean" else np.zeros(counts.shape[1])
        return self

    @property
    def n_features(self) -> int:
        self._check_fitted()
        return len(self.index_) + 1

    @property
    def feature_names(self) -> list[Hashable]:
        """The event id of each column; the last one is ``UNKNOWN``."""
        self._check_fitted()
        return [*self.index_, UNKNOWN]

    def count(self, sequences: Sequences) -> FloatArray:
        """Raw counts (no weighting), unseen ids in the last column."""
        self._check_fitted()
        unknown = len(self.index_)
        rows: list[int] = []
        cols: list[int] = []
        for row, seq in enumerate(sequences):
            keys = event_keys(seq)
            rows.extend([row] * len(keys))
            cols.extend(self.index_.get(k, unknown) for k in keys)
        counts = np.zeros((len(sequences), unknown + 1), dtype=np.float64)
        np.add.at(counts, (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)), 1.0)
        return counts

    def transform(self, sequences: Sequences) -> FloatArray:
        return self.from_counts(self.count(sequences))

    def from_counts(self, counts: FloatArray) -> FloatArray:
        """Weighted and normalised features of a raw count matrix from ``count``."""
        return self._weight(counts) - self.mean_

    def fit_transform(self, sequences: Sequences) -> FloatArray:
        return self.fit(sequences).transform(sequences)

    def _weight(self, counts: FloatArray) -> FloatArray:
        if self.term_weighting != "none":
            return counts * self.idf_
        return counts

    def _check_fitted(self) -> None:
        if not hasattr(self, "index_"):
            raise NotFittedError("EventCountVectorizer is not fitted: call fit() first")


class CountVectorDetector(BaseDetector):
    """Base of the classical detectors: owns an ``EventCountVectorizer`` fitted in ``fit``.

    Parameters
    ----------
    term_weighting : {"none", "tf-idf"}
        See ``EventCountVectorizer``.
    normalization : {"none", "zero-mean"}
        See ``EventCountVectorizer``.
    contamination : float
        See ``BaseDetector``.
    """

    def __init__(
        self,
        term_weighting: TermWeighting = "none",
        normalization: Normalization = "none",
        contamination: float = 0.0,
    ) -> None:
        super().__init__(contamination=contamination)
        self.term_weighting = term_weighting
        self.normalization = normalization

    vectorizer_: EventCountVectorizer

    def _fit_features(self, sequences: Sequences) -> FloatArray:
        self.validate_sequences(sequences)
        self.vectorizer_ = EventCountVectorizer(self.term_weighting, self.normalization)
        return self.vectorizer_.fit_transform(sequences)

    def _features(self, sequences: Sequences) -> FloatArray:
        self._check_fitted()
        counts = self.vectorizer_.count(sequences)
        total = int(counts.sum())
        if total and not counts[:, :-1].any():
            keys = [k for seq in sequences for k in event_keys(seq)]
            check_vocabulary(keys, 0, list(self.vectorizer_.index_))
        return self.vectorizer_.from_counts(counts)

    def _provisional_threshold(self, train_features: FloatArray) -> None:
        """A threshold on the training scores so ``predict`` works before ``calibrate``."""
        self.set_threshold(self._score(train_features))

    @abstractmethod
    def _score(self, features: FloatArray) -> FloatArray:
        """Scores of feature rows, higher = more anomalous."""

    def decision_function(self, sequences: Sequences) -> FloatArray:
        if len(sequences) == 0:
            return np.zeros(0, dtype=np.float64)
        return self._score(self._features(sequences))

    # -- persistence: config.json + arrays.npz (see persist.py) --------------------------------
    _saved_arrays: tuple[str, ...] = ()
    """Fitted numpy attributes written to arrays.npz."""
    _saved_scalars: tuple[str, ...] = ()
    """Fitted JSON-able attributes written to config.json."""

    def save(self, path: str | Path) -> Path:
        """Write the fitted model into the folder ``path`` (created); returns it."""
        self._check_fitted()
        scalars, arrays = self._fitted_state()
        vectorizer = self.vectorizer_
        config = {
            "detector": self.name,
            "params": self.get_params(),
            "vocabulary": vocabulary_to_json(list(vectorizer.index_)),
            "threshold": self.threshold_,
            "state": scalars,
        }
        return write_model(Path(path), config, {"idf": vectorizer.idf_, "mean": vectorizer.mean_, **arrays})

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Rebuild a detector written by ``save``; shapes are checked against the vocabulary."""
        config, arrays = read_model(Path(path), cls.name)
        accepted = inspect.signature(cls.__init__).parameters
        detector = cls(**{k: v for k, v in config["params"].items() if k in accepted})
        vectorizer = EventCountVectorizer(detector.term_weighting, detector.normalization)
        vectorizer.index_ = {key: i for i, key in enumerate(config["vocabulary"])}
        vectorizer.idf_, vectorizer.mean_ = arrays.pop("idf"), arrays.pop("mean")
        width = len(vectorizer.index_) + 1
        if vectorizer.idf_.shape != (width,) or vectorizer.mean_.shape != (width,):
            raise ValueError(f"{path}: saved arrays do not fit its vocabulary of {width - 1} event ids")
        detector.vectorizer_ = vectorizer
        detector._restore_state(config.get("state", {}), arrays)
        detector.threshold_ = float(config["threshold"])
        return detector

    def _fitted_state(self) -> tuple[dict[str, Any], dict[str, FloatArray]]:
        return ({name: getattr(self, name) for name in self._saved_scalars},
                {name: getattr(self, name) for name in self._saved_arrays})

    def _restore_state(self, scalars: dict[str, Any], arrays: dict[str, FloatArray]) -> None:
        missing = [n for n in self._saved_scalars if n not in scalars]
        missing += [n for n in self._saved_arrays if n not in arrays]
        if missing:
            raise ValueError(f"saved {self.name} model lacks {', '.join(missing)}")
        for name in self._saved_scalars:
            setattr(self, name, scalars[name])
        for name in self._saved_arrays:
            setattr(self, name, arrays[name])
