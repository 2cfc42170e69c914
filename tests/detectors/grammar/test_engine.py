"""The compiled grammar transform (setup.py, Cython) must be the pure-Python one, only faster."""

from __future__ import annotations

import importlib
import logging
import random
from pathlib import Path

import pytest

from anomalygen.detectors.grammar import engine as grammar_engine
from anomalygen.detectors.grammar import transform as grammar_transform
from anomalygen.detectors.grammar.engine import GrammarEngineError, compiled_module, select

COMPILED, WHY_NOT = compiled_module()
needs_compiled = pytest.mark.skipif(COMPILED is None, reason=f"compiled transform {WHY_NOT}")
ADFA = Path(__file__).resolve().parents[4] / "shared" / "datasets" / "adfa-ld" / "ADFA-LD.zip"


def _build(module: object, sequences: list[list[int]]) -> grammar_transform.GrammarCore:
    core: grammar_transform.GrammarCore = module.GrammarCore()  # type: ignore[attr-defined]
    for seq in sequences:
        core.add_sequence(seq)
    return core


def _state(core: grammar_transform.GrammarCore) -> tuple[object, ...]:
    rules = core.live_rules()
    return (core.size, list(core.root), [(r, core.body(r)) for r in rules],
            sorted(core.trie_end.items()),  # type: ignore[attr-defined]
            sorted(core.digrams.items()))  # type: ignore[attr-defined]


def _random_sequences(seed: int) -> tuple[list[list[int]], list[list[int]]]:
    rng = random.Random(seed)
    motifs = [[rng.randrange(6) for _ in range(rng.randint(2, 6))] for _ in range(5)]

    def sequence() -> list[int]:
        out: list[int] = []
        while len(out) < rng.randint(1, 60):
            out += rng.choice(motifs) if rng.random() < 0.7 else [rng.randrange(8)]
        return out

    return [sequence() for _ in range(40)], [sequence() for _ in range(40)]


@needs_compiled
@pytest.mark.parametrize("seed", range(12))
def test_compiled_and_python_transforms_agree(seed: int) -> None:
    train, score = _random_sequences(seed)
    pure, fast = _build(grammar_transform, train), _build(COMPILED, train)
    assert _state(fast) == _state(pure)
    for seq in score:
        assert fast.view().add_sequence(seq, keep=False) == pure.view().add_sequence(seq, keep=False)
    assert _state(fast) == _state(pure)  # scoring changed neither


@needs_compiled
@pytest.mark.skipif(not ADFA.is_file(), reason="ADFA-LD archive not in ../shared/datasets")
def test_compiled_and_python_transforms_agree_on_real_system_call_traces() -> None:
    from anomalygen.detectors.datasets.adfa_ld import ATTACK, TRAINING, read_traces

    traces = read_traces(ADFA)
    table: dict[object, int] = {}
    train = [grammar_transform.intern_codes(t, table) for t in traces[TRAINING][:300]]
    attacks = [grammar_transform.intern_codes(t, table) for t in traces[ATTACK][:100]]
    pure, fast = _build(grammar_transform, train), _build(COMPILED, train)
    assert _state(fast) == _state(pure)
    assert [fast.view().add_sequence(s, keep=False) for s in attacks] == \
        [pure.view().add_sequence(s, keep=False) for s in attacks]


def test_engine_choice_by_name() -> None:
    module, engine = select("python")
    assert (module, engine) == (grammar_transform, "python")
    with pytest.raises(GrammarEngineError, match="auto, python or compiled"):
        select("fastest")


def test_stale_compiled_build_is_never_used(monkeypatch: pytest.MonkeyPatch,
                                            caplog: pytest.LogCaptureFixture) -> None:
    # a build stamped with another source digest, as after editing the .py without reinstalling
    monkeypatch.setattr(grammar_engine, "source_digest", lambda: "0" * 64)
    if COMPILED is None:
        monkeypatch.setattr(importlib, "import_module",
                            lambda name: type("Stale", (), {"SOURCE_SHA256": "1" * 64}))
    with caplog.at_level(logging.WARNING):
        module, engine = select("auto")
    assert (module, engine) == (grammar_transform, "python")
    assert "older grammar_transform.py" in caplog.text
    with pytest.raises(GrammarEngineError, match="older"):
        select("compiled")
