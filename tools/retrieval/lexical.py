"""BM25 (bm25s) over the camelCase-split words of each document."""

from __future__ import annotations

import bm25s

from anomalygen.tools.retrieval.words import tokens


class LexicalRanking:
    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self._bm25: bm25s.BM25 | None = None
        if ids:
            self._bm25 = bm25s.BM25()
            # a document with no word still needs one token for bm25s' vocabulary
            self._bm25.index([tokens(t) or ["_"] for t in texts], show_progress=False)

    def rank(self, query: str, k: int) -> list[str]:
        words = tokens(query)
        if self._bm25 is None or not words:
            return []
        vocab = self._bm25.vocab_dict
        words = [w for w in words if w in vocab]
        if not words:
            return []
        found, scores = self._bm25.retrieve([words], k=min(k, len(self.ids)), show_progress=False)
        return [self.ids[int(i)] for i, s in zip(found[0], scores[0], strict=True) if s > 0]
