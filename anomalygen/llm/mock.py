"""A deterministic, offline backend: answers from the structured payload embedded in the prompt.

It is the reproducible test mode of the pipeline (same prompt -> same answer, on any machine),
not a stand-in for judgement. For ``verify_path`` payloads it reasons the way a careful reader
would about the *text* of the conditions: a path that needs the same condition both true and
false at two different places (in the same method activation; loop tests and re-evaluations of one
test change between iterations) is infeasible, otherwise feasible; the chain of thought walks the
conditions in order.
Any other request with a schema gets a valid instance seeded by the request's hash.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping, Sequence
from typing import Any

from anomalygen.llm.base import Completion, LLMBackend, Message
from anomalygen.llm.payload import extract_payload
from anomalygen.llm.structured import (
    InvalidAnswerError,
    check_request,
    example_instance,
    parse_answer,
    seed_of,
)

_TOKEN = re.compile(r"\w+|[^\w\s]")
_ITERATED = frozenset({"loop", "while", "for", "do"})


def _count_tokens(text: str) -> int:
    """A rough, deterministic token count (words and punctuation) so usage reports are comparable."""
    return len(_TOKEN.findall(text))


class MockBackend(LLMBackend):
    """Deterministic answers; every prompt received is kept in ``prompts`` (oldest first)."""

    name = "mock"

    def __init__(self, *, seed: int = 0, model: str = "mock-cot") -> None:
        super().__init__()
        self.seed = seed
        self._model_name = model
        self.prompts: list[list[Message]] = []
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return self._model_name

    def complete(
        self, messages: Sequence[Message], schema: Mapping[str, Any] | None = None
    ) -> Completion:
        check_request(messages, schema)
        with self._lock:
            self.prompts.append(list(messages))
        last_user = next((m.content for m in reversed(messages) if m.role == "user"), messages[-1].content)
        payload = extract_payload(last_user)
        seed = seed_of([self.seed, payload if payload is not None else last_user, schema])
        answer: Any
        if payload is not None and payload.get("task") == "verify_path":
            answer = verify_answer(payload)
        elif schema is not None:
            answer = example_instance(schema, seed)
        else:
            answer = None
        parsed: dict[str, Any] | None = None
        if schema is not None:
            parsed = _fit(answer, schema, seed)
            text = json.dumps(parsed, sort_keys=True)
        elif isinstance(answer, dict):
            text = json.dumps(answer, sort_keys=True)
        else:
            text = f"mock answer {seed:016x}"
        prompt_tokens = sum(_count_tokens(m.content) for m in messages)
        completion_tokens = _count_tokens(text)
        self.usage.add(calls=1, requests=1, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
        return Completion(text=text, parsed=parsed, prompt_tokens=prompt_tokens,
                          completion_tokens=completion_tokens, model=self.model)


def _fit(answer: Any, schema: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """The answer if it validates; else the answer's fields over a schema-generated instance."""
    candidate = answer
    if isinstance(answer, dict):
        base = example_instance(schema, seed)
        if isinstance(base, dict):
            props = dict(schema.get("properties", {}))
            candidate = {**base, **{k: v for k, v in answer.items() if not props or k in props}}
    for value in (candidate, example_instance(schema, seed)):
        try:
            return parse_answer(json.dumps(value), schema)
        except InvalidAnswerError:
            continue
    raise ValueError("the mock backend cannot produce an instance of this schema "
                     "(its top level must be an object)")


# --- the verify_path task -------------------------------------------------------------------------

def _strip_parens(expr: str) -> str:
    while expr.startswith("(") and expr.endswith(")") and _balanced(expr[1:-1]):
        expr = expr[1:-1].strip()
    return expr


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return False
    return depth == 0


def normalize_condition(expression: str, holds: bool) -> tuple[str, bool]:
    """``(text, polarity)`` with whitespace, outer parentheses and leading negations folded in.

    ``!(x == null)`` required true and ``x != null`` required true normalize alike, so do
    ``a`` required false and ``!a`` required true.
    """
    expr = _strip_parens(" ".join(expression.split()))
    while expr.startswith("!") and not expr.startswith("!="):
        expr = _strip_parens(expr[1:].strip())
        holds = not holds
    if "&&" not in expr and "||" not in expr and expr.count("!=") == 1 and "==" not in expr:
        left, right = expr.split("!=")
        expr, holds = f"{left.strip()} == {right.strip()}", not holds
    elif "==" in expr and "&&" not in expr and "||" not in expr:
        left, _, right = expr.partition("==")
        expr = f"{left.strip()} == {right.strip()}"
    if expr in ("true", "false"):
        return "true", holds == (expr == "true")
    return expr, holds


def verify_answer(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The mock's chain of thought and verdict for one path (see the module docstring)."""
    path_id = str(payload.get("path_id", ""))
    conditions = [c for c in payload.get("conditions", []) if isinstance(c, Mapping)]
    statements = [s for s in payload.get("statements", []) if isinstance(s, Mapping)]
    steps: list[str] = []
    required: dict[str, tuple[bool, int, str]] = {}
    contradiction: str | None = None
    for number, cond in enumerate(conditions, start=1):
        text, polarity = normalize_condition(str(cond.get("expression", "")), bool(cond.get("holds", True)))
        where = f" ({cond['location']})" if cond.get("location") else ""
        must = "true" if cond.get("holds", True) else "false"
        steps.append(f"{number}. `{cond.get('expression', '')}` must be {must}{where}.")
        if text == "true" and not polarity:
            contradiction = contradiction or f"condition {number} requires a constant to be false"
        if str(cond.get("kind", "if")) in _ITERATED:
            continue  # a loop test is re-evaluated: true on one iteration, false on the last
        # The same text in two method activations (scopes) may name different variables.
        key = f"{cond.get('scope', '')}\x00{text}"
        location = str(cond.get("location", ""))
        seen = required.get(key)
        # The same test at the same place evaluated again is a new iteration (its variables may
        # have been reassigned), not a contradiction.
        repeated = bool(location) and seen is not None and seen[2] == location
        if seen is not None and seen[0] != polarity and not repeated and contradiction is None:
            contradiction = f"conditions {seen[1]} and {number} require `{text}` both true and false"
        required.setdefault(key, (polarity, number, location))
    if not conditions:
        steps.append("No branch conditions constrain this path.")
    order = " -> ".join(str(s.get("template", s.get("id", "?")))[:60] for s in statements) or "(no logs)"
    steps.append(f"Log order along the path: {order}; each statement follows the previous in program order.")
    if contradiction is not None:
        steps.append(f"Contradiction: {contradiction}, so the path cannot execute.")
        return {"path_id": path_id, "reasoning": " ".join(steps), "feasible": False, "confidence": 0.9}
    steps.append("The conditions are mutually consistent, so the path can execute and print this order.")
    confidence = 0.8 if not conditions else 0.7
    return {"path_id": path_id, "reasoning": " ".join(steps), "feasible": True, "confidence": confidence}
