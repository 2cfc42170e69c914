"""Conversations on disk: LangGraph's SQLite checkpointer plus a small table to list them by.

One file, ``OUT/conversations.sqlite``: the checkpointer's tables hold each conversation's state
(its LangGraph thread), ``conversations`` holds what a list needs (repository, title, tokens, times).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, repo TEXT NOT NULL, title TEXT NOT NULL, created REAL NOT NULL,
    updated REAL NOT NULL, turns INTEGER NOT NULL DEFAULT 0, tokens INTEGER NOT NULL DEFAULT 0)
"""


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    repo: str
    title: str
    created: float
    updated: float
    turns: int
    tokens: int


class ConversationStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # The agent runs in a worker thread under the TUI: one connection, shared, serialised by SQLite.
        self.connection = sqlite3.connect(str(path), check_same_thread=False)
        self.connection.execute(_SCHEMA)
        self.connection.commit()
        self.checkpointer = SqliteSaver(self.connection)

    def new(self, repo: str) -> str:
        conversation = uuid.uuid4().hex[:12]
        now = time.time()
        self.connection.execute(
            "INSERT INTO conversations VALUES (?, ?, ?, ?, ?, 0, 0)", (conversation, repo, "", now, now)
        )
        self.connection.commit()
        return conversation

    def get(self, conversation: str) -> Conversation | None:
        row = self.connection.execute(
            "SELECT * FROM conversations WHERE id = ?", (conversation,)
        ).fetchone()
        return Conversation(*row) if row else None

    def latest(self, repo: str) -> Conversation | None:
        row = self.connection.execute(
            "SELECT * FROM conversations WHERE repo = ? ORDER BY updated DESC LIMIT 1", (repo,)
        ).fetchone()
        return Conversation(*row) if row else None

    def list(self, repo: str | None = None) -> list[Conversation]:
        query = (
            "SELECT * FROM conversations" + (" WHERE repo = ?" if repo else "") + " ORDER BY updated DESC"
        )
        return [Conversation(*row) for row in self.connection.execute(query, (repo,) if repo else ())]

    def record_turn(self, conversation: str, question: str, tokens: int) -> None:
        self.connection.execute(
            "UPDATE conversations SET title = CASE WHEN title = '' THEN ? ELSE title END, updated = ?, "
            "turns = turns + 1, tokens = tokens + ? WHERE id = ?",
            (
                question.strip().splitlines()[0][:80] if question.strip() else "",
                time.time(),
                tokens,
                conversation,
            ),
        )
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()
