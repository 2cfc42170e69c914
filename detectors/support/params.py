"""Detector parameters written as text: ``key=value`` items of a model spec or ensemble member.

One parser for both, so ``pca[n_components=0.99]`` on the command line and
``ensemble[members=ngram:order=4]`` read values the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def parse_value(text: str) -> Any:
    """ints, floats, true/false and null become Python values; anything else stays a string."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":  # not "none": several detectors take the string "none" as an option
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_items(items: Iterable[str], where: str) -> dict[str, Any]:
    """``["order=4", "seed=1"]`` -> ``{"order": 4, "seed": 1}``; ``where`` names the spec in errors."""
    params: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{where}: {item!r} is not key=value")
        params[key.strip()] = parse_value(text.strip())
    return params
