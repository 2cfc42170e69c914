"""Language-model detectors: learn a regular language, localise violations, survive bad input."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from anomalygen.detectors.lm.embedding import EventEmbedding
from anomalygen.detectors.lm.lm_detector import LMDetector, LongSequenceWarning
from anomalygen.detectors.registry import get_detector
from anomalygen.detectors.support.event_encoding import collate, encode
from anomalygen.detectors.support.event_features import NUMERIC_CHANNELS, EventFeatures
from anomalygen.records import Event

MODELS: dict[str, dict[str, Any]] = {
    "lm-lstm": {"hidden": 32},
    "lm-transformer": {"context": 32, "d_model": 32, "layers": 1, "feedforward": 64},
    "lm-longformer": {"context": 32, "attention_window": 8, "d_model": 32, "layers": 1, "feedforward": 64},
}
TRAIN = [list("abc" * k + "d") for k in range(2, 9)] * 3


@pytest.fixture(scope="module", autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="module", params=sorted(MODELS))
def fitted(request: pytest.FixtureRequest) -> LMDetector:
    model = get_detector(request.param, epochs=25, window=32, batch_size=8, learning_rate=1e-2,
                         seed=0, dropout=0.0, **MODELS[request.param])
    assert isinstance(model, LMDetector)
    return model.fit(TRAIN)


def test_learns_a_regular_language(fitted: LMDetector) -> None:
    assert fitted.losses_[-1] < fitted.losses_[0]
    normal, violating = fitted.decision_function([list("abcabcabcd"), list("abcacbabcd")])
    assert violating > normal + 0.5
    expected = np.exp(fitted.decision_function([list("abcd")]))
    np.testing.assert_allclose(fitted.perplexity([list("abcd")]), expected)


def test_max_aggregate(fitted: LMDetector) -> None:
    sequence = list("abcabXcd")
    fitted.aggregate = "max"
    try:
        assert fitted.decision_function([sequence])[0] == pytest.approx(max(fitted.surprisal(sequence)))
    finally:
        fitted.aggregate = "mean"


def test_surprisal_peaks_at_the_violation(fitted: LMDetector) -> None:
    sequence = list("abcabcabXabcd")
    surprisal = fitted.surprisal(sequence)
    assert len(surprisal) == len(sequence) + 1  # every event, then the end of the sequence
    assert int(np.argmax(surprisal)) == sequence.index("X")  # unknown id -> unknown index


def test_zero_length_and_unknown_only_sequences(fitted: LMDetector) -> None:
    scores = fitted.decision_function([[], list("zzz"), list("abcd")])
    assert np.all(np.isfinite(scores))
    assert scores[1] > scores[2]


def test_long_sequences_are_chunked_or_windowed_with_a_warning(fitted: LMDetector) -> None:
    long = list("abc" * 40 + "d")  # 122 positions, several windows / chunks
    with pytest.warns(LongSequenceWarning):
        surprisal = fitted.surprisal(long)
    assert len(surprisal) == len(long) + 1 and np.all(np.isfinite(surprisal))
    assert float(np.mean(surprisal[40:100])) < 1.0  # the periodic middle stays predictable


def test_save_load_round_trip(fitted: LMDetector, tmp_path: Path) -> None:
    sequences = [list("abcabcd"), list("abXd")]
    fitted.save(tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["config.json", "state_dict.pt"]
    loaded = LMDetector.load(tmp_path / "model")
    assert type(loaded) is type(fitted)
    assert loaded.threshold_ == fitted.threshold_
    np.testing.assert_allclose(loaded.decision_function(sequences), fitted.decision_function(sequences),
                               rtol=1e-5)


def test_recurrent_chunking_is_exact() -> None:
    model = get_detector("lm-lstm", hidden=16, epochs=1, window=8, seed=0).fit(TRAIN[:6])
    assert isinstance(model, LMDetector)
    long = list("abcabcabcabcabcd")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LongSequenceWarning)
        chunked = model.surprisal(long)
    model.window = 64
    whole = model.surprisal(long)
    np.testing.assert_allclose(chunked, whole, rtol=1e-4, atol=1e-5)


def test_feature_concatenation_sizes() -> None:
    embedding = EventEmbedding(n_names=10, n_processes=5, name_dim=12, process_dim=6, flag_dim=3,
                               numeric_dim=4)
    assert embedding.output_dim == 12 + 6 + 3 + 3 + 4 * len(NUMERIC_CHANNELS)
    model = get_detector("lm-lstm", hidden=8, epochs=1).fit([["a", "b"]])
    assert isinstance(model, LMDetector)
    batch = collate([(encode(["a", "b", "c"], model.vocabulary_), 0, 4)])
    out = embedding(batch)
    assert out.shape == (1, 4, embedding.output_dim)
    # names only: every argument channel but position is zero
    waves = out[0, 1, 12 + 6 + 6:].reshape(len(NUMERIC_CHANNELS), 4)
    assert torch.all(waves[1:] == 0) and torch.any(waves[0] != 0)


def _event_sessions() -> list[list[Event]]:
    sessions = []
    for k in range(12):
        t = 100.0 * k
        session = [Event("open", ("thread=main", "pid=42", "dir=entry"), t),
                   Event("read", ("4096",), t + 0.5),  # bare number -> value; no thread
                   Event("write", ("pool-1-thread-2", "ret=-1" if k % 3 else "ret=0"), t + 0.7),
                   Event("close")]  # arguments missing entirely
        sessions.append(session)
    return sessions


@pytest.mark.parametrize("name", sorted(MODELS))
def test_events_with_arguments_and_names_only(name: str) -> None:
    params = {**MODELS[name], "epochs": 3, "window": 16}
    with_args = get_detector(name, **params).fit(_event_sessions())
    names_only = get_detector(name, **params).fit([[e.statement for e in s] for s in _event_sessions()])
    assert isinstance(with_args, LMDetector) and isinstance(names_only, LMDetector)
    assert with_args.vocabulary_.processes == ["main", "pool-1-thread-2"]
    mixed: list[Any] = [_event_sessions()[0], ["open", "read"],
                        [EventFeatures("open", process="unseen", pid=1.0)]]
    for model in (with_args, names_only):
        assert np.all(np.isfinite(model.decision_function(mixed)))


def test_encoding_of_arguments() -> None:
    model = get_detector("lm-lstm", hidden=8, epochs=1).fit(_event_sessions()[:2])
    assert isinstance(model, LMDetector)
    enc = encode(_event_sessions()[1], model.vocabulary_)
    assert enc.processes.tolist() == [0, 2, 0, 3, 0]  # none, main, none, pool thread, none
    assert enc.directions.tolist() == [0, 1, 0, 0, 0]
    assert enc.statuses.tolist() == [0, 0, 0, 2, 0]  # ret=-1 is a failure
    pid, dt, value = (NUMERIC_CHANNELS.index(c) for c in ("pid", "dt", "value"))
    assert enc.present[:, pid].tolist() == [0, 1, 0, 0, 0]
    assert enc.present[:, dt].tolist() == [0, 0, 1, 1, 0]  # first event and close have no delta
    assert enc.numeric[2, value] == pytest.approx(np.log1p(4096))


def test_bad_parameters_and_input() -> None:
    with pytest.raises(ValueError):
        get_detector("lm-lstm", epochs=0)
    with pytest.raises(ValueError):
        get_detector("lm-transformer", context=1)
    with pytest.raises(ValueError):
        get_detector("lm-lstm", aggregate="median")
    with pytest.raises(ValueError):
        get_detector("lm-lstm").fit([])
    with pytest.raises(TypeError):
        get_detector("lm-lstm", epochs=1, hidden=8).fit([[["unhashable"]]])  # type: ignore[list-item]
