"""Building a workspace and a scripted session for the agent tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from anomalygen.agent.backends.mock import ScriptedChatModel
from anomalygen.agent.session import AgentSession
from anomalygen.agent.store import ConversationStore
from anomalygen.agent.workspace import Workspace


def scripted_session(
    ws: Workspace,
    script: Any,
    conversation: str | None = None,
    **options: Any,
) -> AgentSession:
    store = ConversationStore(ws.out / "conversations.sqlite")
    return AgentSession(ws, ScriptedChatModel(script=script), store, conversation, **options)


def write_script(path: Path, script: list[list[dict[str, Any]]]) -> Path:
    path.write_text(json.dumps(script), encoding="utf-8")
    return path
