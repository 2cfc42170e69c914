"""Any OpenAI-compatible chat server: vLLM, llama.cpp's server, Ollama, a hosted API.

Built on the ``openai`` client rather than LangChain's ``ChatOpenAI``: the pipeline needs exact
control of the request body (each server wants structured output spelled differently, and
``ChatOpenAI`` rewrites ``max_tokens`` to ``max_completion_tokens``, which llama.cpp ignores) and one
retry loop that covers transport errors *and* answers that fail schema validation. The agent,
which does want LangChain, gets an equivalent ``ChatOpenAI`` from ``chat_model()``.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, get_args

import openai

from anomalygen.llm.base import Completion, LLMBackend, LLMError, Message
from anomalygen.llm.cache import ResponseCache, cache_key
from anomalygen.llm.deadline import deadline_client
from anomalygen.llm.structured import InvalidAnswerError, check_request, parse_answer

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

Dialect = Literal["json_schema", "structured_outputs", "json_object", "none"]
DIALECTS: tuple[str, ...] = get_args(Dialect)
DEFAULT_BASE_URL = "http://127.0.0.1:8000/v1"
_ANSWER_PREVIEW = 2000


BREAKER_FAILURES = 3
"""Calls in a row that the server failed (transport, timeout, HTTP error) before it is asked no more."""

_GRAMMAR_BOUND_LIMIT = 64
_BOUND_KEYS = ("maxLength", "maxItems")


def grammar_safe(schema: Any) -> Any:
    """The schema without large length bounds, for llama.cpp's schema-to-grammar converter.

    It unrolls ``maxLength: n`` into n nested optional rules and fails (the request then hangs or
    is unconstrained) for a few hundred. Bounds are still enforced: answers are validated locally
    against the full schema.
    """
    if isinstance(schema, dict):
        return {k: grammar_safe(v) for k, v in schema.items()
                if not (k in _BOUND_KEYS and isinstance(v, int) and v > _GRAMMAR_BOUND_LIMIT)}
    if isinstance(schema, list):
        return [grammar_safe(v) for v in schema]
    return schema


class OpenAIBackend(LLMBackend):
    """Chat completions over HTTP with structured output, retries with backoff and a disk cache.

    ``structured_output`` picks the dialect: ``json_schema`` (vLLM, OpenAI: ``response_format``
    json_schema), ``structured_outputs`` (vLLM's ``extra_body={"structured_outputs": {"json": ...}}``),
    ``json_object`` (llama.cpp: ``{"type": "json_object", "schema": ...}``) or ``none`` (the schema
    goes into the prompt; JSON is parsed from the text). The removed ``guided_json`` field is never sent.
    """

    name = "openai"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        model: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        backoff_max: float = 8.0,
        temperature: float = 0.0,
        max_tokens: int = 512,
        structured_output: str = "json_schema",
        cache_dir: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__()
        if structured_output not in DIALECTS:
            raise ValueError(f"unknown structured_output dialect {structured_output!r}; one of {DIALECTS}")
        if not (math.isfinite(timeout) and math.isfinite(temperature)):
            raise ValueError("timeout and temperature must be finite numbers")
        if max_retries < 0 or timeout <= 0 or max_tokens <= 0:
            raise ValueError("max_retries must be >= 0, timeout and max_tokens > 0")
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key or "EMPTY"  # vLLM and llama.cpp accept any key unless started with one
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.dialect: Dialect = structured_output  # type: ignore[assignment]  # checked above
        self.cache = ResponseCache(cache_dir) if cache_dir else None
        self._sleep = sleep
        self._model = model
        self._model_lock = threading.Lock()
        self._failed_in_row = 0  # the circuit breaker: see BREAKER_FAILURES
        # The client's own retries are off: ours also cover answers that fail validation. Its
        # timeout would bound each wait between two bytes; the deadline client bounds each request.
        self._client = openai.OpenAI(
            base_url=self.base_url, api_key=self.api_key, timeout=timeout, max_retries=0,
            http_client=deadline_client(self.base_url, timeout),
        )

    @property
    def model(self) -> str:
        """The model id; when none was given, the first one the server lists at ``/v1/models``."""
        if self._model is None:
            with self._model_lock:
                if self._model is None:
                    self._model = self._first_served_model()
        return self._model

    def _first_served_model(self) -> str:
        try:
            models = list(self._client.models.list())
        except openai.APIError as exc:
            raise LLMError(f"cannot list models at {self.base_url}: {exc}", kind="transport") from exc
        if not models:
            raise LLMError(f"the server at {self.base_url} serves no model", kind="unavailable")
        return str(models[0].id)

    def request_body(
        self, messages: Sequence[Message], schema: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """Keyword arguments of ``chat.completions.create`` for this dialect (tests inspect them)."""
        chat = [m.to_dict() for m in messages]
        body: dict[str, Any] = {
            "model": self.model,
            "messages": chat,
            "temperature": self.temperature,
            # Sent as plain ``max_tokens``: llama.cpp ignores ``max_completion_tokens``.
            "max_tokens": self.max_tokens,
        }
        if schema is None:
            return body
        schema_dict = dict(schema)
        if self.dialect == "json_schema":
            name = str(schema_dict.get("title", "answer")).replace(" ", "_")[:64] or "answer"
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": name, "schema": schema_dict},
            }
        elif self.dialect == "structured_outputs":
            body["extra_body"] = {"structured_outputs": {"json": schema_dict}}
        elif self.dialect == "json_object":
            body["response_format"] = {"type": "json_object", "schema": grammar_safe(schema_dict)}
        else:
            note = "\n\nAnswer with one JSON object, nothing else, matching this JSON Schema:\n"
            last = chat[-1]
            chat[-1] = {"role": last["role"], "content": last["content"] + note + json.dumps(schema_dict)}
        return body

    def complete(
        self, messages: Sequence[Message], schema: Mapping[str, Any] | None = None
    ) -> Completion:
        check_request(messages, schema)
        self.usage.add(calls=1)
        if self._failed_in_row >= BREAKER_FAILURES:
            self.usage.add(failures=1)
            raise LLMError(f"not asked: the server at {self.base_url} failed {BREAKER_FAILURES} calls "
                           "in a row", kind="unavailable")
        try:
            model = self.model
            options = {"temperature": self.temperature, "max_tokens": self.max_tokens,
                       "dialect": self.dialect}
            key = cache_key(self.name, model, messages, schema, options)
            if self.cache is not None and (hit := self.cache.get(key)) is not None:
                self.usage.add(cache_hits=1)
                return hit
            completion = self._complete_with_retries(messages, schema)
        except LLMError as exc:
            self.usage.add(failures=1)
            if exc.kind in ("transport", "timeout", "http"):
                self._failed_in_row += 1
                if self._failed_in_row == BREAKER_FAILURES:  # said once; callers fall back from here on
                    from anomalygen.console import stderr

                    stderr.print(f"warning: the LLM server at {self.base_url} failed {BREAKER_FAILURES} "
                                 "calls in a row; asking it no more (falling back)", markup=False,
                                 highlight=False)
            raise
        self._failed_in_row = 0
        if self.cache is not None:
            self.cache.put(key, completion)
        return completion

    def _complete_with_retries(
        self, messages: Sequence[Message], schema: Mapping[str, Any] | None
    ) -> Completion:
        conversation = list(messages)
        last_error = "no attempt made"
        kind = "error"
        attempts = self.max_retries + 1
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                self.usage.add(retries=1)
                self._sleep(min(self.backoff_max, self.backoff * 2 ** (attempt - 2)))
            self.usage.add(requests=1)
            try:
                response = self._client.chat.completions.create(**self.request_body(conversation, schema))
            except openai.APITimeoutError as exc:
                last_error, kind = f"timed out after {self.timeout:g}s ({exc})", "timeout"
                continue
            except openai.APIConnectionError as exc:
                last_error, kind = f"cannot reach {self.base_url}: {exc}", "transport"
                continue
            except openai.APIStatusError as exc:
                last_error, kind = f"HTTP {exc.status_code} from {self.base_url}: {exc.message}", "http"
                if exc.status_code in (408, 409, 429) or exc.status_code >= 500:
                    continue
                break  # 4xx: the request itself is wrong; retrying cannot help
            except (ValueError, RecursionError) as exc:
                # a body that is not JSON or nested too deeply to parse: a failed answer like any other
                last_error = f"unreadable response body from {self.base_url}: {type(exc).__name__}"
                kind = "invalid"
                continue
            try:
                usage = getattr(response, "usage", None)
                prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
                completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
                choices = getattr(response, "choices", None) or []
                text = (choices[0].message.content or "") if choices else ""
                if not isinstance(text, str):
                    raise TypeError(f"content is {type(text).__name__}, not text")
            except (AttributeError, TypeError, ValueError, IndexError) as exc:
                # ``message: null``, a number for content: the server answered, but not a chat completion
                last_error, kind = f"malformed completion from {self.base_url}: {exc}", "invalid"
                continue
            self.usage.add(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
            parsed: dict[str, Any] | None = None
            if schema is not None:
                try:
                    parsed = parse_answer(text, schema)
                except RecursionError:
                    last_error, kind = "the answer is JSON nested too deeply to read", "invalid"
                    continue
                except InvalidAnswerError as exc:
                    cut = bool(choices) and getattr(choices[0], "finish_reason", None) == "length"
                    last_error = f"{exc}{' (cut off at max_tokens)' if cut else ''}"
                    kind = "invalid"
                    # Tell the model what was wrong: at temperature 0 a bare resend repeats the answer.
                    hint = ("It was cut off at the length limit: keep the reasoning to two sentences. "
                            if cut else "")
                    conversation = [
                        *messages,
                        Message("assistant", text[:_ANSWER_PREVIEW]),
                        Message("user", f"That answer was rejected: {exc}. {hint}Reply again with only "
                                        "the corrected JSON object."),
                    ]
                    continue
            return Completion(text=text, parsed=parsed, prompt_tokens=prompt_tokens,
                              completion_tokens=completion_tokens, attempts=attempt,
                              model=str(getattr(response, "model", "") or self.model))
        raise LLMError(f"{last_error} (after {attempt} attempt(s))", attempts=attempt, kind=kind)

    def chat_model(self) -> ChatOpenAI:
        """A LangChain ``ChatOpenAI`` talking to the same server with the same settings."""
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        return ChatOpenAI(
            model=self.model,
            base_url=self.base_url,
            api_key=SecretStr(self.api_key),
            timeout=self.timeout,
            http_client=deadline_client(self.base_url, self.timeout),
            max_retries=self.max_retries,
            temperature=self.temperature,
            extra_body={"max_tokens": self.max_tokens},
        )

    def describe(self) -> dict[str, Any]:
        # Never triggers the /v1/models look-up: describing a backend must not touch the network.
        return {"backend": self.name, "model": self._model or "(first model the server lists)",
                "base_url": self.base_url, "structured_output": self.dialect,
                "cache": str(self.cache.directory) if self.cache is not None else None,
                "usage": self.usage.to_dict()}
