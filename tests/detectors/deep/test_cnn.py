"""CNN: short chunks still convolve; sessions longer than a chunk score as their worst chunk."""

from __future__ import annotations

import torch

from anomalygen.detectors.deep.cnn import CNNDetector, KeyCNN
from anomalygen.detectors.support.sequence_windows import session_chunks


def test_kernels_see_every_position_of_a_short_chunk() -> None:
    model = KeyCNN(vocab_size=8, embedding_dim=4, filters=3, kernel_sizes=(3, 5), dropout=0.0)
    assert model(torch.tensor([[3, 0]])).shape == (1, 2)  # shorter than the widest kernel


def test_a_long_session_scores_as_its_worst_chunk() -> None:
    torch.set_num_threads(1)
    good, bad = ["a", "b", "c", "d"], ["a", "x", "x", "d"]
    model = CNNDetector(max_length=5, embedding_dim=8, filters=8, epochs=5, lr=1e-2, n_threads=1)
    model.fit([good] * 40 + [bad] * 40, [0] * 40 + [1] * 40)
    assert model.predict([good, bad]).tolist() == [0, 1]

    long = good * 3 + bad + good * 2
    chunks, first = session_chunks([model.vocabulary_.encode(long)], 5)
    assert chunks.shape[0] == 5 and first.tolist() == [0]
    with torch.no_grad():
        logits = model.model_(chunks)
    worst = float((logits[:, 1] - logits[:, 0]).max())
    assert abs(model.decision_function([long])[0] - worst) < 1e-5
