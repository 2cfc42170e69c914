"""Code search over a repository: chromadb with a local embedding model (MiniLM), BM25, fused by rank.

``CodeIndex.open(repo, cache_dir).search(query, k, kind)`` -> ``Hit`` list; ``refresh()`` re-indexes
the files whose hash changed.
"""

from anomalygen.tools.retrieval.index import CodeIndex, Hit, RefreshStats

__all__ = ["CodeIndex", "Hit", "RefreshStats"]
