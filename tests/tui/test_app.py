"""Pilot tests of the TUI's main flows and SVG snapshots of its screens (pytest-textual-snapshot)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Markdown, Static, Tree

from anomalygen.agent.backends.mock import ScriptedChatModel
from anomalygen.agent.session import AgentSession
from anomalygen.agent.store import ConversationStore
from anomalygen.agent.workspace import Workspace
from anomalygen.tui.app import AnomalyApp
from anomalygen.tui.screens.approval import ApprovalScreen
from anomalygen.tui.widgets.conversation import Conversation
from anomalygen.tui.widgets.detail import DetailView

from ..tools.explain.minirepo import NORMAL, write_log, write_repo


def make_app(root: Path, script: Any = None) -> AnomalyApp:
    repo = write_repo(root / "repo")
    ws = Workspace(
        repo, root / "out", [write_log(root / "app.log", NORMAL)], llm={"name": "mock", "options": {}}
    )
    holder: dict[str, AnomalyApp] = {}
    session = AgentSession(
        ws,
        ScriptedChatModel(script=script),
        ConversationStore(ws.out / "c.sqlite"),
        conversation="snapshot0001",
        approve=lambda r: holder["app"].approve(r),
        on_token=lambda piece: holder["app"].stream_token(piece),
    )
    holder["app"] = AnomalyApp(session)
    return holder["app"]


def _text(app: AnomalyApp) -> str:
    conversation = app.screen.query_one(Conversation)
    parts = [str(w.render()) for w in conversation.query(Static)]
    parts += [m.source for m in conversation.query(Markdown)]
    return "\n".join(parts)


async def _ask(app: AnomalyApp, pilot: Any, text: str) -> None:
    app.screen.query_one("#ask", Input).value = text
    await pilot.press("enter")
    for _ in range(200):
        await pilot.pause(0.05)
        if not app.busy:
            break
    await pilot.pause()


async def flow_a_question_streams_an_answer_and_counts_tokens(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _ask(app, pilot, "where is a job finished? job done")
        text = _text(app)
        assert "→ search_code" in text and "Job {} done" in text
        assert "tokens: 0" not in str(app.screen.query_one("#status").render())


async def flow_the_filter_narrows_the_tree_and_a_statement_opens_its_lcfg(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        await pilot.press(*"too large")
        await pilot.pause()
        tree = app.screen.query_one("#tree", Tree)
        leaves = [n for n in tree.root.children[0].children[0].children]
        assert len(leaves) == 1 and getattr(leaves[0].data, "template", None) == "Job {} too large: {}"
        tree.move_cursor(leaves[0])
        await pilot.press("ctrl+l")
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.busy:
                break
        detail = str(app.screen.query_one("#detail-text", Static).render())
        assert "LCFG demo.Worker.run()" in detail and "job.size > 100" in detail


async def flow_a_long_action_asks_first_and_can_be_declined(tmp_path: Path) -> None:
    app = make_app(tmp_path, [[{"tool": "run_augmentation", "args": {}}, {"answer": "{result}"}]])
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#ask", Input).value = "generate sessions"
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if isinstance(app.screen, ApprovalScreen):
                break
        assert isinstance(app.screen, ApprovalScreen)
        await pilot.press("n")
        for _ in range(100):
            await pilot.pause(0.05)
            if not app.busy:
                break
        assert "declined" in _text(app)
        assert not (tmp_path / "out" / "runs").exists()


async def flow_slash_commands_and_a_tiny_terminal(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(50, 14)) as pilot:
        assert app.screen.has_class("narrow")
        await _ask(app, pilot, "/paths Worker.run")
        assert "paths (" in _text(app)
        assert "path " in str(app.screen.query_one(DetailView).query_one("#detail-text", Static).render())


@pytest.mark.parametrize("size", [(80, 24), (120, 32)])
def test_snapshot_main_screen(tmp_path: Path, snap_compare: Any, size: tuple[int, int]) -> None:
    async def ask(pilot: Any) -> None:
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor makes the picture depend on timing
        await _ask(pilot.app, pilot, "/coverage")

    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=ask)


def test_a_question_streams_an_answer_and_counts_tokens(tmp_path: Path) -> None:
    asyncio.run(flow_a_question_streams_an_answer_and_counts_tokens(tmp_path))


def test_the_filter_narrows_the_tree_and_a_statement_opens_its_lcfg(tmp_path: Path) -> None:
    asyncio.run(flow_the_filter_narrows_the_tree_and_a_statement_opens_its_lcfg(tmp_path))


def test_a_long_action_asks_first_and_can_be_declined(tmp_path: Path) -> None:
    asyncio.run(flow_a_long_action_asks_first_and_can_be_declined(tmp_path))


def test_slash_commands_and_a_tiny_terminal(tmp_path: Path) -> None:
    asyncio.run(flow_slash_commands_and_a_tiny_terminal(tmp_path))
