"""Shared by ``ask``, ``chat`` and ``tui``: their common flags and how they open a session."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from anomalygen.command import UsageError


def add_session_arguments(parser: argparse.ArgumentParser) -> None:
    from anomalygen.llm.options import add_llm_arguments

    parser.add_argument("repo", metavar="REPO", help="root folder of the Java repository")
    parser.add_argument(
        "--logs", nargs="+", default=[], metavar="FILE", help="runtime log files of the system"
    )
    parser.add_argument(
        "--out",
        default="out/agent",
        metavar="DIR",
        help="output folder: conversations, runs, reports (default out/agent); "
        "nothing is written outside it",
    )
    parser.add_argument("--resume", metavar="ID", help="continue conversation ID ('last': the latest one)")
    parser.add_argument("--list", action="store_true", help="list the saved conversations and exit")
    parser.add_argument(
        "--yes", action="store_true", help="approve long and file-writing actions without asking"
    )
    parser.add_argument("--mock-script", metavar="JSON", help="with --llm mock: the scripted turns to play")
    add_llm_arguments(parser, default="openai")


def _llm_options(args: argparse.Namespace) -> dict[str, Any]:
    if args.llm != "openai":
        return {}
    if not str(args.llm_base_url).startswith(("http://", "https://")):
        raise UsageError(f"--llm-base-url must be an http(s) URL, got {args.llm_base_url!r}")
    return {
        "base_url": args.llm_base_url,
        "model": args.llm_model,
        "api_key": args.llm_api_key
        or os.environ.get("ANOMALYGEN_LLM_API_KEY")
        or os.environ.get("OPENAI_API_KEY"),
        "structured_output": args.llm_structured_output,
        "timeout": args.llm_timeout,
        "max_retries": args.llm_retries,
        "max_tokens": args.llm_max_tokens,
        "temperature": args.llm_temperature,
    }


def workspace(args: argparse.Namespace) -> Any:
    from anomalygen.agent.workspace import Workspace

    repo = Path(args.repo)
    if not repo.is_dir():
        raise UsageError(f"repository {args.repo!r} is not a directory")
    for log in args.logs:
        if not Path(log).is_file():
            raise UsageError(f"log file {log!r} does not exist or is not a file")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out!r} exists and is not a folder")
    if args.mock_script and args.llm != "mock":
        raise UsageError("--mock-script applies to --llm mock only")
    if args.mock_script and not Path(args.mock_script).is_file():
        raise UsageError(f"mock script {args.mock_script!r} does not exist")
    options = _llm_options(args)
    pipeline = {
        "name": args.llm,
        "options": {k: v for k, v in options.items() if k != "api_key"}
        | ({"cache_dir": str(out.resolve() / ".llm-cache")} if args.llm == "openai" else {}),
    }
    return Workspace(repo, out, [Path(p) for p in args.logs], approve_all=args.yes, llm=pipeline)


def open_session(
    args: argparse.Namespace,
    ws: Any,
    *,
    approve: Callable[[dict[str, Any]], bool] | None = None,
    on_token: Callable[[str], None] | None = None,
) -> tuple[Any, str]:
    """(session, warning): the warning says why there is no model (slash commands still work)."""
    from anomalygen.agent.backends import ModelUnavailableError, chat_model
    from anomalygen.agent.session import AgentSession
    from anomalygen.agent.store import ConversationStore

    store = ConversationStore(ws.out / "conversations.sqlite")
    conversation = None
    if args.resume:
        found = store.latest(str(ws.repo)) if args.resume == "last" else store.get(args.resume)
        if found is None:
            raise UsageError(f"no saved conversation {args.resume!r} (--list shows them)")
        if found.repo != str(ws.repo):
            raise UsageError(f"conversation {found.id} was about {found.repo}, not {ws.repo}")
        conversation = found.id
    warning = ""
    options = _llm_options(args) | ({"script": args.mock_script} if args.mock_script else {})
    try:
        model = chat_model(args.llm, options)
    except ModelUnavailableError as exc:
        model, warning = None, str(exc)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if model is None and not warning:
        warning = "no model (--llm none): slash commands only, /help lists them"
    return AgentSession(ws, model, store, conversation, approve=approve, on_token=on_token), warning


def list_conversations(ws: Any) -> list[dict[str, Any]]:
    from anomalygen.agent.store import ConversationStore

    store = ConversationStore(ws.out / "conversations.sqlite")
    try:
        return [
            {"id": c.id, "title": c.title, "turns": c.turns, "tokens": c.tokens, "updated": c.updated}
            for c in store.list(str(ws.repo))
        ]
    finally:
        store.close()
