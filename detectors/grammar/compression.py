"""Grammar-compression anomaly detector (arXiv 1109.1729).

Training builds one grammar from all normal sequences with the greedy grammar transform
(``transform.GrammarCore``, or its compiled build when installed: ``engine``).
A new sequence is scored by transforming it against a copy-on-write view of that grammar:
``I`` is the number of symbols it adds to the grammar and ``D = I / length`` the symbols added
per entry. Normal behaviour compresses well against the grammar (small I), novel behaviour adds
many symbols. ``decision_function`` returns D by default, I with ``score="I"``.

A zero-length sequence adds nothing: I = D = 0. ``save`` writes the grammar itself (``state``),
so loading does not replay the training.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Literal, Self

import numpy as np

from anomalygen.detectors.base import BaseDetector, EventSequence, FloatArray, Sequences, event_keys
from anomalygen.detectors.grammar.engine import ENGINE, GrammarCore, intern_codes
from anomalygen.detectors.grammar.state import from_arrays, to_arrays
from anomalygen.detectors.support.persist import read_model, vocabulary_to_json, write_model


class GrammarCompressionDetector(BaseDetector):
    """Score = symbols a sequence adds to the grammar of normal behaviour (per entry by default).

    Parameters
    ----------
    score : "D" or "I"
        ``D`` (symbols added per entry, the default) or ``I`` (symbols added).
    contamination : float
        See ``BaseDetector``.
    """

    def __init__(self, score: Literal["D", "I"] = "D", contamination: float = 0.0) -> None:
        super().__init__(contamination=contamination)
        if score not in ("D", "I"):
            raise ValueError(f"score must be 'D' or 'I', got {score!r}")
        self.score = score

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> GrammarCompressionDetector:
        self.validate_sequences(sequences)
        self.terminals_: dict[Hashable, int] = {}
        self.grammar_ = GrammarCore()
        self.engine_ = ENGINE  # "compiled" or "python": same grammar, different speed
        self.dropped_ = 0  # training sequences that reduced to one symbol (already in the grammar)
        for seq in sequences:
            codes = self._encode(event_keys(seq), grow=True)
            kept = len(self.grammar_.root)
            self.grammar_.add_sequence(codes)
            if codes and len(self.grammar_.root) == kept:
                self.dropped_ += 1
        self.threshold_ = np.inf  # provisional; replaced just below on the training scores
        self.set_threshold(self.decision_function(sequences))
        return self

    def decision_function(self, sequences: Sequences) -> FloatArray:
        self._check_fitted()
        scores = np.empty(len(sequences), dtype=np.float64)
        for i, seq in enumerate(sequences):
            added, length = self.information(seq)
            scores[i] = added if self.score == "I" else (added / length if length else 0.0)
        return scores

    def information(self, sequence: EventSequence) -> tuple[int, int]:
        """(I, length) for one sequence, transformed against a throwaway copy-on-write view."""
        keys = event_keys(sequence)
        codes = self._encode(keys, grow=False)
        return self.grammar_.view().add_sequence(codes, keep=False), len(codes)

    # -- persistence: config.json (terminals, threshold) + arrays.npz (the grammar) -------
    def save(self, path: str | Path) -> Path:
        """Write the trained grammar into the folder ``path`` (created); returns it."""
        self._check_fitted()
        config = {"detector": self.name, "params": self.get_params(), "threshold": self.threshold_,
                  "terminals": vocabulary_to_json(list(self.terminals_)), "dropped": self.dropped_}
        return write_model(Path(path), config, to_arrays(self.grammar_))

    @classmethod
    def load(cls, path: str | Path) -> Self:
        config, arrays = read_model(Path(path), cls.name)
        detector = cls(**config["params"])
        # codes were handed out in order of first appearance, which is the saved list's order
        detector.terminals_ = {key: code for code, key in enumerate(config["terminals"])}
        detector.grammar_ = from_arrays(arrays)
        detector.engine_ = ENGINE
        detector.dropped_ = int(config["dropped"])
        detector.threshold_ = float(config["threshold"])
        return detector

    # -- inspection ------------------------------------------------------------------
    @property
    def size_(self) -> int:
        """Grammar size as in the paper: symbols on every right-hand side, the root included."""
        return self.grammar_.size + len(self.grammar_.root)

    def rules(self) -> dict[str, list[str]]:
        """The grammar as ``{"p0": [...], "p<rule>": [...]}``; terminals are shown as given."""
        names = {code: str(key) for key, code in self.terminals_.items()}

        def show(symbol: int) -> str:
            return f"p{-symbol}" if symbol < 0 else names[symbol]

        out = {"p0": [f"p{r}" for r in self.grammar_.root]}
        for rule in self.grammar_.live_rules():
            out[f"p{rule}"] = [show(s) for s in self.grammar_.body(rule)]
        return out

    def render(self) -> str:
        return "\n".join(f"{name} -> {' '.join(body)}" for name, body in self.rules().items())

    # -- helpers -----------------------------------------------------------------------
    def _encode(self, keys: list[Hashable], grow: bool) -> list[int]:
        """Terminal codes; unseen keys at scoring time get fresh codes no rule can match."""
        table = self.terminals_
        if grow:
            return intern_codes(keys, table)
        unseen: dict[Hashable, int] = {}
        base = len(table)
        out = []
        for k in keys:
            code = table.get(k)
            if code is None:
                code = unseen.setdefault(k, base + len(unseen))
            out.append(code)
        return out
