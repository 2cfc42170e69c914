"""Many requests at once through a bounded thread pool, answers in request order.

vLLM batches concurrent requests on the GPU, so a handful in flight is much faster than one by
one; the bound keeps a small server (or a 2-core laptop running llama.cpp) from being swamped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from anomalygen.llm.base import Completion, LLMBackend, LLMError, Message


@dataclass(frozen=True, slots=True)
class CompletionRequest:
    messages: Sequence[Message]
    schema: Mapping[str, Any] | None = None


def _one(backend: LLMBackend, request: CompletionRequest) -> Completion | LLMError:
    try:
        return backend.complete(request.messages, request.schema)
    except LLMError as exc:
        return exc
    except Exception as exc:  # a client library bug must cost one answer, not the whole batch
        return LLMError(f"{type(exc).__name__}: {exc}", kind="error")


def map_completions(
    backend: LLMBackend, requests: Sequence[CompletionRequest], *, concurrency: int = 4
) -> list[Completion | LLMError]:
    """``backend.complete`` for every request, at most ``concurrency`` at a time.

    The result at index i answers request i; a request that failed yields its ``LLMError``
    instead of raising, so one bad answer never loses the others.
    """
    if concurrency < 1:
        raise ValueError("concurrency must be >= 1")
    if not requests:
        return []
    if concurrency == 1 or len(requests) == 1:
        return [_one(backend, r) for r in requests]
    with ThreadPoolExecutor(max_workers=min(concurrency, len(requests)),
                            thread_name_prefix="llm") as pool:
        return list(pool.map(lambda r: _one(backend, r), requests))
