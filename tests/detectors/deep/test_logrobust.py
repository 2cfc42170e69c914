"""LogRobust: attention pooling over padding, and unseen templates placed by their meaning."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from anomalygen.detectors.deep import logrobust
from anomalygen.detectors.deep.logrobust import AttentionBiLSTM, LogRobust
from anomalygen.detectors.support import semantics


def test_padded_chunks_give_finite_logits_of_the_same_shape() -> None:
    torch.manual_seed(0)
    model = AttentionBiLSTM(torch.randn(8, 6), hidden_size=4, num_layers=1, dropout=0.0).eval()
    short = model(torch.tensor([[3, 4, 2]]))
    padded = model(torch.tensor([[3, 4, 2, 0, 0, 0]]))
    # the BiLSTM's backward direction does read the pads; only the attention masks them out
    assert torch.isfinite(padded).all() and short.shape == padded.shape


def test_attention_weights_of_padding_are_zero() -> None:
    torch.manual_seed(0)
    model = AttentionBiLSTM(torch.randn(8, 6), hidden_size=4, num_layers=1, dropout=0.0).eval()
    chunks = torch.tensor([[3, 4, 2, 0, 0]])
    states, _ = model.lstm(model.semantics[chunks])
    weights = torch.softmax(model.attention(states).squeeze(-1).masked_fill(chunks == 0, float("-inf")), 1)
    assert weights[0, 3:].sum().item() == 0.0
    assert abs(weights.sum().item() - 1.0) < 1e-6


def test_an_unseen_id_with_a_known_template_is_placed_by_meaning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    torch.set_num_threads(1)

    def fake_embed(texts: list[str], cache_dir: Path | None = None) -> np.ndarray:
        return np.stack([semantics.hashed_vector("text:" + t) for t in texts])

    monkeypatch.setattr(semantics, "embed_texts", fake_embed)
    monkeypatch.setattr(logrobust, "embed_texts", fake_embed)
    templates = {"open": "open file", "read": "read block", "close": "close file", "bad": "disk failure"}
    normal = [["open", "read", "close"]] * 30
    anomalous = [["open", "bad", "close"]] * 30
    model = LogRobust(templates=templates, hidden_size=8, num_layers=1, max_length=8, epochs=2, n_threads=1)
    model.fit(normal + anomalous, [0] * 30 + [1] * 30)
    # "read-v2" never occurred in training, but its template reads exactly like "read"'s
    model.templates = {**templates, "read-v2": "read block"}
    scores = model.decision_function([["open", "read", "close"], ["open", "read-v2", "close"]])
    assert scores[0] == pytest.approx(scores[1], abs=1e-6)
    model.templates = templates  # without the text, the same id is just unknown
    assert model.decision_function([["open", "read-v2", "close"]])[0] != pytest.approx(scores[0], abs=1e-6)
    # the trained table is intact: saving after scoring writes the trained vocabulary's rows only
    loaded = LogRobust.load(model.save(tmp_path / "m"))
    assert isinstance(loaded.model_, AttentionBiLSTM)
    assert loaded.model_.semantics.shape[0] == len(model.vocabulary_)
