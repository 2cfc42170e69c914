"""LogAnomaly (Meng et al., IJCAI 2019): next-key prediction from template semantics and counts.

Two LSTMs read the same window: the *sequential* pattern sees the semantic vector of each event's
template (MiniLM, :mod:`anomalygen.detectors.support.semantic_table`; frozen, stored with the weights), the
*quantitative* pattern sees how many times each event occurred so far in the window. Their last
states predict the next event; the top-g rule and scoring are DeepLog's.

The quantitative input at step t is ``count_vector(window[:t+1]) @ W``, computed as a running sum
of rows of ``W`` (an embedding with a zero padding row): the same function as a linear layer on
count vectors, without materialising (window x vocabulary) count tensors.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Unpack

import torch
from torch import nn

from anomalygen.detectors.deep.next_key import NextKeyDetector, NextKeyOptions
from anomalygen.detectors.support.semantic_table import SemanticTable
from anomalygen.detectors.support.torch_support import PAD


class SemanticCountLSTM(nn.Module):
    semantics: torch.Tensor
    """(vocabulary, semantic width) frozen template vectors, saved in the state dict."""

    def __init__(self, semantics: torch.Tensor, hidden_size: int, num_layers: int, count_dim: int) -> None:
        super().__init__()
        vocab_size, semantic_dim = semantics.shape
        self.register_buffer("semantics", semantics.clone())
        self.sequential = nn.LSTM(semantic_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.count_projection = nn.Embedding(vocab_size, count_dim, padding_idx=PAD)
        self.quantitative = nn.LSTM(count_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.out = nn.Linear(2 * hidden_size, vocab_size)

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        sequential, _ = self.sequential(self.semantics[windows])
        counts = torch.cumsum(self.count_projection(windows), dim=1)
        quantitative, _ = self.quantitative(counts)
        joined = torch.cat([sequential[:, -1, :], quantitative[:, -1, :]], dim=1)
        logits: torch.Tensor = self.out(joined)
        return logits


class LogAnomaly(SemanticTable, NextKeyDetector):
    """LogAnomaly's sequential + quantitative next-key model.

    Parameters
    ----------
    templates, cache_dir : template texts and embedding cache, see
        :class:`~anomalygen.detectors.support.semantic_table.SemanticTable`. Only ``fit`` reads them:
        the vectors are saved with the weights.
    hidden_size, num_layers, count_dim : network sizes.
    Others : see :class:`~anomalygen.detectors.deep.next_key.NextKeyDetector`.
    """

    def __init__(
        self,
        templates: Mapping[Any, str] | None = None,
        cache_dir: str | Path | None = None,
        hidden_size: int = 64,
        num_layers: int = 2,
        count_dim: int = 32,
        **kwargs: Unpack[NextKeyOptions],
    ) -> None:
        super().__init__(**kwargs)
        self.templates = templates
        self.cache_dir = cache_dir
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.count_dim = count_dim

    def _build_model(self) -> nn.Module:
        return SemanticCountLSTM(self._take_semantics(), self.hidden_size, self.num_layers, self.count_dim)
