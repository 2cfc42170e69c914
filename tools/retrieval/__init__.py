"""Code search over a repository: chromadb with a local embedding model, and BM25."""
