"""The conversation: the user's questions and the agent's answers as Markdown, streamed as written."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Markdown, Static


class Conversation(VerticalScroll):
    DEFAULT_CSS = """
    Conversation { height: 1fr; }
    Conversation .question { color: $success; margin: 1 0 0 0; }
    Conversation .note { color: $text-muted; }
    Conversation Markdown { margin: 0; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.current: Markdown | None = None

    def question(self, text: str) -> None:
        self.mount(Static(f"> {text}", classes="question", markup=False))
        self.current = None
        self.scroll_end(animate=False)

    def note(self, text: str) -> None:
        self.mount(Static(text, classes="note", markup=False))
        self.current = None
        self.scroll_end(animate=False)

    async def token(self, piece: str) -> None:
        if self.current is None:
            self.current = Markdown("")
            await self.mount(self.current)
        await self.current.append(piece)
        self.scroll_end(animate=False)

    def plain(self, text: str) -> None:
        """Tool output shown as written (slash commands): Markdown would join its lines."""
        self.mount(Static(text, markup=False, classes="plain"))
        self.current = None
        self.scroll_end(animate=False)

    def answer(self, text: str) -> None:
        """A whole answer (slash commands, or a model that did not stream)."""
        if self.current is None:
            self.mount(Markdown(text))
        self.current = None
        self.scroll_end(animate=False)
