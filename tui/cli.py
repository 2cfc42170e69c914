"""``anomalygen tui``: the Textual app on a repository and its logs."""

from __future__ import annotations

import argparse

from anomalygen.agent.setup import add_session_arguments, list_conversations, open_session, workspace
from anomalygen.command import Command
from anomalygen.console import stderr

DESCRIPTION = """\
A terminal app: the repository's packages, classes and log statements with a live filter (ctrl+f),
the conversation with streamed answers (F1), the LCFG / path / session view (F2, ctrl+l on a
statement), the run panel of long jobs (F3), and the model and tokens on the status line. Esc
cancels the running step; ctrl+q quits. Works from 80x24 up; below 60 columns the tree hides.
"""


def _configure(parser: argparse.ArgumentParser) -> None:
    add_session_arguments(parser)


def _run(args: argparse.Namespace) -> int:
    from anomalygen.tui.app import AnomalyApp

    ws = workspace(args)
    if args.list:
        for row in list_conversations(ws):
            stderr.print(
                f"{row['id']}  {row['turns']} turns  {row['title']}", markup=False, highlight=False
            )
        return 0
    stderr.print(f"reading {ws.repo} ...", highlight=False)
    ws.program()
    app: AnomalyApp | None = None

    def approve(request: dict[str, object]) -> bool:
        return app.approve(dict(request)) if app is not None else False

    def token(piece: str) -> None:
        if app is not None:
            app.stream_token(piece)

    session, warning = open_session(args, ws, approve=approve, on_token=token)
    app = AnomalyApp(session, warning)
    app.run()
    return 0


TUI = Command(
    name="tui",
    summary="the assistant as a terminal app (tree, conversation, LCFG view, runs)",
    configure=_configure,
    run=_run,
    description=DESCRIPTION,
)
