"""``AnomalyApp``: the agent session behind the main screen, run in a worker thread."""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import Input, TabbedContent, Tree

from anomalygen.agent.backends import describe_model
from anomalygen.agent.session import AgentSession
from anomalygen.agent.slash import run_slash
from anomalygen.records import LogStatement
from anomalygen.tui.messages import AgentEvent, TurnFinished
from anomalygen.tui.screens.approval import ApprovalScreen
from anomalygen.tui.screens.main import MainScreen
from anomalygen.tui.widgets.conversation import Conversation
from anomalygen.tui.widgets.detail import DetailView
from anomalygen.tui.widgets.run_panel import RunPanel
from anomalygen.tui.widgets.status import StatusLine

VIEWS = {
    "lcfg": "LCFG",
    "paths": "paths",
    "explain_session": "session",
    "verify_path": "verdict",
    "show_method": "method",
    "coverage": "coverage",
}
"""Tool results that also go to the View tab."""
FLUSH_SECONDS = 0.15
JOB_EVENTS = ("run-started", "stage-started", "stage-finished", "warning", "run-finished")


class AnomalyApp(App[None]):
    TITLE = "anomalygen"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "quit"),
        Binding("escape", "cancel", "cancel step"),
        Binding("ctrl+f", "filter", "filter"),
        Binding("ctrl+l", "lcfg", "LCFG of selection"),
        Binding("f1", "tab('chat')", "chat"),
        Binding("f2", "tab('view')", "view"),
        Binding("f3", "tab('run')", "run"),
        Binding("f12", "screenshot_svg", "screenshot", show=False),
    ]

    def __init__(self, session: AgentSession, warning: str = "") -> None:
        super().__init__()
        self.session = session
        self.warning = warning
        self.busy = False
        self._streamed = False
        self._pending: list[str] = []
        self._flushed = 0.0
        session.ws.on_event = self._from_worker

    # -- set-up --------------------------------------------------------------------------------
    def get_default_screen(self) -> MainScreen:
        statements: list[LogStatement] = list(self.session.ws.program().log_statements.values())
        return MainScreen(statements)

    def on_ready(self) -> None:
        self._greet()

    def _greet(self) -> None:
        self._status()
        conversation = self.screen.query_one(Conversation)
        conversation.note(
            f"{self.session.ws.repo.name}: {len(self.session.ws.program().log_statements)} log "
            "statements. Ask in your own words, or /help."
        )
        if self.warning:
            conversation.note(self.warning)
        self.screen.query_one("#ask", Input).focus()

    def _status(self, state: str = "ready") -> None:
        tokens = self.session.usage().get("total_tokens", 0)
        self.screen.query_one(StatusLine).show(
            describe_model(self.session.model), tokens, self.session.conversation, state
        )

    # -- input ---------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "ask" or not event.value.strip():
            return
        if self.busy:
            self.notify("still working on the last question (Esc cancels it)")
            return
        text = event.value.strip()
        event.input.value = ""
        self.screen.query_one(Conversation).question(text)
        self.busy = True
        self._status("working… (Esc cancels)")
        self._turn(text)

    @work(thread=True, exclusive=True)
    def _turn(self, text: str) -> None:
        if text.startswith("/"):
            answer = run_slash(self.session, text)
            self.post_message(TurnFinished("slash", answer, "", {}))
            return
        result = self.session.ask(text)
        self._flush_tokens()
        self.post_message(TurnFinished(result.status, result.answer, result.error, result.usage))

    def on_turn_finished(self, message: TurnFinished) -> None:
        conversation = self.screen.query_one(Conversation)
        if message.status == "slash":
            conversation.plain(message.answer)
        elif message.answer and not self._streamed:
            conversation.answer(message.answer)
        else:
            conversation.current = None
        if message.status not in ("answered", "slash"):
            conversation.note(f"{message.status}: {message.error}")
        self.busy = False
        self._streamed = False
        self._status()

    # -- events from the worker thread ------------------------------------------------------------
    def _from_worker(self, kind: str, fields: dict[str, Any]) -> None:
        self.post_message(AgentEvent(kind, fields))

    def on_agent_event(self, message: AgentEvent) -> None:
        kind, fields = message.kind, message.fields
        if not isinstance(self.screen, MainScreen) or not self.screen.query(Conversation):
            return  # before the screen is composed (the first read of the source) or under a dialog
        conversation = self.screen.query_one(Conversation)
        if kind == "tool-call":
            conversation.note(f"→ {fields['name']} {fields['arguments']}")
        elif kind == "tool-result" and fields.get("id"):  # a model's call (slash results are shown whole)
            conversation.note(
                f"  {('error: ' + fields['error']) if fields.get('error') else fields.get('short', '')}"
            )
        if kind == "tool-result" and fields.get("name") in VIEWS and not fields.get("error"):
            self._show_view(fields)
        elif kind in JOB_EVENTS:
            self.screen.query_one(RunPanel).event(kind, fields)
        elif kind == "status":
            self._status(str(fields.get("message", "")))

    def _show_view(self, fields: dict[str, Any]) -> None:
        self.screen.query_one(DetailView).show(
            VIEWS[fields["name"]], str(fields.get("text") or fields.get("short"))
        )

    def stream_token(self, piece: str) -> None:
        """Called from the worker thread for each streamed piece of the answer; pieces are handed to
        the screen in batches, since re-rendering the Markdown per word is slower than a model writes."""
        self._streamed = True
        self._pending.append(piece)
        if time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self._flush_tokens()

    def _flush_tokens(self) -> None:
        if self._pending:
            text, self._pending = "".join(self._pending), []
            token: Any = self.screen.query_one(Conversation).token
            self.call_from_thread(token, text)
        self._flushed = time.monotonic()

    def approve(self, request: dict[str, Any]) -> bool:
        """Called from the worker thread: ask on screen and wait for the answer."""
        answered = threading.Event()
        box: dict[str, bool] = {}

        def done(approved: bool | None) -> None:
            box["approved"] = bool(approved)
            answered.set()

        self.call_from_thread(self.push_screen, ApprovalScreen(request), done)
        answered.wait()
        return box["approved"]

    # -- actions -------------------------------------------------------------------------------
    def action_cancel(self) -> None:
        if self.busy:
            self.session.ws.cancel.set()
            self._status("cancelling…")

    def action_screenshot_svg(self) -> None:
        """An SVG of the screen in OUT/screenshots (never anywhere else)."""
        folder = self.session.ws.output_dir("screenshots", "tui")
        path = self.save_screenshot(path=str(folder))
        self.notify(f"saved {path}")

    def action_filter(self) -> None:
        self.screen.query_one("#filter", Input).focus()

    def action_tab(self, name: str) -> None:
        self.screen.query_one("#tabs", TabbedContent).active = name

    def action_lcfg(self) -> None:
        node = self.screen.query_one("#tree", Tree).cursor_node
        data = node.data if node is not None else None
        if isinstance(data, LogStatement) and data.method and not self.busy:
            self.screen.query_one("#ask", Input).value = ""
            self.busy = True
            self._status("building the LCFG…")
            self._turn(f"/lcfg {data.method}")
            self.action_tab("view")

    def on_tree_node_selected(self, event: Tree.NodeSelected[Any]) -> None:
        data = event.node.data
        if isinstance(data, LogStatement):
            self.screen.query_one(DetailView).show(
                "statement",
                f'{data.level.value} "{data.template}"\n{data.file}:{data.line}\nid {data.id}\n'
                f"method {data.method}\n\nctrl+l: the LCFG of this method",
            )
