"""Windows, chunks, ranks and the vocabulary shared by the deep detectors."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import torch

from anomalygen.detectors.support.sequence_windows import (
    next_key_windows,
    rank_and_probability,
    session_chunks,
    session_scores,
    unique_rows,
)
from anomalygen.detectors.support.torch_support import (
    END,
    FIRST_KEY,
    PAD,
    UNKNOWN,
    Vocabulary,
    VocabularyMismatchError,
    torch_threads,
)
from anomalygen.records import Event


def test_every_event_and_the_end_is_a_target_with_a_padded_history() -> None:
    data = next_key_windows([[5, 6, 7], [], [8]], window=2)
    assert data.targets.tolist() == [5, 6, 7, END, END, 8, END]
    assert data.windows.tolist() == [
        [PAD, PAD], [PAD, 5], [5, 6], [6, 7],   # first session
        [PAD, PAD],                               # the empty session still has its end
        [PAD, PAD], [PAD, 8],                     # a session shorter than the window
    ]
    assert data.first_window.tolist() == [0, 4, 5]


def test_windows_match_a_plain_python_slicing() -> None:
    rng = np.random.default_rng(0)
    sessions = [rng.integers(FIRST_KEY, 20, size=int(rng.integers(0, 30))).tolist() for _ in range(50)]
    data = next_key_windows(sessions, window=4)
    expected_windows, expected_targets = [], []
    for s in sessions:
        padded = [PAD] * 4 + s + [END]
        for t in range(4, len(padded)):
            expected_windows.append(padded[t - 4 : t])
            expected_targets.append(padded[t])
    assert data.windows.tolist() == expected_windows
    assert data.targets.tolist() == expected_targets


def test_chunks_cover_long_sessions_and_pad_short_ones() -> None:
    chunks, first = session_chunks([[3, 4, 5, 6, 7], [], [9]], length=3)
    assert chunks.tolist() == [[3, 4, 5], [6, 7, END], [END, PAD, PAD], [9, END, PAD]]
    assert first.tolist() == [0, 2, 3]


def test_rank_is_how_many_keys_beat_the_true_one() -> None:
    logits = torch.tensor([[0.0, 0.0, 1.0, 3.0, 2.0], [0.0, 0.0, 1.0, 3.0, 2.0]])
    result = rank_and_probability(logits, torch.tensor([3, 4]))
    assert result[:, 0].tolist() == [0.0, 1.0]
    assert result[0, 1].item() == pytest.approx(torch.softmax(logits[0], 0)[3].item())


def test_unknown_targets_improbable_targets_and_nan_rows_are_misses(caplog: pytest.LogCaptureFixture) -> None:
    logits = torch.tensor([[0.0, 5.0, 0.0, 1.0], [0.0, 0.0, 0.0, 9.0], [float("nan")] * 4])
    with caplog.at_level(logging.WARNING):
        result = rank_and_probability(logits, torch.tensor([UNKNOWN, 2, 3]), min_probability=0.01)
    assert result[:, 0].tolist() == [4.0, 4.0, 4.0]  # unknown; rank 1 but p < 0.01; NaN
    assert result[0, 1].item() == 0.0 and result[2, 1].item() == 0.0
    assert "non-finite" in caplog.text


def test_session_score_is_worst_rank_plus_a_tie_breaker_below_half() -> None:
    per_window = np.array([[0.0, 0.9], [3.0, 0.2], [1.0, 0.5], [0.0, 1.0]])
    scores = session_scores(per_window, np.array([0, 2, 3]))
    assert scores == pytest.approx([3 + 0.499 * 0.8, 1 + 0.499 * 0.5, 0.0])


def test_vocabulary_maps_unseen_ids_to_unknown_and_reads_events() -> None:
    vocab = Vocabulary.from_sequences([["a", "b"], [Event("c"), Event("a")]])
    assert vocab.keys == ["a", "b", "c"]
    assert vocab.encode(["b", "zzz", Event("c")]) == [FIRST_KEY + 1, UNKNOWN, FIRST_KEY + 2]
    assert len(vocab) == 3 + FIRST_KEY


def test_vocabulary_refuses_data_it_knows_nothing_about() -> None:
    vocab = Vocabulary(["5", "22"])
    assert vocab.encode_all([["5", "99"], []]) == [[FIRST_KEY, UNKNOWN], []]
    with pytest.raises(VocabularyMismatchError, match="none of the 3 events"):
        vocab.encode_all([[5, 22], [5]])  # integer keys against a string-keyed model


def test_vocabulary_only_saves_json_scalars() -> None:
    assert Vocabulary([1, "x"]).to_json() == [1, "x"]
    with pytest.raises(TypeError, match="not an int or str"):
        Vocabulary([("a", 1)]).to_json()


def test_thread_setting_is_restored() -> None:
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


@pytest.mark.parametrize("base", [10, 2**40])  # packed into one int64 / compared as bytes
def test_unique_rows_finds_every_distinct_row(base: int) -> None:
    rows = np.array([[3, 4, 5], [3, 4, 6], [3, 4, 5], [0, 0, 0], [3, 4, 6]], dtype=np.int64)
    keep, inverse = unique_rows(rows, base)
    assert len(keep) == 3
    np.testing.assert_array_equal(rows[keep.numpy()][inverse], rows)
