"""Progress of long jobs (augmentation runs, evaluations): stage events as they arrive."""

from __future__ import annotations

from typing import Any

from textual.containers import Vertical
from textual.widgets import Label, Log


class RunPanel(Vertical):
    DEFAULT_CSS = """
    RunPanel { height: 8; border-top: solid $primary-background; }
    RunPanel Label { color: $warning; }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        yield Label("no job running", id="run-status")
        yield Log(id="run-log", max_lines=500)

    def event(self, kind: str, fields: dict[str, Any]) -> None:
        message = str(fields.get("message") or fields.get("stage") or "")
        counts = fields.get("counts") or {}
        suffix = f" {counts}" if counts else ""
        self.query_one("#run-log", Log).write_line(f"{kind}: {message}{suffix}")
        status = self.query_one("#run-status", Label)
        if kind == "run-finished":
            status.update(f"done: {message}")
        elif kind in ("run-started", "stage-started"):
            status.update(f"running: {message}")
