"""LogRobust (Zhang et al., FSE 2019): attention BiLSTM over template semantic vectors, supervised.

Each event becomes the MiniLM vector of its template (:mod:`anomalygen.detectors.support.semantics`),
so an unseen but similar template still lands near known ones — the robustness the paper is
named for. A bidirectional LSTM reads the session, additive attention (padding masked out)
pools it, and a linear layer separates normal from anomalous sessions. Chunking, class
weighting and scoring: :class:`SessionClassifier`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any, Unpack

import torch
from torch import nn

from anomalygen.detectors.base import FloatArray, Sequences, event_keys
from anomalygen.detectors.deep.session_classifier import ClassifierOptions, SessionClassifier
from anomalygen.detectors.support.semantic_table import SemanticTable
from anomalygen.detectors.support.semantics import embed_texts, lookup_template
from anomalygen.detectors.support.torch_support import PAD, UNKNOWN


class AttentionBiLSTM(nn.Module):
    semantics: torch.Tensor
    """(vocabulary, semantic width) frozen template vectors, saved in the state dict."""

    def __init__(self, semantics: torch.Tensor, hidden_size: int, num_layers: int, dropout: float) -> None:
        super().__init__()
        self.register_buffer("semantics", semantics.clone())
        self.lstm = nn.LSTM(
            semantics.shape[1], hidden_size, num_layers=num_layers, batch_first=True, bidirectional=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.attention = nn.Sequential(
            nn.Linear(2 * hidden_size, hidden_size), nn.Tanh(), nn.Linear(hidden_size, 1)
        )
        self.out = nn.Linear(2 * hidden_size, 2)

    def forward(self, chunks: torch.Tensor) -> torch.Tensor:
        states, _ = self.lstm(self.semantics[chunks])
        weights = self.attention(states).squeeze(-1)
        # Every chunk holds at least one real index (sessions end with the end index), so the
        # masked softmax never sees an all-masked row.
        weights = torch.softmax(weights.masked_fill(chunks == PAD, float("-inf")), dim=1)
        pooled = torch.bmm(weights.unsqueeze(1), states).squeeze(1)
        logits: torch.Tensor = self.out(pooled)
        return logits


class LogRobust(SemanticTable, SessionClassifier):
    """Attention-based BiLSTM session classifier over template semantics.

    Parameters
    ----------
    templates, cache_dir : template texts and embedding cache, see
        :class:`~anomalygen.detectors.support.semantic_table.SemanticTable`. Scoring reads them too, to
        place unseen event ids by meaning.
    max_length, inference_batch_size : chunk length and chunks per forward pass.
    hidden_size, num_layers, dropout : BiLSTM settings (paper: 128 hidden units, 2 layers).
    Others : see :class:`~anomalygen.detectors.deep.session_classifier.SessionClassifier`.
    """

    def __init__(
        self,
        templates: Mapping[Any, str] | None = None,
        cache_dir: str | Path | None = None,
        max_length: int = 100,
        hidden_size: int = 64,
        num_layers: int = 2,
        dropout: float = 0.1,
        inference_batch_size: int = 2048,
        **kwargs: Unpack[ClassifierOptions],
    ) -> None:
        super().__init__(max_length=max_length, inference_batch_size=inference_batch_size, **kwargs)
        self.templates = templates
        self.cache_dir = cache_dir
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.dropout = dropout

    def _build_model(self) -> nn.Module:
        return AttentionBiLSTM(self._take_semantics(), self.hidden_size, self.num_layers, self.dropout)

    def _encode_for_scoring(self, sequences: Sequences) -> list[list[int]]:
        """Unseen event ids whose template text is known get their own semantic row while scoring.

        That is LogRobust's point: a template that changed a little since training lands near the
        old one instead of on the generic unknown vector. ``decision_function`` puts the trained
        table back afterwards, so the extra rows never reach the saved state.
        """
        encoded = self.vocabulary_.encode_all(sequences)
        if not self.templates:
            return encoded
        new_index: dict[Hashable, int] = {}
        texts: list[str] = []
        for seq, indices in zip(sequences, encoded, strict=True):
            for position, key in enumerate(event_keys(seq)):
                if indices[position] != UNKNOWN:
                    continue
                if key not in new_index:
                    text = lookup_template(self.templates, key)
                    if text is None:
                        continue
                    new_index[key] = len(self.vocabulary_) + len(texts)
                    texts.append(text)
                indices[position] = new_index[key]
        if texts:
            table: torch.Tensor = self.model_.semantics  # type: ignore[assignment]
            extra = torch.from_numpy(embed_texts(texts, self._cache_path())).to(table.dtype)
            self.model_.semantics = torch.cat([table, extra])
        return encoded

    def decision_function(self, sequences: Sequences) -> FloatArray:
        self._check_fitted()
        trained: torch.Tensor = self.model_.semantics  # type: ignore[assignment]
        try:
            return super().decision_function(sequences)
        finally:
            self.model_.semantics = trained
