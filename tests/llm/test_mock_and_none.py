"""The offline backends: mock (deterministic, payload-driven) and none (no LLM)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from anomalygen.llm import LLMError, embed_payload, make_backend, system, user
from anomalygen.llm.mock import MockBackend, normalize_condition
from anomalygen.llm.structured import example_instance, parse_answer

VERDICT = {
    "type": "object",
    "properties": {"path_id": {"const": "p1"}, "reasoning": {"type": "string"},
                   "feasible": {"type": "boolean"},
                   "confidence": {"type": "number", "minimum": 0, "maximum": 1}},
    "required": ["path_id", "reasoning", "feasible", "confidence"],
    "additionalProperties": False,
}


def _verify_prompt(conditions: list[dict[str, Any]]) -> str:
    return embed_payload("Is path p1 feasible?", {"task": "verify_path", "path_id": "p1",
                                                  "conditions": conditions,
                                                  "statements": [{"id": "s1", "template": "Started {}"}]})


def test_mock_is_deterministic_and_records_prompts() -> None:
    prompt = _verify_prompt([{"expression": "x > 0", "holds": True}])
    first = MockBackend().complete([system("s"), user(prompt)], VERDICT)
    second = MockBackend().complete([system("s"), user(prompt)], VERDICT)
    assert first.text == second.text and first.parsed == second.parsed
    backend = MockBackend()
    backend.complete([user(prompt)], VERDICT)
    assert backend.prompts == [[user(prompt)]]
    assert backend.usage.calls == 1 and backend.usage.prompt_tokens > 0


def test_mock_verdict_is_infeasible_exactly_when_conditions_contradict() -> None:
    backend = MockBackend()
    consistent = backend.complete([user(_verify_prompt([
        {"expression": "data == null", "holds": False, "location": "A.java:3"},
        {"expression": "retries > 0", "holds": True}]))], VERDICT).parsed
    contradictory = backend.complete([user(_verify_prompt([
        {"expression": "data != null", "holds": True},
        {"expression": "( data == null )", "holds": True}]))], VERDICT).parsed
    assert consistent is not None and contradictory is not None
    assert consistent["feasible"] is True and contradictory["feasible"] is False
    # The chain of thought walks every condition, then concludes.
    assert "1. `data == null` must be false (A.java:3)" in consistent["reasoning"]
    assert "2. `retries > 0` must be true" in consistent["reasoning"]
    assert "Contradiction" in contradictory["reasoning"]


@pytest.mark.parametrize(("expr", "holds", "expected"), [
    ("!(a.isEmpty())", True, ("a.isEmpty()", False)),
    ("!!ready", False, ("ready", False)),
    ("x!=null", True, ("x == null", False)),
    ("false", True, ("true", False)),
    ("a && !b", True, ("a && !b", True)),
])
def test_condition_normalization(expr: str, holds: bool, expected: tuple[str, bool]) -> None:
    assert normalize_condition(expr, holds) == expected


@pytest.mark.parametrize("schema", [
    VERDICT,
    {"type": "object", "properties": {"values": {"type": "array", "items": {"type": "string", "maxLength": 5},
                                                 "minItems": 2, "maxItems": 4}}, "required": ["values"]},
    {"type": "object", "properties": {"n": {"type": "integer", "minimum": 5, "maximum": 9},
                                      "kind": {"enum": ["a", "b"]}, "opt": {"type": ["null", "number"]}}},
])
def test_mock_answers_any_schema_with_a_valid_instance(schema: dict[str, Any]) -> None:
    answer = MockBackend(seed=3).complete([user("free text, no payload")], schema)
    assert answer.parsed is not None
    assert parse_answer(answer.text, schema) == answer.parsed
    assert example_instance(schema, 1) == example_instance(schema, 1)


def test_mock_seed_changes_generated_answers_but_not_verdicts() -> None:
    schema = {"type": "object", "properties": {"token": {"type": "string"}}, "required": ["token"]}
    a = MockBackend(seed=1).complete([user("q")], schema).parsed
    b = MockBackend(seed=2).complete([user("q")], schema).parsed
    assert a != b
    prompt = _verify_prompt([])
    assert (MockBackend(seed=1).complete([user(prompt)], VERDICT).parsed
            == MockBackend(seed=2).complete([user(prompt)], VERDICT).parsed)


def test_none_backend_is_unavailable_and_raises() -> None:
    backend = make_backend("none")
    assert backend.available is False
    with pytest.raises(LLMError, match="no LLM configured"):
        backend.complete([user("q")])
    assert backend.usage.failures == 1


def test_an_invalid_schema_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="invalid JSON schema"):
        MockBackend().complete([user("q")], {"type": "no-such-type"})


def test_mock_without_schema_returns_text() -> None:
    answer = MockBackend().complete([user("hello")])
    assert answer.parsed is None and answer.text.startswith("mock answer")
    assert json.loads(MockBackend().complete([user(_verify_prompt([]))]).text)["path_id"] == "p1"


def test_loop_tests_and_separate_activations_do_not_contradict() -> None:
    backend = MockBackend()
    loop = backend.complete([user(_verify_prompt([
        {"expression": "i < n", "holds": True, "kind": "loop"},
        {"expression": "i < n", "holds": False, "kind": "loop"}]))], VERDICT).parsed
    scoped = backend.complete([user(_verify_prompt([
        {"expression": "x == null", "holds": True, "scope": "a#1"},
        {"expression": "x == null", "holds": False, "scope": "b#2"}]))], VERDICT).parsed
    same_scope = backend.complete([user(_verify_prompt([
        {"expression": "x == null", "holds": True, "scope": "a#1"},
        {"expression": "x == null", "holds": False, "scope": "a#1"}]))], VERDICT).parsed
    assert loop is not None and scoped is not None and same_scope is not None
    assert loop["feasible"] and scoped["feasible"] and not same_scope["feasible"]


def test_the_same_test_evaluated_again_is_not_a_contradiction() -> None:
    again = MockBackend().complete([user(_verify_prompt([
        {"expression": "si == DEATH", "holds": False, "location": "S.java:9"},
        {"expression": "si == DEATH", "holds": True, "location": "S.java:9"}]))], VERDICT).parsed
    elsewhere = MockBackend().complete([user(_verify_prompt([
        {"expression": "si == DEATH", "holds": False, "location": "S.java:9"},
        {"expression": "si == DEATH", "holds": True, "location": "S.java:30"}]))], VERDICT).parsed
    assert again is not None and elsewhere is not None
    assert again["feasible"] and not elsewhere["feasible"]
