"""Grammar-compression detector: the paper's worked example and the transform's invariants."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from anomalygen.detectors.grammar.compression import GrammarCompressionDetector
from anomalygen.detectors.grammar.transform import GrammarCore
from anomalygen.detectors.registry import get_detector

PAPER_TRAINING = [list("1234"), list("1235"), list("1234"), list("1237")]


def _canonical(detector: GrammarCompressionDetector) -> dict[str, list[str]]:
    """Rules renamed by expansion so the test does not depend on internal rule numbers."""
    core = detector.grammar_
    names = {code: key for key, code in detector.terminals_.items()}

    def text(symbol: int) -> str:
        return "".join(str(names[c]) for c in core.expansion(symbol))

    def show(symbol: int) -> str:
        return f"<{text(symbol)}>" if symbol < 0 else str(names[symbol])

    out = {"root": [f"<{text(-r)}>" for r in core.root]}
    for rule in core.live_rules():
        out[f"<{text(-rule)}>"] = [show(s) for s in core.body(rule)]
    return out


def test_paper_worked_example_grammar() -> None:
    detector = GrammarCompressionDetector().fit(PAPER_TRAINING)
    # p0 -> p1 p2 p4, pb -> 123, p1 -> pb 4, p2 -> pb 5, p4 -> pb 7
    assert _canonical(detector) == {
        "root": ["<1234>", "<1235>", "<1237>"],
        "<1234>": ["<123>", "4"],
        "<123>": ["1", "2", "3"],
        "<1235>": ["<123>", "5"],
        "<1237>": ["<123>", "7"],
    }
    assert detector.size_ == 12
    assert detector.dropped_ == 1  # the second 1234 reduces to p1 and is dropped


def test_paper_worked_example_scores() -> None:
    detector = GrammarCompressionDetector().fit(PAPER_TRAINING)
    assert detector.information(list("2238")) == (4, 4)
    assert detector.information(list("1239")) == (2, 4)
    np.testing.assert_allclose(detector.decision_function([list("2238"), list("1239")]), [1.0, 0.5])
    by_i = GrammarCompressionDetector(score="I").fit(PAPER_TRAINING)
    np.testing.assert_allclose(by_i.decision_function([list("2238"), list("1239")]), [4.0, 2.0])


def test_scoring_leaves_the_trained_grammar_unchanged() -> None:
    detector = GrammarCompressionDetector().fit(PAPER_TRAINING)
    trie = detector.grammar_.trie
    assert isinstance(trie, dict)
    before = (detector.render(), detector.size_, dict(trie))
    detector.decision_function([list("2238"), list("1239"), list("123123123"), list("xyzxyz")])
    assert (detector.render(), detector.size_, dict(trie)) == before


def _random_sequences(seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    motifs = [[rng.randrange(6) for _ in range(rng.randint(2, 5))] for _ in range(5)]
    out = []
    for _ in range(40):
        seq: list[int] = []
        for _ in range(rng.randint(1, 8)):
            seq.extend(rng.choice(motifs) if rng.random() < 0.7 else [rng.randrange(6)])
        out.append(seq)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_transform_invariants(seed: int) -> None:
    sequences = _random_sequences(seed)
    core = GrammarCore()
    expected: dict[int, list[int]] = {}
    for seq in sequences:
        kept = len(core.root)
        core.add_sequence(seq)
        if len(core.root) > kept:
            expected[core.root[-1]] = seq
    # every sequence rule still expands back to its training sequence after all later changes
    assert {r: core.expansion(-r) for r in core.root} == expected
    texts = [" " + " ".join(map(str, s)) + " " for s in sequences]
    bodies = {r: core.body(r) for r in core.live_rules()}
    refs: Counter[int] = Counter(-s for body in bodies.values() for s in body if s < 0)
    sequence_rules = set(core.root)
    for rule, body in bodies.items():
        assert len(body) >= (1 if rule in sequence_rules else 2)
        # no rule spans two sequences: each expansion lies inside one training sequence
        piece = " " + " ".join(map(str, core.expansion(-rule))) + " "
        assert any(piece in t for t in texts)
        if rule not in sequence_rules:
            assert refs[rule] >= 2, f"rule utility violated by p{rule}"
    # digram uniqueness: a pair occurs at most once, except overlapping runs like "a a a"
    seen: dict[tuple[int, int], tuple[int, int]] = {}
    for rule, body in bodies.items():
        for i in range(len(body) - 1):
            pair = (body[i], body[i + 1])
            if pair in seen:
                assert seen[pair] == (rule, i - 1) and body[i] == body[i + 1], f"repeated digram {pair}"
            seen[pair] = (rule, i)
    # dropped sequences are exactly the ones that repeat a whole existing rule
    assert len(core.root) <= len(sequences)


def test_repeated_training_sequence_scores_one_symbol() -> None:
    detector = GrammarCompressionDetector(score="I").fit(PAPER_TRAINING)
    assert detector.decision_function([list("1235")])[0] == 1.0


def test_unknown_events_and_empty_sequences() -> None:
    detector = get_detector("grammar").fit(PAPER_TRAINING)
    scores = detector.decision_function([[], list("9999"), list("1234")])
    assert scores[0] == 0.0
    assert scores[1] > scores[2]
    assert detector.predict([list("9876")])[0] == 1


def test_threshold_calibration_and_bad_parameters() -> None:
    detector = GrammarCompressionDetector().fit(PAPER_TRAINING)
    threshold = detector.calibrate([list("1239"), list("1234")])
    assert threshold == 0.5
    with pytest.raises(ValueError):
        GrammarCompressionDetector(score="X")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        GrammarCompressionDetector().fit([])


def test_whole_earlier_sequence_is_read_as_one_phrase_through_unbuilt_trie_paths() -> None:
    # "abcdef" is kept as a sequence rule whose trie path is not built yet; "zabq" makes the rule
    # <ab>, whose path runs through (and builds part of) that unbuilt path.
    detector = GrammarCompressionDetector(score="I").fit([list("abcdef"), list("zabq"), list("abcdef")])
    grammar = _canonical(detector)
    assert grammar["root"] == ["<abcdef>", "<zabq>"]
    assert grammar["<abcdef>"] == ["<ab>", "c", "d", "e", "f"]
    assert grammar["<ab>"] == ["a", "b"]
    assert detector.dropped_ == 1  # the repeated "abcdef" was read as one phrase, the whole rule
    # inside a longer sequence the whole earlier sequence is still one phrase: x <abcdef> y
    assert detector.information(list("xabcdefy")) == (3, 8)
    core, codes = detector.grammar_, [detector.terminals_[k] for k in "abcdefz"]
    rule, length = core.longest_match(codes, 0)
    assert length == 6 and core.expansion(-rule) == codes[:6]
