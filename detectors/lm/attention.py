"""The causal Transformer shared by ``lm-transformer`` and ``lm-longformer``; they differ only in
the attention mask, which is built here in plain PyTorch (a boolean "may not attend" matrix).

* full causal: position i attends to every j <= i;
* Longformer-style: i attends to the ``attention_window`` positions up to itself, plus the first
  position of the pass (the global token; the begin marker at the start of a sequence). Global
  attention is one-way: the first token cannot look ahead, which would leak the future into a
  left-to-right model.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from anomalygen.detectors.lm.embedding import EventEmbedding
from anomalygen.detectors.support.event_encoding import Batch


def causal_mask(length: int, device: torch.device) -> torch.Tensor:
    """True where attention is forbidden (j > i)."""
    return torch.ones(length, length, dtype=torch.bool, device=device).triu(1)


def sliding_window_mask(length: int, window: int, device: torch.device) -> torch.Tensor:
    """True where forbidden: the future, and the past beyond ``window`` except position 0."""
    i = torch.arange(length, device=device).unsqueeze(1)
    j = torch.arange(length, device=device).unsqueeze(0)
    allowed = (j <= i) & ((i - j < window) | (j == 0))
    return ~allowed


class CausalTransformer(nn.Module):
    def __init__(self, embedding: EventEmbedding, n_names: int, d_model: int, heads: int, layers: int,
                 feedforward: int, dropout: float, attention_window: int | None = None) -> None:
        super().__init__()
        self.embedding = embedding
        self.project = nn.Linear(embedding.output_dim, d_model)
        layer = nn.TransformerEncoderLayer(d_model, heads, feedforward, dropout, batch_first=True,
                                           norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.output = nn.Linear(d_model, n_names)
        self.attention_window = attention_window

    def mask(self, length: int, device: torch.device) -> torch.Tensor:
        if self.attention_window is None:
            return causal_mask(length, device)
        return sliding_window_mask(length, self.attention_window, device)

    def forward(self, batch: Batch, state: Any = None) -> tuple[torch.Tensor, None]:
        x = self.project(self.embedding(batch))
        # Padding sits after the real positions, so the causal mask already hides it from them.
        hidden = self.encoder(x, mask=self.mask(x.shape[1], x.device))
        return self.output(self.norm(hidden)), None
