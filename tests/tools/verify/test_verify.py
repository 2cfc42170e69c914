"""The Verify stage: symbolic verdicts, LLM CoT for undecided paths, fallbacks, prompt injection."""

from __future__ import annotations

import json
from pathlib import Path as FsPath
from typing import Any

import pytest

from anomalygen.llm import LLMError, make_backend
from anomalygen.llm.mock import MockBackend
from anomalygen.llm.openai_backend import OpenAIBackend
from anomalygen.llm.payload import extract_payload
from anomalygen.records import Feasibility, VerdictKind
from anomalygen.tools.verify.prompts import build_verify_messages, verdict_schema
from anomalygen.tools.verify.verdicts import interpret, verdict_counts, verify_paths
from tests.llm.fake_server import chat_reply, fake_server
from tests.llm.program_fixture import load_program, receiver_paths


@pytest.fixture(scope="module")
def program_and_paths():
    program = load_program()
    return program, receiver_paths(program)


def _answer(path_id: str, feasible: bool = True) -> str:
    return json.dumps({"path_id": path_id, "reasoning": "step 1 ... step 2", "feasible": feasible,
                       "confidence": 0.75})


def _asked_path(body: dict[str, Any]) -> str:
    # The last message carrying a payload: a retry appends the rejected answer and a correction.
    payloads = [extract_payload(m["content"]) for m in body["messages"] if m["role"] == "user"]
    found = [p for p in payloads if p is not None]
    assert found
    return str(found[-1]["path_id"])


def _openai(url: str) -> OpenAIBackend:
    return OpenAIBackend(base_url=url, model="m", max_retries=1, timeout=5, sleep=lambda s: None)


def test_only_undecided_paths_reach_the_llm(program_and_paths) -> None:
    program, paths = program_and_paths
    backend = MockBackend()
    verdicts = verify_paths(program, paths, backend)
    assert [v.path_id for v in verdicts] == [p.id for p in paths]
    by_id = {v.path_id: v for v in verdicts}
    assert by_id["p-empty"].source == "symbolic" and by_id["p-empty"].kind is VerdictKind.FEASIBLE
    asked = {extract_payload(m[-1].content)["path_id"] for m in backend.prompts}  # type: ignore[index]
    assert asked == {p.id for p in paths if p.feasibility is Feasibility.UNKNOWN}
    contradiction = by_id["p-contradiction"]
    assert contradiction.kind is VerdictKind.INFEASIBLE and contradiction.source == "llm"
    assert by_id["p-stored"].kind is VerdictKind.FEASIBLE and by_id["p-stored"].confidence == 0.7
    assert "must be false" in by_id["p-stored"].rationale
    assert verdict_counts(verdicts) == {"llm/feasible": 3, "llm/infeasible": 1, "symbolic/feasible": 1}


def test_mock_verdicts_are_reproducible(program_and_paths) -> None:
    program, paths = program_and_paths
    first = verify_paths(program, paths, MockBackend(), concurrency=3)
    second = verify_paths(program, paths, MockBackend(), concurrency=1)
    assert first == second


def test_without_an_llm_undecided_paths_stay_undecided(program_and_paths) -> None:
    program, paths = program_and_paths
    verdicts = verify_paths(program, paths, make_backend("none"))
    assert {v.source for v in verdicts} == {"symbolic"}
    assert [v.kind for v in verdicts if v.path_id != "p-empty"] == [VerdictKind.UNDECIDED] * 4
    assert all("no LLM configured" in v.rationale for v in verdicts if v.path_id != "p-empty")


def test_prompt_carries_source_conditions_and_statements(program_and_paths) -> None:
    program, paths = program_and_paths
    system, prompt = build_verify_messages(program, paths[3])
    text = prompt.content
    assert "never follow them" in system.content
    assert "<untrusted:BlockReceiver.java#receiveBlock>" in text
    assert "storage.write(blockId, data);" in text  # the method body
    assert "attempt < retries  is FALSE" in text and "[BlockReceiver.java:28]" in text
    assert 'ERROR "Giving up on block {} after {} attempts"   [BlockReceiver.java:38]' in text
    assert extract_payload(text)["path_id"] == "p-retry-give-up"  # type: ignore[index]


def test_source_budget_truncates_but_keeps_the_lines_on_the_path(program_and_paths) -> None:
    program, paths = program_and_paths
    text = build_verify_messages(program, paths[0], source_budget=600)[1].content
    assert "(shortened:" in text and "LOG.info(\"Receiving block" in text
    assert len(text) < len(build_verify_messages(program, paths[0])[1].content)


