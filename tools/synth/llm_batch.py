"""Batches of LLM requests that stop early when the server is down.

The first request goes alone; when it fails because the server cannot be reached (transport,
unavailable, timeout), the rest are not sent and each is answered with that error. An unreachable
server then costs one request's retries instead of hundreds, and every request still gets its
symbolic or rule-based fallback.
"""

from __future__ import annotations

from collections.abc import Sequence

from anomalygen.llm.base import Completion, LLMBackend, LLMError
from anomalygen.llm.concurrency import CompletionRequest, map_completions

SERVER_DOWN = frozenset({"transport", "unavailable", "timeout"})


def complete_all(backend: LLMBackend, requests: Sequence[CompletionRequest], *,
                 concurrency: int = 4) -> list[Completion | LLMError]:
    if not requests:
        return []
    first = map_completions(backend, requests[:1], concurrency=1)[0]
    if isinstance(first, LLMError) and first.kind in SERVER_DOWN:
        skipped = LLMError(f"not sent: the first request failed ({first})", kind=first.kind)
        answers: list[Completion | LLMError] = [first]
        return answers + [skipped] * (len(requests) - 1)
    return [first, *map_completions(backend, requests[1:], concurrency=concurrency)]
