"""The line above the key bindings: model, tokens, conversation."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def show(self, model: str, tokens: int, conversation: str, state: str = "ready") -> None:
        self.update(f"model: {model} │ tokens: {tokens} │ conversation {conversation} │ {state}")
