"""JSON answers: pull a JSON object out of model text, validate it, and build valid instances.

Models wrap JSON in prose or code fences, so extraction is lenient; validation is strict (a
JSON Schema check) because the answer drives the pipeline.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError


class InvalidAnswerError(ValueError):
    """The model's text is not a JSON object that validates against the schema."""


def check_request(messages: Sequence[object], schema: Mapping[str, Any] | None) -> None:
    """What every backend's ``complete`` refuses before doing anything: no messages, a bad schema."""
    if not messages:
        raise ValueError("complete() needs at least one message")
    if schema is not None:
        check_schema(schema)


def check_schema(schema: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` when the schema itself is not a valid JSON Schema (a caller's bug)."""
    try:
        Draft202012Validator.check_schema(dict(schema))
    except SchemaError as exc:
        raise ValueError(f"invalid JSON schema: {exc.message}") from exc


def extract_json(text: str) -> dict[str, Any]:
    """The first JSON object in ``text`` (bare, fenced, or after some prose)."""
    stripped = text.strip()
    decoder = json.JSONDecoder()
    start = stripped.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(stripped, start)
        except json.JSONDecodeError:
            start = stripped.find("{", start + 1)
            continue
        if isinstance(value, dict):
            return value
        start = stripped.find("{", start + 1)
    raise InvalidAnswerError(f"no JSON object in the answer: {_preview(text)}")


def parse_answer(text: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """Extract and validate; ``InvalidAnswerError`` says what is wrong in one line."""
    value = extract_json(text)
    errors = sorted(Draft202012Validator(dict(schema)).iter_errors(value), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(root)"
        raise InvalidAnswerError(f"answer does not match the schema at {where}: {first.message}")
    return value


def _preview(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


def seed_of(data: Any) -> int:
    """A stable seed from any JSON-able value (not Python's salted ``hash``)."""
    blob = json.dumps(data, sort_keys=True, default=str).encode("utf-8")
    return int.from_bytes(hashlib.sha256(blob).digest()[:8], "big")


def example_instance(schema: Mapping[str, Any], seed: int) -> Any:
    """A deterministic value that validates against the (common subset of) JSON Schema given.

    Supports const, enum, type (object/array/string/integer/number/boolean/null), properties,
    required, items, minItems/maxItems, minimum/maximum, minLength/maxLength, anyOf/oneOf.
    """
    return _instance(dict(schema), random.Random(seed), depth=0)


def _instance(schema: dict[str, Any], rng: random.Random, depth: int) -> Any:
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return rng.choice(list(schema["enum"]))
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return _instance(dict(schema[key][0]), rng, depth + 1)
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        props: dict[str, Any] = schema.get("properties", {})
        # Below a few levels only the required fields, so recursive schemas terminate.
        names = list(props) if depth < 4 else list(schema.get("required", []))
        return {name: _instance(dict(props.get(name, {})), rng, depth + 1) for name in names}
    if kind == "array":
        low = int(schema.get("minItems", 1))
        high = max(low, min(int(schema.get("maxItems", low + 2)), low + 2))
        items = dict(schema.get("items", {"type": "string"}))
        return [_instance(items, rng, depth + 1) for _ in range(rng.randint(low, high))]
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "integer":
        low_i = int(schema.get("minimum", 0))
        high_i = int(schema.get("maximum", low_i + 100))
        return rng.randint(low_i, high_i)
    if kind == "number":
        low_f = float(schema.get("minimum", 0.0))
        high_f = float(schema.get("maximum", low_f + 1.0))
        return round(rng.uniform(low_f, high_f), 3)
    if kind == "null":
        return None
    text = f"mock-{rng.getrandbits(32):08x}"
    min_len = int(schema.get("minLength", 0))
    if len(text) < min_len:
        text = text + "x" * (min_len - len(text))
    if "maxLength" in schema:
        text = text[: int(schema["maxLength"])]
    return text
