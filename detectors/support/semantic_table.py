"""Frozen template-vector tables for the semantic deep detectors (LogAnomaly, LogRobust).

Both read each event as the MiniLM vector of its template (:mod:`anomalygen.detectors.support.semantics`)
through a table indexed like the detector's :class:`Vocabulary`. The table is computed once in
``fit`` and stored in the network's state dict, so a loaded model needs only its width
(``semantic_dim_``, saved in the config extras) to rebuild the network before the weights fill it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import torch

from anomalygen.detectors.base import Sequences
from anomalygen.detectors.support.semantics import EMBEDDING_DIM, semantic_vectors, special_vectors
from anomalygen.detectors.support.torch_support import FIRST_KEY, Vocabulary


def vocabulary_semantics(
    vocabulary: Vocabulary, templates: Mapping[Any, str] | None, cache_dir: Path | None
) -> torch.Tensor:
    """(len(vocabulary), 384) semantic rows indexed like the detector's vocabulary."""
    known = semantic_vectors(vocabulary.keys, templates, cache_dir)
    rows = np.concatenate([special_vectors(FIRST_KEY), known])
    return torch.from_numpy(rows)


class SemanticTable:
    """Mixin for a deep detector whose network takes the template-vector table.

    Put it before the detector family in the bases (``class X(SemanticTable, NextKeyDetector)``)
    so its ``_prepare`` and extras win. The detector's constructor sets ``templates`` and
    ``cache_dir``; its ``_build_model`` passes :meth:`_take_semantics` to the network.

    Parameters (set by the detector)
    --------------------------------
    templates : mapping of event id -> template text, optional
        Template of each event (``DatasetSplit.vocabulary``); events without one get hashed
        vectors and a warning.
    cache_dir : path, optional
        Embedding cache folder (default ``.cache/embeddings``).
    """

    templates: Mapping[Any, str] | None
    cache_dir: str | Path | None
    vocabulary_: Vocabulary
    semantic_dim_: int = EMBEDDING_DIM
    _semantics: torch.Tensor | None = None

    def _cache_path(self) -> Path | None:
        return Path(self.cache_dir) if self.cache_dir is not None else None

    def _prepare(self, sequences: Sequences) -> None:
        self._semantics = vocabulary_semantics(self.vocabulary_, self.templates, self._cache_path())
        self.semantic_dim_ = int(self._semantics.shape[1])

    def _take_semantics(self) -> torch.Tensor:
        """The table computed by ``_prepare`` (released here: the network keeps its own copy), or
        zeros of the saved width when ``load`` rebuilds the network (the saved buffer fills it)."""
        semantics = self._semantics
        if semantics is None:
            semantics = torch.zeros(len(self.vocabulary_), self.semantic_dim_)
        self._semantics = None
        return semantics

    def _extras(self) -> dict[str, Any]:
        return {"semantic_dim": self.semantic_dim_}

    def _restore_extras(self, extras: dict[str, Any]) -> None:
        self.semantic_dim_ = int(extras.get("semantic_dim", EMBEDDING_DIM))
