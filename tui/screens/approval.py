"""Asks before a long or file-writing action runs."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ApprovalScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ApprovalScreen { align: center middle; }
    ApprovalScreen > Vertical { width: 60; max-width: 95%; height: auto; border: thick $warning; padding: 1; }
    ApprovalScreen Horizontal { height: auto; margin-top: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        ("y", "answer(True)", "run it"),
        ("n,escape", "answer(False)", "decline"),
    ]

    def __init__(self, request: dict[str, Any]) -> None:
        super().__init__()
        self.request = request

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.request['tool']}: {self.request['why']}", markup=False)
            yield Static(f"arguments: {self.request['arguments']}", markup=False)
            with Horizontal():
                yield Button("Run (y)", id="yes", variant="warning")
                yield Button("Decline (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, approved: bool) -> None:
        self.dismiss(approved)
