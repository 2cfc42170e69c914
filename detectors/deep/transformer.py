"""Transformer next-key model (unsupervised): DeepLog's scheme with a small causal encoder.

Key embeddings plus learned positions go through a ``nn.TransformerEncoder`` whose causal mask
lets each position see only the events before it; the last position predicts the next event.
Top-g scoring, batching and persistence are shared with DeepLog
(:mod:`anomalygen.detectors.deep.next_key`).
"""

from __future__ import annotations

from typing import Unpack

import torch
from torch import nn

from anomalygen.detectors.deep.next_key import NextKeyDetector, NextKeyOptions
from anomalygen.detectors.support.torch_support import PAD


class CausalNextKeyEncoder(nn.Module):
    causal_mask: torch.Tensor

    def __init__(
        self, vocab_size: int, window: int, d_model: int, num_heads: int, num_layers: int, dropout: float
    ) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.position = nn.Parameter(torch.zeros(1, window, d_model))
        nn.init.normal_(self.position, std=0.02)
        layer = nn.TransformerEncoderLayer(
            d_model, num_heads, dim_feedforward=2 * d_model, dropout=dropout, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers, enable_nested_tensor=False)
        self.register_buffer("causal_mask", nn.Transformer.generate_square_subsequent_mask(window))
        self.out = nn.Linear(d_model, vocab_size)

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        # No key-padding mask: the first window of a session is all padding, and a fully masked
        # row would turn attention into NaN. Padding has its own (zero) embedding plus position.
        hidden = self.encoder(self.embed(windows) + self.position, mask=self.causal_mask, is_causal=True)
        logits: torch.Tensor = self.out(hidden[:, -1, :])
        return logits


class TransformerNextKey(NextKeyDetector):
    """Next-key anomaly detection with a causal Transformer encoder.

    Parameters
    ----------
    d_model, num_heads, num_layers : encoder sizes (small by default: 64, 4, 2).
    dropout : float
        Dropout inside the encoder while training (off when scoring).
    Others : see :class:`~anomalygen.detectors.deep.next_key.NextKeyDetector`.
    """

    def __init__(
        self,
        d_model: int = 64,
        num_heads: int = 4,
        num_layers: int = 2,
        dropout: float = 0.1,
        **kwargs: Unpack[NextKeyOptions],
    ) -> None:
        super().__init__(**kwargs)
        self.d_model = d_model
        self.num_heads = num_heads
        self.num_layers = num_layers
        self.dropout = dropout

    def _build_model(self) -> nn.Module:
        if self.d_model % self.num_heads:
            raise ValueError(f"{self.name}: d_model {self.d_model} must be divisible by num_heads")
        return CausalNextKeyEncoder(
            len(self.vocabulary_), self.window, self.d_model, self.num_heads, self.num_layers, self.dropout
        )
