"""One complete agent turn against a real OpenAI-compatible server: llama.cpp serving SmolLM2-135M.

The tools are offered to the model; whatever a 135M model makes of them, the turn must end in an
answer, or in the clear fallback (its tool calls failed twice, or the server refused the request),
with the conversation still usable and the tokens counted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.agent.backends import chat_model
from anomalygen.agent.session import AgentSession
from anomalygen.agent.store import ConversationStore
from anomalygen.agent.workspace import Workspace

from ..llm.test_real_server import llama_server  # noqa: F401  (the suite's server fixture)
from ..tools.explain.minirepo import NORMAL, write_log, write_repo

pytestmark = [pytest.mark.llm_server, pytest.mark.slow]


def test_a_complete_turn_with_tools_offered_to_a_real_model(llama_server: str, tmp_path: Path) -> None:  # noqa: F811
    ws = Workspace(
        write_repo(tmp_path / "repo"), tmp_path / "out", [write_log(tmp_path / "app.log", NORMAL)]
    )
    model = chat_model(
        "openai", {"base_url": llama_server, "timeout": 240, "max_retries": 0, "max_tokens": 48}
    )
    assert model is not None
    session = AgentSession(ws, model, ConversationStore(ws.out / "conversations.sqlite"))
    turn = session.ask("Which log statements does Worker.handle print? Use a tool.")
    print(
        f"\nreal server turn: {turn.status} calls={[c['name'] for c in turn.tool_calls]} usage={turn.usage} "
        f"answer={turn.answer[:200]!r} error={turn.error[:200]!r}"
    )
    assert turn.status in ("answered", "gave-up", "failed")
    if turn.status == "answered":
        assert turn.answer.strip() and turn.usage["input_tokens"] > 0 and turn.usage["output_tokens"] > 0
    else:
        assert turn.error and ("model server failed" in turn.error or "failed twice" in turn.error)
    assert session.ask("/help").status in ("answered", "gave-up", "failed")  # the conversation goes on
