"""LLM backends behind one small interface: openai (any OpenAI-compatible server), mock, none.

    backend = make_backend("openai", base_url="http://127.0.0.1:8000/v1", structured_output="json_schema")
    answer = backend.complete([system("..."), user("...")], schema={...})   # -> Completion
    answers = map_completions(backend, [CompletionRequest(msgs, schema), ...], concurrency=8)

Every failure is an ``LLMError``; ``backend.available`` is False for ``none``; ``backend.usage``
accumulates calls, tokens, cache hits, retries and failures. See docs/llm.md.
"""

from anomalygen.llm.base import Completion, LLMBackend, LLMError, Message, Usage, system, user
from anomalygen.llm.concurrency import CompletionRequest, map_completions
from anomalygen.llm.factory import BACKENDS, make_backend
from anomalygen.llm.payload import embed_payload, extract_payload, quote_untrusted

__all__ = [
    "BACKENDS",
    "Completion",
    "CompletionRequest",
    "LLMBackend",
    "LLMError",
    "Message",
    "Usage",
    "embed_payload",
    "extract_payload",
    "make_backend",
    "map_completions",
    "quote_untrusted",
    "system",
    "user",
]
