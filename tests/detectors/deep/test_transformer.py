"""Transformer next-key model: causal masking and batched == naive scoring."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from anomalygen.detectors.deep.transformer import CausalNextKeyEncoder, TransformerNextKey
from anomalygen.detectors.support.sequence_windows import naive_next_key_scores


def test_a_position_never_sees_the_events_after_it() -> None:
    torch.manual_seed(0)
    model = CausalNextKeyEncoder(vocab_size=10, window=5, d_model=8, num_heads=2, num_layers=1, dropout=0.0)
    model.eval()
    windows = torch.tensor([[3, 4, 5, 6, 7], [3, 4, 5, 9, 9]])
    hidden = model.encoder(model.embed(windows) + model.position, mask=model.causal_mask, is_causal=True)
    torch.testing.assert_close(hidden[0, :3], hidden[1, :3])  # identical prefixes, different futures
    assert not torch.allclose(hidden[0, 4], hidden[1, 4])


def test_batched_scores_equal_the_naive_loop() -> None:
    torch.set_num_threads(1)
    sessions = [["a", *(["b", "c"] * k), "d"] for k in (1, 2, 3) * 20]
    model = TransformerNextKey(window=4, g=2, d_model=16, num_heads=2, num_layers=1, epochs=2, lr=5e-3,
                               n_threads=1, inference_batch_size=5).fit(sessions)
    probe = [*sessions[:5], [], ["a"], ["a", "c", "b", "d"], ["a", *(["b", "c"] * 25), "d"]]
    np.testing.assert_allclose(model.decision_function(probe), naive_next_key_scores(model, probe),
                               rtol=0, atol=1e-5)


def test_heads_must_divide_the_model_width() -> None:
    with pytest.raises(ValueError, match="divisible"):
        TransformerNextKey(d_model=10, num_heads=4, epochs=1).fit([["a", "b"]])