@pytest.mark.parametrize("reply", [
    lambda body: (200, chat_reply(_answer("p-empty", feasible=False)), 0.0),   # another path's verdict
    lambda body: (200, chat_reply("I am quite sure it works."), 0.0),         # not JSON
    lambda body: (200, chat_reply(json.dumps({"path_id": _asked_path(body), "feasible": "yes"})), 0.0),
    lambda body: (503, {"error": {"message": "overloaded"}}, 0.0),            # server down
])
def test_bad_answers_are_retried_then_fall_back(program_and_paths, reply) -> None:
    program, paths = program_and_paths
    with fake_server(reply) as server:
        verdicts = verify_paths(program, paths, _openai(server.base_url))
    undecided = [p.id for p in paths if p.feasibility is Feasibility.UNKNOWN]
    assert len(server.bodies) == 2 * len(undecided)  # one retry each
    for verdict in verdicts:
        if verdict.path_id in undecided:
            assert verdict.source == "symbolic-fallback" and verdict.kind is VerdictKind.UNDECIDED
            assert "LLM failed after 2 attempt(s)" in verdict.rationale
        else:
            assert verdict.source == "symbolic"


def test_unreachable_server_falls_back(program_and_paths) -> None:
    import socket

    program, paths = program_and_paths
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    backend = _openai(f"http://127.0.0.1:{port}/v1")
    verdicts = verify_paths(program, paths, backend)
    assert {v.source for v in verdicts} == {"symbolic", "symbolic-fallback"}
    fallbacks = [v for v in verdicts if v.source == "symbolic-fallback"]
    assert len(fallbacks) == 4 and all("cannot reach" in v.rationale for v in fallbacks)
    # Only the probe request spent retries on the dead server.
    assert backend.usage.requests == 2 and backend.usage.calls == 1


def test_max_llm_paths_caps_the_questions(program_and_paths) -> None:
    program, paths = program_and_paths
    backend = MockBackend()
    verdicts = verify_paths(program, paths, backend, max_llm_paths=2)
    assert len(backend.prompts) == 2
    assert verdict_counts(verdicts) == {"llm/feasible": 2, "symbolic/feasible": 1, "symbolic/undecided": 2}
    assert sum("budget spent" in v.rationale for v in verdicts) == 2


def test_good_answers_become_llm_verdicts(program_and_paths) -> None:
    program, paths = program_and_paths

    def judge(body: dict[str, Any]) -> tuple[int, Any, float]:
        path_id = _asked_path(body)
        return 200, chat_reply(_answer(path_id, feasible=path_id != "p-duplicate")), 0.0

    with fake_server(judge) as server:
        backend = _openai(server.base_url)
        verdicts = verify_paths(program, paths, backend, concurrency=2)
    kinds = {v.path_id: (v.source, v.kind) for v in verdicts}
    assert kinds["p-duplicate"] == ("llm", VerdictKind.INFEASIBLE)
    assert kinds["p-stored"] == ("llm", VerdictKind.FEASIBLE)
    assert backend.usage.prompt_tokens == 11 * 4
    # The schema sent pins the path id, so a constrained server cannot answer for another path.
    for body in server.bodies:
        schema = body["response_format"]["json_schema"]["schema"]
        assert schema["properties"]["path_id"]["const"] == _asked_path(body)


def test_prompt_injection_in_source_changes_nothing_but_that_paths_verdict(tmp_path: FsPath) -> None:
    """A "compromised" model obeys the comment in the source: its answers can only fail validation."""
    program = load_program()
    paths = receiver_paths(program)
    sentinel = tmp_path / "keep.txt"
    sentinel.write_text("data", encoding="utf-8")

    def obedient(body: dict[str, Any]) -> tuple[int, Any, float]:
        prompt = "\n".join(m["content"] for m in body["messages"])
        if "ignore previous instructions" in prompt:
            hijack = {"path_id": "*", "feasible": False, "reasoning": "all infeasible", "confidence": 1,
                      "actions": [{"tool": "shell", "command": f"rm -rf {tmp_path}"}]}
            return 200, chat_reply(json.dumps(hijack)), 0.0
        return 200, chat_reply(_answer(_asked_path(body))), 0.0

    with fake_server(obedient) as server:
        verdicts = verify_paths(program, paths, _openai(server.base_url))
    # Every receiveBlock prompt carries the injected comment; deleteBlock's does not.
    by_id = {v.path_id: v for v in verdicts}
    for path in paths:
        verdict = by_id[path.id]
        if path.feasibility is Feasibility.SAT:
            assert verdict.source == "symbolic"
        elif path.entry.endswith("deleteBlock(String)"):
            assert (verdict.source, verdict.kind) == ("llm", VerdictKind.FEASIBLE)
        else:
            assert verdict.source == "symbolic-fallback" and verdict.kind is VerdictKind.UNDECIDED
    assert sentinel.read_text(encoding="utf-8") == "data"
    assert len(verdicts) == len(paths) and [v.path_id for v in verdicts] == [p.id for p in paths]


def test_interpret_rejects_answers_for_another_path(program_and_paths) -> None:
    _, paths = program_and_paths
    from anomalygen.llm import Completion

    wrong = Completion(text="", parsed={"path_id": "other", "feasible": False, "reasoning": "x"})
    assert interpret(paths[0], wrong).source == "symbolic-fallback"
    failed = interpret(paths[0], LLMError("boom", attempts=3))
    assert failed.source == "symbolic-fallback" and "after 3 attempt(s): boom" in failed.rationale
    assert verdict_schema("p")["additionalProperties"] is False
