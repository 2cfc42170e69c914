"""Turn mechanics: tool errors, approvals, cancellation, persistence, tokens, a changing repository."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from anomalygen.agent.backends import chat_model
from anomalygen.agent.session import AgentSession
from anomalygen.agent.store import ConversationStore
from anomalygen.agent.workspace import Workspace

from ..tools.explain.minirepo import NORMAL, write_log, write_repo
from .helpers import scripted_session


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    repo = write_repo(tmp_path / "repo")
    log = write_log(tmp_path / "app.log", NORMAL)
    return Workspace(repo, tmp_path / "out", [log], llm={"name": "mock", "options": {}})


def test_an_unknown_tool_goes_back_to_the_model_once(ws: Workspace) -> None:
    session = scripted_session(
        ws, [[{"tool": "run_shell", "args": {"cmd": "ls"}}, {"answer": "sorry: {result}"}]]
    )
    turn = session.ask("list files")
    assert turn.status == "answered" and "there is no tool 'run_shell'" in turn.answer


def test_bad_arguments_twice_end_the_turn_with_the_error(ws: Workspace) -> None:
    script = [
        [
            {"tool": "paths", "args": {"limit": "many"}},
            {"tool": "paths", "args": {"limit": -3}},
            {"answer": "unreachable"},
        ]
    ]
    turn = scripted_session(ws, script).ask("paths")
    assert turn.status == "gave-up" and "bad arguments for paths: limit" in turn.error


def test_file_writing_tools_wait_for_approval(ws: Workspace) -> None:
    asked: list[dict[str, Any]] = []

    def decline(request: dict[str, Any]) -> bool:
        asked.append(request)
        return False

    script = [[{"tool": "run_augmentation", "args": {"sessions": 5}}, {"answer": "{result}"}]]
    turn = scripted_session(ws, script, approve=decline).ask("generate sessions")
    assert [r["tool"] for r in asked] == ["run_augmentation"] and "writes" in asked[0]["why"]
    assert turn.status == "answered" and "declined" in turn.answer
    assert not (ws.out / "runs").exists()


def test_cancelling_a_step_keeps_the_conversation(ws: Workspace) -> None:
    def cancel_on_call(kind: str, fields: dict[str, Any]) -> None:
        if kind == "tool-call":
            ws.cancel.set()

    ws.on_event = cancel_on_call
    session = scripted_session(
        ws, [[{"tool": "coverage", "args": {}}, {"answer": "{result}"}], [{"answer": "still here"}]]
    )
    turn = session.ask("coverage please")
    assert turn.status == "cancelled" and turn.answer == ""
    cancelled = [m for m in session.messages() if isinstance(m, ToolMessage)]
    assert cancelled and cancelled[-1].status == "error"
    ws.on_event = None
    assert session.ask("are you there?").answer == "still here"


def test_cancelling_while_the_answer_streams(ws: Workspace) -> None:
    pieces: list[str] = []

    def token(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 2:
            ws.cancel.set()

    session = scripted_session(ws, [[{"answer": "one two three four five six"}]], on_token=token)
    turn = session.ask("count")
    assert turn.status == "cancelled" and 2 <= len(pieces) < 6


def test_conversations_persist_resume_and_count_tokens(ws: Workspace) -> None:
    script = [[{"answer": "first answer"}], [{"answer": "second answer"}]]
    first = scripted_session(ws, script)
    one = first.ask("hello")
    assert one.usage["total_tokens"] > 0 and one.usage["calls"] == 1
    first.store.close()
    again = scripted_session(ws, script, conversation=first.conversation)
    two = again.ask("and then?")
    assert two.answer == "second answer"  # turn 2 of the script: the history was restored
    assert two.total["total_tokens"] == one.usage["total_tokens"] + two.usage["total_tokens"]
    listed = again.store.list(str(ws.repo))
    assert [(c.id, c.title, c.turns) for c in listed] == [(first.conversation, "hello", 2)]
    fresh = scripted_session(ws, script)
    assert fresh.conversation != first.conversation and fresh.messages() == []


def test_a_question_in_another_language_still_gets_an_answer(ws: Workspace) -> None:
    turn = scripted_session(ws, None).ask("¿Dónde se termina un trabajo? job done")
    assert turn.status == "answered" and turn.tool_calls[0]["name"] == "search_code"
    assert "Job {} done" in turn.answer


def test_an_unreachable_model_server_fails_the_turn_with_a_clear_message(ws: Workspace) -> None:
    model = chat_model(
        "openai", {"base_url": "http://127.0.0.1:9/v1", "model": "m", "timeout": 2, "max_retries": 0}
    )
    store = ConversationStore(ws.out / "conversations.sqlite")
    started = time.monotonic()
    turn = AgentSession(ws, model, store).ask("hello")
    assert turn.status == "failed" and "model server failed" in turn.error and "/help" in turn.error
    assert time.monotonic() - started < 15


def test_a_changed_repository_is_read_again(ws: Workspace) -> None:
    before = len(ws.program().log_statements)
    worker = ws.repo / "src/main/java/demo/Worker.java"
    text = worker.read_text().replace(
        'LOG.info("Worker stopped");',
        'LOG.info("Worker stopped");\n        LOG.warn("Bye from {}", retries);',
    )
    worker.write_text(text)
    assert len(ws.program().log_statements) == before + 1
