"""``make_backend(name, **options)``: the one way to build a backend by name (``none|mock|openai``)."""

from __future__ import annotations

import inspect
from typing import Any

from anomalygen.llm.base import LLMBackend
from anomalygen.llm.mock import MockBackend
from anomalygen.llm.none_backend import NoBackend
from anomalygen.llm.openai_backend import OpenAIBackend

BACKENDS: dict[str, type[LLMBackend]] = {
    "none": NoBackend,
    "mock": MockBackend,
    "openai": OpenAIBackend,
}


def make_backend(name: str, **options: Any) -> LLMBackend:
    """Build a backend; options set to None are dropped (so CLI defaults pass straight through).

    Raises ``ValueError`` for an unknown backend or option (CLI commands turn it into a UsageError).
    """
    try:
        cls = BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown LLM backend {name!r}; choose one of {', '.join(BACKENDS)}") from None
    given = {k: v for k, v in options.items() if v is not None}
    accepted = set(inspect.signature(cls.__init__).parameters) - {"self"}
    unknown = sorted(set(given) - accepted)
    if unknown:
        raise ValueError(f"the {name} backend takes no option(s) {', '.join(unknown)}; "
                         f"it accepts: {', '.join(sorted(accepted)) or 'none'}")
    return cls(**given)
