"""LogAnomaly: template semantics feed the sequential pattern and travel with the saved weights."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
import torch

from anomalygen.detectors.deep.loganomaly import LogAnomaly, SemanticCountLSTM
from anomalygen.detectors.support import semantics
from anomalygen.detectors.support.semantic_table import vocabulary_semantics
from anomalygen.detectors.support.torch_support import FIRST_KEY, Vocabulary

SESSIONS = [["1", *(["2", "3"] * k), "4"] for k in (1, 2, 3) * 10]


def fake_embed(texts: list[str], cache_dir: Path | None = None) -> np.ndarray:
    """Stand-in for MiniLM: a vector per text, deterministic (the real model is tested in test_semantics)."""
    return np.stack([semantics.hashed_vector("text:" + t) for t in texts])


def test_templates_are_looked_up_for_string_and_integer_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semantics, "embed_texts", fake_embed)
    templates = {"5": "Receiving block <*> src: <*>", 9: "Received block <*> of size <*>"}
    rows = vocabulary_semantics(Vocabulary([5, 9]), templates, None)
    assert rows.shape == (2 + FIRST_KEY, semantics.EMBEDDING_DIM)
    assert torch.equal(rows[0], torch.zeros(semantics.EMBEDDING_DIM))  # padding
    np.testing.assert_array_equal(rows[FIRST_KEY].numpy(), fake_embed(["Receiving block src:"])[0])


def test_missing_templates_fall_back_to_hashed_vectors(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        rows = vocabulary_semantics(Vocabulary(["x", "y"]), None, None)
    assert "2 of 2 event ids have no template text" in caplog.text
    np.testing.assert_array_equal(rows[FIRST_KEY].numpy(), semantics.hashed_vector("x"))


def test_quantitative_input_is_a_linear_map_of_running_counts() -> None:
    torch.manual_seed(0)
    model = SemanticCountLSTM(torch.randn(6, 4), hidden_size=3, num_layers=1, count_dim=2)
    window = torch.tensor([[0, 3, 4, 3]])
    counts = torch.nn.functional.one_hot(window, 6).cumsum(dim=1).to(torch.float32)
    by_counts = counts @ model.count_projection.weight
    torch.testing.assert_close(torch.cumsum(model.count_projection(window), dim=1), by_counts)


def test_semantics_are_saved_with_the_weights(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    torch.set_num_threads(1)
    monkeypatch.setattr(semantics, "embed_texts", fake_embed)
    templates = {"1": "open file", "2": "read block", "3": "ack block", "4": "close file"}
    model = LogAnomaly(templates=templates, window=4, hidden_size=8, count_dim=4, epochs=1, n_threads=1)
    model.fit(SESSIONS)
    loaded = LogAnomaly.load(model.save(tmp_path / "m"))
    assert loaded.templates is None  # not needed any more: the vectors are in the state dict
    torch.testing.assert_close(loaded.model_.semantics, model.model_.semantics)
    probe = SESSIONS[:4]
    np.testing.assert_array_equal(loaded.decision_function(probe), model.decision_function(probe))
