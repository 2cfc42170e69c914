"""n-gram baseline: learns a regular language, backs off on unseen contexts, proper probabilities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from anomalygen.detectors.baselines.ngram import NGramDetector
from anomalygen.detectors.registry import get_detector
from anomalygen.records import Event

TRAIN = [list("abc" * k) for k in range(2, 8)] + [list("abcabd"), list("abcabcabd")]


@pytest.mark.parametrize("order", [2, 3, 4])
def test_violation_scores_higher(order: int) -> None:
    model = NGramDetector(order=order).fit(TRAIN)
    normal, broken = model.decision_function([list("abcabcabc"), list("abcacbabc")])
    assert broken > normal
    expected = np.exp(model.decision_function([list("abc")]))
    np.testing.assert_allclose(model.perplexity([list("abc")]), expected)


def test_surprisal_peaks_at_the_violation() -> None:
    model = NGramDetector(order=3).fit(TRAIN)
    sequence = list("abcabcaXcabc")
    surprisal = model.surprisal(sequence)
    assert len(surprisal) == len(sequence) + 1  # every event, then the end marker
    assert int(np.argmax(surprisal)) == sequence.index("X")


def test_probabilities_sum_to_one_with_backoff() -> None:
    model = NGramDetector(order=3).fit(TRAIN)
    events = ["a", "b", "c", "d", ("</s>",), "never-seen"]
    for context in [("a", "b"), ("c", "a"), ("d", "d"), ("zz", "b"), ()]:
        assert math.isclose(sum(model.probability(context, e) for e in events), 1.0, rel_tol=1e-9)
    # unseen context ("d", "d") backs off to the bigram of "d", which backs off to unigrams
    assert model.probability(("d", "d"), "a") == pytest.approx(model.probability(("d",), "a"))
    assert model.probability(("x", "y"), "a") == pytest.approx(model.probability((), "a"))


def test_events_unknown_ids_and_empty_sequences() -> None:
    model = get_detector("ngram", order=2).fit([[Event("A"), Event("B"), Event("C")]] * 5)
    scores = model.decision_function([[], ["A", "B", "C"], ["A", "Q", "C"]])
    assert np.all(np.isfinite(scores))
    assert scores[2] > scores[1]
    assert model.predict([["A", "Q", "C"]])[0] == 1


def test_max_aggregate_scores_the_most_surprising_event() -> None:
    model = NGramDetector(order=2, aggregate="max").fit(TRAIN)
    sequence = list("abcabcaXc")
    assert model.decision_function([sequence])[0] == pytest.approx(max(model.surprisal(sequence)))
    assert model.perplexity([sequence])[0] == pytest.approx(np.exp(np.mean(model.surprisal(sequence))))


def test_bad_parameters() -> None:
    with pytest.raises(ValueError):
        NGramDetector(aggregate="median")
    with pytest.raises(ValueError):
        NGramDetector(order=5)
    with pytest.raises(ValueError):
        NGramDetector(discount=1.5)
