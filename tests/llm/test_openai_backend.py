"""The openai backend against a fake OpenAI-compatible server: request bodies, retries, cache, tokens."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any

import pytest

from anomalygen.llm import CompletionRequest, LLMError, make_backend, map_completions, user
from anomalygen.llm.openai_backend import OpenAIBackend

from .fake_server import chat_reply, fake_server

SCHEMA: dict[str, Any] = {
    "title": "verdict",
    "type": "object",
    "properties": {"feasible": {"type": "boolean"}, "reasoning": {"type": "string"}},
    "required": ["feasible", "reasoning"],
}
GOOD = '{"feasible": true, "reasoning": "conditions agree"}'


def _backend(url: str, **options: Any) -> OpenAIBackend:
    options.setdefault("model", "m")
    options.setdefault("sleep", lambda s: None)
    return OpenAIBackend(base_url=url, **options)


@pytest.mark.parametrize("dialect", ["json_schema", "structured_outputs", "json_object", "none"])
def test_each_dialect_sends_its_own_structured_output_field(dialect: str) -> None:
    with fake_server(lambda b: (200, chat_reply(GOOD), 0.0)) as server:
        answer = _backend(server.base_url, structured_output=dialect, max_tokens=77).complete(
            [user("is it feasible?")], SCHEMA)
    assert answer.parsed == {"feasible": True, "reasoning": "conditions agree"}
    body = server.bodies[0]
    assert "guided_json" not in json.dumps(body)
    assert body["max_tokens"] == 77 and "max_completion_tokens" not in body
    if dialect == "json_schema":
        assert body["response_format"] == {"type": "json_schema",
                                           "json_schema": {"name": "verdict", "schema": SCHEMA}}
    elif dialect == "structured_outputs":
        assert body["structured_outputs"] == {"json": SCHEMA} and "response_format" not in body
    elif dialect == "json_object":
        assert body["response_format"] == {"type": "json_object", "schema": SCHEMA}
    else:
        assert "response_format" not in body and "structured_outputs" not in body
        assert '"required": ["feasible", "reasoning"]' in body["messages"][-1]["content"]


def test_no_schema_sends_no_structured_output_and_returns_text() -> None:
    with fake_server(lambda b: (200, chat_reply("plain words"), 0.0)) as server:
        answer = _backend(server.base_url).complete([user("hi")])
    assert answer.text == "plain words" and answer.parsed is None
    assert "response_format" not in server.bodies[0]


def test_server_errors_are_retried_with_exponential_backoff() -> None:
    calls = {"n": 0}

    def flaky(body: dict[str, Any]) -> tuple[int, Any, float]:
        calls["n"] += 1
        if calls["n"] <= 2:
            return 500, {"error": {"message": "overloaded"}}, 0.0
        return 200, chat_reply(GOOD), 0.0

    sleeps: list[float] = []
    with fake_server(flaky) as server:
        backend = _backend(server.base_url, backoff=0.25, sleep=sleeps.append)
        answer = backend.complete([user("q")], SCHEMA)
    assert answer.attempts == 3 and answer.parsed is not None
    assert sleeps == [0.25, 0.5]
    assert backend.usage.retries == 2 and backend.usage.requests == 3 and backend.usage.failures == 0


def test_a_timeout_is_retried() -> None:
    calls = {"n": 0}

    def slow_then_fast(body: dict[str, Any]) -> tuple[int, Any, float]:
        calls["n"] += 1
        return (200, chat_reply(GOOD), 1.5 if calls["n"] == 1 else 0.0)

    with fake_server(slow_then_fast) as server:
        answer = _backend(server.base_url, timeout=0.3).complete([user("q")], SCHEMA)
    assert answer.attempts == 2


def test_invalid_json_is_retried_with_the_error_then_raises() -> None:
    with fake_server(lambda b: (200, chat_reply("I think it is feasible."), 0.0)) as server:
        backend = _backend(server.base_url, max_retries=2)
        with pytest.raises(LLMError) as info:
            backend.complete([user("q")], SCHEMA)
    assert info.value.kind == "invalid" and info.value.attempts == 3
    assert len(server.bodies) == 3
    # The retry tells the model what was wrong instead of resending the same prompt.
    assert "rejected" in server.bodies[1]["messages"][-1]["content"]
    assert backend.usage.failures == 1


def test_schema_violations_count_as_invalid() -> None:
    with (fake_server(lambda b: (200, chat_reply('{"feasible": "maybe"}'), 0.0)) as server,
          pytest.raises(LLMError, match="schema")):
        _backend(server.base_url, max_retries=0).complete([user("q")], SCHEMA)


def test_client_errors_are_not_retried() -> None:
    with (fake_server(lambda b: (400, {"error": {"message": "bad schema"}}, 0.0)) as server,
          pytest.raises(LLMError) as info):
        _backend(server.base_url).complete([user("q")], SCHEMA)
    assert info.value.kind == "http" and info.value.attempts == 1 and len(server.bodies) == 1


def test_unreachable_server_raises_a_transport_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = _backend(f"http://127.0.0.1:{port}/v1", max_retries=1, timeout=2)
    with pytest.raises(LLMError) as info:
        backend.complete([user("q")], SCHEMA)
    assert info.value.kind == "transport" and info.value.attempts == 2


def test_second_identical_call_is_a_cache_hit_without_http(tmp_path) -> None:
    with fake_server(lambda b: (200, chat_reply(GOOD, 40, 9), 0.0)) as server:
        backend = _backend(server.base_url, cache_dir=str(tmp_path))
        first = backend.complete([user("q")], SCHEMA)
        second = backend.complete([user("q")], SCHEMA)
        other = backend.complete([user("another question")], SCHEMA)
    assert not first.cached and second.cached and not other.cached
    assert second.parsed == first.parsed and second.attempts == 0
    assert len(server.bodies) == 2
    usage = backend.usage.to_dict()
    assert usage["calls"] == 3 and usage["cache_hits"] == 1 and usage["requests"] == 2
    assert usage["prompt_tokens"] == 80 and usage["completion_tokens"] == 18
    # A fresh backend (a rerun) reads the same cache from disk.
    with fake_server() as server2:
        rerun = _backend(server2.base_url, cache_dir=str(tmp_path)).complete([user("q")], SCHEMA)
    assert rerun.cached and server2.bodies == []


def test_model_defaults_to_the_first_served_model() -> None:
    with fake_server(lambda b: (200, chat_reply("x"), 0.0)) as server:
        backend = OpenAIBackend(base_url=server.base_url)
        backend.complete([user("q")])
    assert server.bodies[0]["model"] == "served-model" and "/v1/models" in server.paths


def test_map_completions_keeps_order_and_runs_concurrently() -> None:
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def echo(body: dict[str, Any]) -> tuple[int, Any, float]:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        import time
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return 200, chat_reply(body["messages"][-1]["content"].upper()), 0.0

    with fake_server(echo) as server:
        backend = _backend(server.base_url)
        requests = [CompletionRequest([user(f"q{i}")]) for i in range(8)]
        answers = map_completions(backend, requests, concurrency=4)
    assert [a.text for a in answers if not isinstance(a, LLMError)] == [f"Q{i}" for i in range(8)]
    assert 1 < state["peak"] <= 4


def test_make_backend_validates_names_and_options() -> None:
    with pytest.raises(ValueError, match="unknown LLM backend"):
        make_backend("gpt")
    with pytest.raises(ValueError, match="takes no option"):
        make_backend("openai", colour="blue")
    with pytest.raises(ValueError, match="dialect"):
        make_backend("openai", structured_output="guided_json")
    backend = make_backend("openai", base_url="http://127.0.0.1:9/v1", model="m", cache_dir=None)
    assert backend.describe()["structured_output"] == "json_schema"


def test_json_object_dialect_drops_length_bounds_llama_cpp_cannot_compile() -> None:
    bounded = {"type": "object", "properties": {"reasoning": {"type": "string", "maxLength": 4000},
                                                "tag": {"type": "string", "maxLength": 8}},
               "required": ["reasoning"]}
    with fake_server(lambda b: (200, chat_reply('{"reasoning": "' + "x" * 4001 + '"}'), 0.0)) as server:
        backend = _backend(server.base_url, structured_output="json_object", max_retries=0)
        with pytest.raises(LLMError, match="schema"):  # still enforced locally
            backend.complete([user("q")], bounded)
    sent = server.bodies[0]["response_format"]["schema"]["properties"]
    assert "maxLength" not in sent["reasoning"] and sent["tag"]["maxLength"] == 8


def test_chat_model_for_the_agent_talks_to_the_same_server() -> None:
    with fake_server(lambda b: (200, chat_reply("hello"), 0.0)) as server:
        backend = _backend(server.base_url, model="served", max_tokens=64, temperature=0.2)
        reply = backend.chat_model().invoke("hi")
    assert reply.content == "hello"
    body = server.bodies[0]
    assert body["model"] == "served" and body["max_tokens"] == 64 and body["temperature"] == 0.2
    assert "max_completion_tokens" not in body


def test_an_answer_cut_at_max_tokens_is_retried_with_a_brevity_hint() -> None:
    cut = chat_reply('{"feasible": true, "reasoning": "first, the loop')
    cut["choices"][0]["finish_reason"] = "length"
    replies = iter([(200, cut, 0.0), (200, chat_reply(GOOD), 0.0)])
    with fake_server(lambda b: next(replies)) as server:
        answer = _backend(server.base_url).complete([user("q")], SCHEMA)
    assert answer.attempts == 2 and answer.parsed is not None
    assert "cut off at the length limit" in server.bodies[1]["messages"][-1]["content"]
