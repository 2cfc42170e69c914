"""One persistence interface for the whole registry: every detector saved and loaded back through
``BaseDetector.save`` / ``load`` scores exactly like the one that was saved."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from anomalygen.detectors import BaseDetector, available, get_detector
from anomalygen.detectors.base import Sequences
from anomalygen.detectors.registry import _MODULES, detector_class
from anomalygen.records import Event

NORMAL: Sequences = [["open", *(["read", "ack"] * (1 + i % 3)), "close"] for i in range(40)]
ANOMALIES: Sequences = [["open", "read", "read", "close"], ["open", "crash", "close"],
                        ["open", "read", "ack"]]
WITH_PARAMS: Sequences = [[Event(str(k), (f"/d/{i}",)) for k in seq] for i, seq in enumerate(NORMAL)]
TREES = ("dtree", "iforest")
"""sklearn trees: no safe (pickle-free) format for their nodes yet; they refuse to save."""
SMALL: dict[str, Any] = {"epochs": 1, "seed": 0, "n_threads": 1, "threads": 1}
"""Small, deterministic training where a detector takes these parameters."""
MEMBERS = {"ensemble": {"members": "ngram:order=2+grammar+bigram"}}


def _build(name: str) -> BaseDetector:
    cls = detector_class(name)
    accepted = {p for klass in cls.__mro__ if "__init__" in klass.__dict__
                for p in inspect.signature(klass.__dict__["__init__"]).parameters}
    params = {k: v for k, v in SMALL.items() if k in accepted}
    return get_detector(name, **params, **MEMBERS.get(name, {}))


def _fitted(name: str) -> tuple[BaseDetector, Sequences]:
    detector = _build(name)
    if detector.supervised:
        detector.fit(list(NORMAL) + list(ANOMALIES) * 4, [0] * len(NORMAL) + [1] * 12)
        return detector, list(NORMAL[:8]) + list(ANOMALIES)
    data = WITH_PARAMS if name.startswith("lm-") else NORMAL
    detector.fit(data)
    detector.calibrate(data[:10])
    odd = [[Event("open"), Event("crash")]] if name.startswith("lm-") else list(ANOMALIES)
    return detector, list(data[:8]) + odd


def test_every_registered_detector_is_covered() -> None:
    assert set(_MODULES) <= set(available())
    for name in _MODULES:
        assert detector_class(name).name == name  # the class took its name from the one table


@pytest.mark.parametrize("name", sorted(set(_MODULES) - set(TREES)))
def test_a_reloaded_detector_scores_identically(name: str, tmp_path: Path) -> None:
    detector, tests = _fitted(name)
    folder = detector.save(tmp_path / name)
    for saved in folder.rglob("*"):
        assert saved.suffix in {"", ".json", ".npz", ".pt"}, f"{saved.name}: not a safe format"
    loaded = type(detector).load(folder)
    assert type(loaded) is type(detector)
    np.testing.assert_array_equal(loaded.decision_function(tests), detector.decision_function(tests))
    assert loaded.threshold_ == detector.threshold_
    assert loaded.predict(tests).tolist() == detector.predict(tests).tolist()


@pytest.mark.parametrize("name", TREES)
def test_tree_models_refuse_to_save_rather_than_pickle(name: str, tmp_path: Path) -> None:
    detector, _ = _fitted(name)
    with pytest.raises(TypeError, match="without pickle"):
        detector.save(tmp_path / name)


def test_a_grammar_keeps_learning_after_reload(tmp_path: Path) -> None:
    detector, _ = _fitted("grammar")
    loaded = type(detector).load(detector.save(tmp_path / "g"))
    assert loaded.rules() == detector.rules()  # type: ignore[attr-defined]
    more = [["open", "crash", "crash", "close"]] * 3
    grown = [g.add_sequence([1, 9, 9, 2]) for g in (loaded.grammar_, detector.grammar_)]  # type: ignore[attr-defined]
    assert grown[0] == grown[1]
    assert loaded.decision_function(more).tolist() == detector.decision_function(more).tolist()


def test_a_folder_of_another_detector_is_refused(tmp_path: Path) -> None:
    folder = _fitted("ngram")[0].save(tmp_path / "ngram")
    with pytest.raises(ValueError, match="holds a 'ngram' model, not 'grammar'"):
        detector_class("grammar").load(folder)
