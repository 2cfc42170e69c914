"""LogRobust: the attention pooling and padding."""

from __future__ import annotations

import torch
from anomalygen.detectors.logrobust import AttentionBiLSTM


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
