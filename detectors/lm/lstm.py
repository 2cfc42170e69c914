"""``lm-lstm``: a left-to-right LSTM language model over events with arguments.

The system-call LSTM language model of Kim et al. (arXiv 1611.01726) and arXiv 2309.02206, over
the concatenated event features of ``lm_embedding``. Scoring carries the hidden state across
chunks of ``window`` positions, so traces of any length are scored with their full history.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from anomalygen.detectors.lm.embedding import EventEmbedding
from anomalygen.detectors.lm.lm_detector import LMDetector
from anomalygen.detectors.support.event_encoding import Batch


class LSTMNetwork(nn.Module):
    def __init__(self, embedding: EventEmbedding, n_names: int, hidden: int, layers: int,
                 dropout: float) -> None:
        super().__init__()
        self.embedding = embedding
        self.lstm = nn.LSTM(embedding.output_dim, hidden, layers, batch_first=True,
                            dropout=dropout if layers > 1 else 0.0)
        self.output = nn.Linear(hidden, n_names)

    def forward(self, batch: Batch, state: Any = None) -> tuple[torch.Tensor, Any]:
        hidden, state = self.lstm(self.embedding(batch), state)
        return self.output(hidden), state


class LSTMLanguageModel(LMDetector):
    """LSTM next-event model; score = log-perplexity. See ``LMDetector`` for shared parameters.

    Parameters
    ----------
    hidden : int
        LSTM units per layer.
    layers : int
        Stacked LSTM layers.
    dropout : float
        Between layers (only when ``layers > 1``).
    """

    context = None

    def __init__(self, hidden: int = 128, layers: int = 1, dropout: float = 0.1, **common: Any) -> None:
        super().__init__(**common)
        self.hidden, self.layers, self.dropout = hidden, layers, dropout

    def build_network(self, embedding: EventEmbedding, n_names: int) -> nn.Module:
        return LSTMNetwork(embedding, n_names, self.hidden, self.layers, self.dropout)
