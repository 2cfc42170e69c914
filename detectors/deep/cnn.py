"""CNN log anomaly detector (Lu et al., DASC 2018), supervised.

Learned key embeddings of a session go through parallel 1-D convolutions (kernel widths 3, 4, 5
by default), max-pooled over time, and a linear layer separates normal from anomalous sessions.
Chunking of long sessions, class weighting and scoring: :class:`SessionClassifier`.
"""

from __future__ import annotations

from typing import Unpack

import torch
from torch import nn

from anomalygen.detectors.deep.session_classifier import ClassifierOptions, SessionClassifier
from anomalygen.detectors.support.torch_support import PAD


class KeyCNN(nn.Module):
    def __init__(
        self, vocab_size: int, embedding_dim: int, filters: int, kernel_sizes: tuple[int, ...], dropout: float
    ) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embedding_dim, padding_idx=PAD)
        self.convs = nn.ModuleList(nn.Conv1d(embedding_dim, filters, k, padding=k - 1) for k in kernel_sizes)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(filters * len(kernel_sizes), 2)

    def forward(self, chunks: torch.Tensor) -> torch.Tensor:
        x = self.embed(chunks).transpose(1, 2)  # (batch, embedding, time) for Conv1d
        pooled = [torch.relu(conv(x)).amax(dim=2) for conv in self.convs]
        logits: torch.Tensor = self.out(self.dropout(torch.cat(pooled, dim=1)))
        return logits


class CNNDetector(SessionClassifier):
    """Convolutional session classifier over key embeddings.

    Parameters
    ----------
    embedding_dim, filters : int
        Key embedding width and filters per kernel width.
    kernel_sizes : tuple of int
        Convolution widths (n-gram sizes) applied in parallel.
    dropout : float
        Dropout before the output layer while training.
    max_length, inference_batch_size : chunk length and chunks per forward pass.
    Others : see :class:`~anomalygen.detectors.deep.session_classifier.SessionClassifier`.
    """

    def __init__(
        self,
        max_length: int = 50,
        embedding_dim: int = 32,
        filters: int = 32,
        kernel_sizes: tuple[int, ...] | list[int] = (3, 4, 5),
        dropout: float = 0.2,
        inference_batch_size: int = 4096,
        **kwargs: Unpack[ClassifierOptions],
    ) -> None:
        super().__init__(max_length=max_length, inference_batch_size=inference_batch_size, **kwargs)
        self.embedding_dim = embedding_dim
        self.filters = filters
        self.kernel_sizes = tuple(int(k) for k in kernel_sizes)
        self.dropout = dropout

    def _build_model(self) -> nn.Module:
        return KeyCNN(
            len(self.vocabulary_), self.embedding_dim, self.filters, self.kernel_sizes, self.dropout
        )
