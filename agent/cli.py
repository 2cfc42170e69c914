"""``anomalygen ask`` (one headless turn) and ``anomalygen chat`` (a terminal conversation)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from anomalygen.agent.setup import add_session_arguments, list_conversations, open_session, workspace
from anomalygen.command import Command, UsageError
from anomalygen.console import emit_json, stderr

ASK_DESCRIPTION = """\
Ask one question about a Java repository (and its logs) and get one answer: the agent calls tools
(search, LCFGs, paths, log matching, coverage, session explanations, augmentation, evaluation) and
answers. --json prints {answer, tool_calls: [{name, arguments, result}], usage, conversation}.
Exit status: 0 answered, 1 the run failed (model server down, cancelled, tool calls kept failing),
2 a usage error. A question starting with / runs a slash command instead (/help).
"""

CHAT_DESCRIPTION = """\
A conversation in the terminal about a Java repository and its logs, answers streamed as they are
written. Slash commands call the tools directly and work with no model (/help). Ctrl-C cancels the
running step, not the conversation; Ctrl-D ends it. Conversations are saved in OUT: --list shows
them, --resume ID (or last) continues one.
"""


def _configure_ask(parser: argparse.ArgumentParser) -> None:
    add_session_arguments(parser)
    parser.add_argument("question", metavar="QUESTION", help="the question, in your own words")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def _print_conversations(ws: Any, as_json: bool) -> int:
    rows = list_conversations(ws)
    if as_json:
        emit_json(rows)
    for row in rows if not as_json else []:
        stderr.print(
            f"{row['id']}  {time.strftime('%Y-%m-%d %H:%M', time.localtime(row['updated']))}  "
            f"{row['turns']} turns  {row['tokens']} tokens  {row['title']}",
            markup=False,
            highlight=False,
        )
    if not rows and not as_json:
        stderr.print("no saved conversation for this repository")
    return 0


def _run_ask(args: argparse.Namespace) -> int:
    from anomalygen.agent.slash import run_slash

    ws = workspace(args)
    if args.list:
        return _print_conversations(ws, args.json)
    if not args.question.strip():
        raise UsageError("the question is empty")

    def on_event(kind: str, fields: dict[str, Any]) -> None:
        if not args.json and kind in ("stage-started", "status"):
            stderr.print(f"[dim]{fields.get('message', '')}[/]", highlight=False, markup=True)

    ws.on_event = on_event
    session, warning = open_session(args, ws, approve=lambda request: bool(args.yes))
    if args.question.lstrip().startswith("/"):
        text = run_slash(session, args.question.strip())
        emit_json(
            {"answer": text, "tool_calls": [], "usage": {}, "conversation": session.conversation}
        ) if args.json else print(text)
        return 1 if text.startswith(("error:", "unknown command")) else 0
    if warning:
        result = {
            "answer": "",
            "status": "failed",
            "error": warning,
            "tool_calls": [],
            "usage": {},
            "conversation": session.conversation,
        }
        emit_json(result) if args.json else stderr.print(f"[red]{warning}[/]", highlight=False)
        return 1
    turn = session.ask(args.question)
    if args.json:
        emit_json(turn.to_dict())
    else:
        for call in turn.tool_calls:
            stderr.print(f"[dim]→ {call['name']}: {call['result']}[/]", highlight=False, markup=True)
        if turn.answer:
            print(turn.answer)
        if turn.error:
            stderr.print(f"[red]{turn.status}:[/] {turn.error}", highlight=False)
        stderr.print(
            f"[dim]tokens: {turn.usage.get('total_tokens', 0)} this turn, "
            f"{turn.total.get('total_tokens', 0)} in conversation {turn.conversation}[/]"
        )
    return 0 if turn.status == "answered" else 1


def _configure_chat(parser: argparse.ArgumentParser) -> None:
    add_session_arguments(parser)


def _run_chat(args: argparse.Namespace) -> int:
    from anomalygen.agent.chat import chat_loop

    ws = workspace(args)
    if args.list:
        return _print_conversations(ws, False)
    return chat_loop(args, ws)


ASK = Command(
    name="ask",
    summary="ask the assistant one question about a repository (headless, --json)",
    configure=_configure_ask,
    run=_run_ask,
    description=ASK_DESCRIPTION,
)
CHAT = Command(
    name="chat",
    summary="talk with the assistant about a repository and its logs",
    configure=_configure_chat,
    run=_run_chat,
    description=CHAT_DESCRIPTION,
)
