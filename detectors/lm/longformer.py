"""``lm-longformer``: a Longformer-style causal Transformer over events with arguments.

Each position attends to the ``attention_window`` positions up to itself plus the global first
token (``lm_attention.sliding_window_mask``), so information travels ``attention_window`` events
per layer while the context can be long. The mask is applied to dense attention in plain PyTorch:
memory still grows with ``context`` squared, which is why the default context is 512.
Longer sequences are scored in sliding windows with a ``LongSequenceWarning``.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from anomalygen.detectors.lm.attention import CausalTransformer
from anomalygen.detectors.lm.embedding import EventEmbedding
from anomalygen.detectors.lm.lm_detector import LMDetector


class LongformerLanguageModel(LMDetector):
    """Sliding-window (plus global first token) causal Transformer; score = log-perplexity.

    Parameters
    ----------
    context : int
        Positions per attention pass.
    attention_window : int
        How far back (in positions, itself included) each position attends locally.
    d_model, heads, layers, feedforward, dropout : Transformer sizes.
    """

    def __init__(self, context: int = 512, attention_window: int = 32, d_model: int = 64, heads: int = 4,
                 layers: int = 2, feedforward: int = 128, dropout: float = 0.1, **common: Any) -> None:
        common.setdefault("learning_rate", 1e-3)
        super().__init__(**common)
        if context < 2 or attention_window < 1:
            raise ValueError("context must be >= 2 and attention_window >= 1")
        self.context = context
        self.attention_window = attention_window
        self.d_model, self.heads, self.layers = d_model, heads, layers
        self.feedforward, self.dropout = feedforward, dropout

    def build_network(self, embedding: EventEmbedding, n_names: int) -> nn.Module:
        return CausalTransformer(embedding, n_names, self.d_model, self.heads, self.layers,
                                 self.feedforward, self.dropout, self.attention_window)
