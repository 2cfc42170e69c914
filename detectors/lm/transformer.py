"""``lm-transformer``: a causal Transformer language model over events with arguments.

Attention covers ``context`` positions; longer sequences are scored in sliding windows (see
``LMDetector``), with a ``LongSequenceWarning``. Positions are part of the event features (the
sinusoidal ``position`` channel), so no separate position encoding is added.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from anomalygen.detectors.lm.attention import CausalTransformer
from anomalygen.detectors.lm.embedding import EventEmbedding
from anomalygen.detectors.lm.lm_detector import LMDetector


class TransformerLanguageModel(LMDetector):
    """Causal Transformer next-event model; score = log-perplexity.

    Parameters
    ----------
    context : int
        Positions per attention pass (training windows use ``min(window, context)``).
    d_model, heads, layers, feedforward, dropout : Transformer sizes.
    """

    def __init__(self, context: int = 256, d_model: int = 64, heads: int = 4, layers: int = 2,
                 feedforward: int = 128, dropout: float = 0.1, **common: Any) -> None:
        common.setdefault("learning_rate", 1e-3)
        super().__init__(**common)
        if context < 2:
            raise ValueError(f"context must be >= 2, got {context}")
        self.context = context
        self.window = min(self.window, context)
        self.d_model, self.heads, self.layers = d_model, heads, layers
        self.feedforward, self.dropout = feedforward, dropout

    def build_network(self, embedding: EventEmbedding, n_names: int) -> nn.Module:
        return CausalTransformer(embedding, n_names, self.d_model, self.heads, self.layers,
                                 self.feedforward, self.dropout)
