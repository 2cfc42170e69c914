"""Saving and loading classical models (config.json + arrays.npz, never pickle)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from anomalygen.detectors import get_detector
from anomalygen.detectors.registry import _REGISTRY
from anomalygen.detectors.support.persist import VocabularyMismatchError

NORMAL = [["open", *(["read", "ack"] * (1 + i % 3)), "close"] for i in range(60)]
ANOMALIES = [["open", "read", "read", "close"], ["open", "crash", "close"], ["open", "read", "ack"]]
SAVABLE = ("pca", "invariants", "logclustering", "bigram", "logreg", "svm")


def _fitted(name: str) -> Any:
    detector = get_detector(name)
    if detector.supervised:
        return detector.fit(NORMAL + ANOMALIES * 4, [0] * len(NORMAL) + [1] * 12)
    detector.fit(NORMAL)
    detector.calibrate(NORMAL[:20])
    return detector


@pytest.mark.parametrize("name", SAVABLE)
def test_a_loaded_model_scores_exactly_like_the_saved_one(name: str, tmp_path: Path) -> None:
    detector = _fitted(name)
    folder = detector.save(tmp_path / name)
    assert sorted(p.name for p in folder.iterdir()) == ["arrays.npz", "config.json"]
    loaded = type(detector).load(folder)
    data = NORMAL[:10] + ANOMALIES
    np.testing.assert_allclose(loaded.decision_function(data), detector.decision_function(data))
    assert loaded.threshold_ == detector.threshold_
    assert loaded.predict(data).tolist() == detector.predict(data).tolist()


@pytest.mark.parametrize("name", ("pca", "bigram"))
def test_data_from_another_vocabulary_is_a_clear_error(name: str, tmp_path: Path) -> None:
    loaded = _REGISTRY[name].load(_fitted(name).save(tmp_path / name))
    with pytest.raises(VocabularyMismatchError, match="mismatched vocabulary"):
        loaded.decision_function([["5", "22", "11"], ["9"]])  # HDFS keys for a workflow model
    # a few unseen ids among known ones are anomalies, not an error
    assert loaded.decision_function([["open", "crash", "close"]])[0] > loaded.threshold_


def test_trees_refuse_to_be_saved_without_pickle(tmp_path: Path) -> None:
    for name in ("dtree", "iforest"):
        with pytest.raises(TypeError, match="without pickle"):
            _fitted(name).save(tmp_path / name)


def test_loading_checks_the_detector_kind_and_the_array_shapes(tmp_path: Path) -> None:
    folder = _fitted("pca").save(tmp_path / "pca")
    with pytest.raises(ValueError, match="holds a 'pca' model, not 'logclustering'"):
        _REGISTRY["logclustering"].load(folder)
    config = json.loads((folder / "config.json").read_text())
    config["vocabulary"].append("extra")
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="do not fit its vocabulary"):
        _REGISTRY["pca"].load(folder)
    with pytest.raises(FileNotFoundError, match="not a saved detector folder"):
        _REGISTRY["pca"].load(tmp_path / "nothing")
