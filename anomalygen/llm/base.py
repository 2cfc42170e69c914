"""The one small interface every LLM backend implements, and the records it speaks in.

A backend turns a list of chat messages (and optionally a JSON Schema) into a ``Completion``.
Failures of any kind (unreachable server, timeout, invalid JSON after the retries) surface as one
typed ``LLMError`` so callers have a single thing to catch and turn into a fallback.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message."""

    role: Role
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


def system(content: str) -> Message:
    return Message("system", content)


def user(content: str) -> Message:
    return Message("user", content)


@dataclass(frozen=True, slots=True)
class Completion:
    """A backend's answer to one request."""

    text: str
    parsed: dict[str, Any] | None = None
    """The answer as JSON, present when a schema was given and the answer validated against it."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached: bool = False
    """True when the answer came from the on-disk response cache (nothing was paid for it)."""
    attempts: int = 1
    """Requests sent for this answer (retries included); 0 for a cache hit."""
    model: str = ""


class LLMError(Exception):
    """The backend could not produce a valid answer: callers fall back (e.g. to the symbolic verdict)."""

    def __init__(self, message: str, *, attempts: int = 0, kind: str = "error") -> None:
        super().__init__(message)
        self.attempts = attempts
        self.kind = kind
        """``unavailable``, ``transport``, ``timeout``, ``http``, ``invalid`` or ``error``."""


@dataclass(slots=True)
class Usage:
    """What a backend has spent so far; safe to update from the worker threads of ``map_completions``."""

    calls: int = 0
    """``complete`` invocations, cache hits included."""
    requests: int = 0
    """HTTP requests actually sent (retries included)."""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    retries: int = 0
    failures: int = 0
    """Calls that ended in ``LLMError``."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_dict(self) -> dict[str, int]:
        with self._lock:
            return {
                "calls": self.calls,
                "requests": self.requests,
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "total_tokens": self.total_tokens,
                "cache_hits": self.cache_hits,
                "retries": self.retries,
                "failures": self.failures,
            }


class LLMBackend(ABC):
    """``complete(messages, schema=None) -> Completion``; raises ``LLMError`` when it cannot answer."""

    name: str = "abstract"

    def __init__(self) -> None:
        self.usage = Usage()

    @property
    def available(self) -> bool:
        """False for the ``none`` backend: callers then use symbolic verdicts and data-driven values."""
        return True

    @property
    def model(self) -> str:
        return self.name

    @abstractmethod
    def complete(
        self, messages: Sequence[Message], schema: Mapping[str, Any] | None = None
    ) -> Completion:
        """Answer the conversation; with a schema, ``Completion.parsed`` is a validated instance."""

    def describe(self) -> dict[str, Any]:
        """Settings and usage, for reports and ``--json`` output."""
        return {"backend": self.name, "model": self.model, "usage": self.usage.to_dict()}
