"""The ``none`` backend: no LLM at all. Callers check ``available`` and use symbolic verdicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from anomalygen.llm.base import Completion, LLMBackend, LLMError, Message


class NoBackend(LLMBackend):
    name = "none"

    @property
    def available(self) -> bool:
        return False

    @property
    def model(self) -> str:
        return "none"

    def complete(
        self, messages: Sequence[Message], schema: Mapping[str, Any] | None = None
    ) -> Completion:
        self.usage.add(calls=1, failures=1)
        raise LLMError(
            "no LLM configured (--llm none): check backend.available and use the symbolic result; "
            "pass --llm openai --llm-base-url URL for a real model or --llm mock for offline tests",
            kind="unavailable",
        )
