"""Event-count vectors: vocabulary, the unknown column, TF-IDF and zero-mean (loglizer semantics)."""

from __future__ import annotations

import numpy as np
import pytest

from anomalygen.detectors.base import NotFittedError
from anomalygen.detectors.support.count_features import UNKNOWN, EventCountVectorizer
from anomalygen.records import Event

TRAIN = [["a", "b", "b"], ["a", "c"], ["a", "b"]]


def test_counts_columns_follow_first_seen_order_with_unknown_last() -> None:
    vec = EventCountVectorizer().fit(TRAIN)
    assert vec.feature_names == ["a", "b", "c", UNKNOWN]
    np.testing.assert_array_equal(vec.transform([["b", "b", "a"]]), [[1, 2, 0, 0]])


def test_unseen_ids_land_in_the_unknown_column_instead_of_crashing() -> None:
    vec = EventCountVectorizer().fit(TRAIN)
    np.testing.assert_array_equal(vec.transform([["zzz", "a", 42, "zzz"]]), [[1, 0, 0, 3]])


def test_empty_sequences_are_zero_rows_and_empty_input_is_an_empty_matrix() -> None:
    vec = EventCountVectorizer().fit([*TRAIN, []])
    np.testing.assert_array_equal(vec.transform([[]]), [[0, 0, 0, 0]])
    assert vec.transform([]).shape == (0, 4)


def test_event_records_count_by_their_statement_id() -> None:
    vec = EventCountVectorizer().fit(TRAIN)
    row = vec.transform([[Event("a", ("1",)), Event("c"), Event("new")]])
    np.testing.assert_array_equal(row, [[1, 0, 1, 1]])


def test_tf_idf_uses_log_n_over_df_and_treats_unknown_as_the_rarest_event() -> None:
    vec = EventCountVectorizer(term_weighting="tf-idf").fit(TRAIN)
    # a in 3/3 sessions -> idf 0; b in 2/3; c in 1/3; unknown gets df = 1.
    np.testing.assert_allclose(vec.idf_, [0.0, np.log(3 / 2), np.log(3), np.log(3)])
    np.testing.assert_allclose(vec.transform([["b", "b", "q"]]), [[0, 2 * np.log(1.5), 0, np.log(3)]])


def test_zero_mean_centres_the_training_matrix() -> None:
    vec = EventCountVectorizer(normalization="zero-mean")
    features = vec.fit_transform(TRAIN)
    np.testing.assert_allclose(features.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(vec.mean_, [1.0, 1.0, 1 / 3, 0.0])


def test_bad_options_and_unfitted_use_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="term_weighting"):
        EventCountVectorizer(term_weighting="bm25")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="normalization"):
        EventCountVectorizer(normalization="sigmoid")  # type: ignore[arg-type]
    with pytest.raises(NotFittedError):
        EventCountVectorizer().transform(TRAIN)
    with pytest.raises(ValueError, match="no sequences"):
        EventCountVectorizer().fit([])
