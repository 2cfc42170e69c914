"""The LCFG / path / explanation view: the last structured result worth reading whole."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static


class DetailView(VerticalScroll):
    DEFAULT_CSS = """
    DetailView { height: 1fr; border-top: solid $primary-background; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(
            "select a statement, or ask for an LCFG, paths or a session", id="detail-text", markup=False
        )

    def show(self, title: str, text: str) -> None:
        self.border_title = title
        self.query_one("#detail-text", Static).update(text)
        self.scroll_home(animate=False)
