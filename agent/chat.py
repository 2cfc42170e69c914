"""The ``chat`` loop: read a question, stream the answer as Markdown, show tools and progress."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.markdown import Markdown
from rich.markup import escape

from anomalygen.agent.setup import open_session
from anomalygen.agent.slash import run_slash


class _Stream:
    """Tokens appended to a live Markdown view on the terminal."""

    def __init__(self, console: Console) -> None:
        self.console, self.text = console, ""
        self.live: Live | None = None

    def token(self, piece: str) -> None:
        self.text += piece
        if self.live is None:
            self.live = Live(Markdown(self.text), console=self.console, refresh_per_second=12)
            self.live.start()
        else:
            self.live.update(Markdown(self.text))

    def close(self) -> str:
        if self.live is not None:
            self.live.stop()
        text, self.text, self.live = self.text, "", None
        return text


def chat_loop(args: argparse.Namespace, ws: Any) -> int:
    console = Console()
    stream = _Stream(console)

    def on_event(kind: str, fields: dict[str, Any]) -> None:
        if kind == "tool-call":
            stream.close()
            console.print(f"[dim]→ {escape(fields['name'])}({escape(str(fields['arguments'])[:120])})[/]")
        elif kind == "tool-result":
            note = f"error: {fields['error']}" if fields.get("error") else fields.get("short", "")
            console.print(f"[dim]  {escape(note)}[/]")
        elif kind in (
            "run-started",
            "stage-started",
            "stage-finished",
            "warning",
            "run-finished",
            "status",
        ):
            console.print(f"[cyan]  {escape(kind)}[/] {escape(str(fields.get('message', '')))}")

    def approve(request: dict[str, Any]) -> bool:
        stream.close()
        console.print(
            f"[yellow]{escape(request['tool'])}[/] {escape(str(request['arguments']))}: "
            f"{escape(request['why'])}"
        )
        try:
            return console.input("run it? [y/N] ").strip().lower() in ("y", "yes")
        except (EOFError, KeyboardInterrupt):
            return False

    ws.on_event = on_event
    session, warning = open_session(args, ws, approve=approve, on_token=stream.token)
    console.print(
        f"[bold]anomalygen chat[/] on {escape(str(ws.repo))}  conversation {session.conversation}  "
        "(/help, Ctrl-C cancels a step, Ctrl-D quits)"
    )
    if warning:
        console.print(f"[yellow]{escape(warning)}[/]")
    for message in session.messages()[-4:]:
        console.print(f"[dim]{escape(type(message).__name__)}: {escape(str(message.content)[:200])}[/]")
    while True:
        try:
            question = console.input("[bold green]> [/]").strip()
        except EOFError:
            console.print()
            return 0
        except KeyboardInterrupt:
            console.print("[dim](Ctrl-D quits)[/]")
            continue
        if not question:
            continue
        if question.startswith("/"):
            try:
                console.print(escape(run_slash(session, question)), highlight=False)
            except KeyboardInterrupt:
                console.print("[yellow]cancelled[/]")
            continue
        if session.model is None:
            console.print(f"[yellow]{escape(warning)}[/]")
            continue
        try:
            turn = session.ask(question)
        except KeyboardInterrupt:  # between two steps of the stream: ask() already repaired the state
            stream.close()
            console.print("[yellow]cancelled[/]")
            continue
        shown = stream.close()
        if turn.answer and not shown:
            console.print(Markdown(turn.answer))
        if turn.status != "answered":
            console.print(f"[yellow]{turn.status}[/] {escape(turn.error)}")
        console.print(
            f"[dim]tokens: {turn.usage.get('total_tokens', 0)} this turn, "
            f"{turn.total.get('total_tokens', 0)} in this conversation[/]"
        )
