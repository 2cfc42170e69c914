"""LogAnomaly (Meng et al., IJCAI 2019): next-key prediction from template semantics and counts.

Two LSTMs read the same window: the *sequential* pattern sees the semantic vector of each event's
template (MiniLM, :mod:`anomalygen.detectors.semantics`; frozen, stored with the weights), the
*quantitative* pattern sees how many times each event occurred so far in the window. Their last
states predict the next event; the top-g rule and scoring are DeepLog's.

The quantitative input at step t is ``count_vector(window[:t+1]) @ W``, computed as a running sum
of rows of ``W`` (an embedding with a zero padding row): the same function as a linear layer on
count vectors, without materialising (window x vocabulary) count tensors.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch
from anomalygen.detectors.base import Sequences
from anomalygen.detectors.registry import register
from anomalygen.detectors.semantics import EMBEDDING_DIM, semantic_vectors, special_vectors
from anomalygen.detectors.sequence_windows import NextKeyDetector
from anomalygen.detectors.torch_support import FIRST_KEY, PAD, Vocabulary
from torch import nn


def vocabulary_semantics(
    vocabulary: Vocabulary, templates: Mapping[Any, str] | None, cache_dir: Path | None
) -> torch.Tensor:
    """(len(vocabulary), 384) semantic rows indexed like the detector's vocabulary."""
    known = semantic_vectors(vocabulary.keys, templates, cache_dir)
    rows = np.concatenate([special_vectors(FIRST_KEY), known])
    return torch.from_numpy(rows)


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


@register("loganomaly")
class LogAnomaly(NextKeyDetector):
    """LogAnomaly's sequential + quantitative next-key model.

    Parameters
    ----------
    templates : mapping of event id -> template text, optional
        Template of each event (``DatasetSplit.vocabulary``); events without one get hashed
        vectors and a warning. Only used by ``fit``: the vectors are saved with the weights.
    cache_dir : path, optional
        Embedding cache folder (default ``.cache/embeddings``).
    hidden_size, num_layers, count_dim : network sizes.
    Others : see :class:`~anomalygen.detectors.sequence_windows.NextKeyDetector`.
    """

    def __init__(
        self,
        templates: Mapping[Any, str] | None = None,
        cache_dir: str | Path | None = None,
        window: int = 10,
        g: int | None = 9,
        min_probability: float = 1e-4,
        hidden_size: int = 64,
        num_layers: int = 2,
        count_dim: int = 32,
        epochs: int = 10,
        batch_size: int = 256,
        lr: float = 2e-3,
        seed: int = 0,
        device: str | None = None,
        n_threads: int | None = None,
        inference_batch_size: int = 8192,
        deduplicate: bool = True,
        contamination: float = 0.0,
    ) -> None:
        super().__init__(
            window=window, g=g, min_probability=min_probability, epochs=epochs, batch_size=batch_size,
            lr=lr, seed=seed, device=device, n_threads=n_threads,
            inference_batch_size=inference_batch_size, deduplicate=deduplicate,
            contamination=contamination,
        )
        self.templates = templates
        self.cache_dir = cache_dir
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.count_dim = count_dim

    semantic_dim_: int = EMBEDDING_DIM
    _semantics: torch.Tensor | None = None

    def _prepare(self, sequences: Sequences) -> None:
        cache = Path(self.cache_dir) if self.cache_dir is not None else None
        self._semantics = vocabulary_semantics(self.vocabulary_, self.templates, cache)
        self.semantic_dim_ = int(self._semantics.shape[1])

    def _build_model(self) -> nn.Module:
        semantics = self._semantics
        if semantics is None:  # rebuilt by load(): the saved buffer fills it
            semantics = torch.zeros(len(self.vocabulary_), self.semantic_dim_)
        self._semantics = None
        return SemanticCountLSTM(semantics, self.hidden_size, self.num_layers, self.count_dim)

    def _extras(self) -> dict[str, Any]:
        return {"semantic_dim": self.semantic_dim_}

    def _restore_extras(self, extras: dict[str, Any]) -> None:
        self.semantic_dim_ = int(extras.get("semantic_dim", EMBEDDING_DIM))
