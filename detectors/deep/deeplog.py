"""DeepLog (Du et al., CCS 2017): an LSTM that predicts the next log key from the previous ``window``.

A session is anomalous when one of its keys is not among the model's top-``g`` predictions
(the paper: 2 layers, 64 hidden units, window 10, g = 9 on HDFS). The windowing, batched
scoring, thresholding and persistence are shared with the other next-key models
(:mod:`anomalygen.detectors.deep.next_key`).
"""

from __future__ import annotations

from typing import Unpack

import torch
from torch import nn

from anomalygen.detectors.deep.next_key import NextKeyDetector, NextKeyOptions
from anomalygen.detectors.support.torch_support import PAD


class NextKeyLSTM(nn.Module):
    """Key embedding -> stacked LSTM -> logits over the vocabulary from the last step."""

    def __init__(self, vocab_size: int, embedding_dim: int, hidden_size: int, num_layers: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embedding_dim, padding_idx=PAD)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers=num_layers, batch_first=True)
        self.out = nn.Linear(hidden_size, vocab_size)

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        hidden, _ = self.lstm(self.embed(windows))
        logits: torch.Tensor = self.out(hidden[:, -1, :])
        return logits


class DeepLog(NextKeyDetector):
    """DeepLog's log-key anomaly model.

    Parameters
    ----------
    hidden_size, num_layers : int
        LSTM size (paper: 64, 2).
    embedding_dim : int
        Width of the learned key embedding (the paper feeds one-hot keys; an embedding is the
        usual equivalent and keeps large vocabularies cheap).
    Others : see :class:`~anomalygen.detectors.deep.next_key.NextKeyDetector`.
    """

    def __init__(
        self,
        hidden_size: int = 64,
        num_layers: int = 2,
        embedding_dim: int = 32,
        **kwargs: Unpack[NextKeyOptions],
    ) -> None:
        super().__init__(**kwargs)
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.embedding_dim = embedding_dim

    def _build_model(self) -> nn.Module:
        return NextKeyLSTM(len(self.vocabulary_), self.embedding_dim, self.hidden_size, self.num_layers)
