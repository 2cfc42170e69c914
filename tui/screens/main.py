"""The main screen: source tree | conversation, view and run tabs | status line and key bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, TabbedContent, TabPane

from anomalygen.records import LogStatement
from anomalygen.tui.widgets.conversation import Conversation
from anomalygen.tui.widgets.detail import DetailView
from anomalygen.tui.widgets.run_panel import RunPanel
from anomalygen.tui.widgets.source_tree import SourceTree
from anomalygen.tui.widgets.status import StatusLine

NARROW = 60
"""Below this many columns the source tree is hidden so the conversation stays readable."""


class MainScreen(Screen[None]):
    DEFAULT_CSS = """
    #center { width: 1fr; }
    #ask { dock: bottom; }
    MainScreen.narrow SourceTree { display: none; }
    """

    def __init__(self, statements: list[LogStatement]) -> None:
        super().__init__()
        self.statements = statements

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield SourceTree(self.statements)
            with Vertical(id="center"), TabbedContent(initial="chat", id="tabs"):
                with TabPane("Chat", id="chat"):
                    yield Conversation(id="conversation")
                    yield Input(placeholder="ask, or /help", id="ask")
                with TabPane("View", id="view"):
                    yield DetailView(id="detail")
                with TabPane("Run", id="run"):
                    yield RunPanel(id="run-panel")
        yield StatusLine(id="status")
        yield Footer()

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW, "narrow")
