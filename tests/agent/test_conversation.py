"""A scripted mock conversation that calls every tool, on a repository built by the test."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import ToolMessage

from anomalygen.agent.tools import TOOLS
from anomalygen.agent.workspace import Workspace

from .helpers import scripted_session
from .planted import SECRET, files_outside, planted_repo

SCRIPT: list[list[dict[str, Any]]] = [
    [{"tool": "search_code", "args": {"query": "job done"}}, {"answer": "Found: {result}"}],
    [
        {
            "tools": [
                {"tool": "show_method", "args": {"method": "Worker.handle"}},
                {"tool": "list_log_statements", "args": {"unseen": True}},
            ]
        },
        {"answer": "{result}"},
    ],
    [
        {"tool": "lcfg", "args": {"method": "Worker.run"}},
        {"tool": "paths", "args": {"entry": "Worker.run", "limit": 5}},
        {"tool": "verify_path", "args": {"path_id": "{path_id}"}},
        {"answer": "{result}"},
    ],
    [
        {
            "tool": "match_line",
            "args": {"line": "2015-07-29 17:41:02,000 - INFO  [w:Worker@31] - Handling job 42"},
        },
        {"tool": "coverage", "args": {}},
        {
            "tool": "explain_session",
            "args": {
                "lines": "\n".join(
                    [
                        "2015-07-29 17:41:01,000 - INFO  [w:Worker@12] - Worker starting with 3 retries",
                        "2015-07-29 17:41:02,000 - INFO  [w:Worker@33] - Job 8 done",
                    ]
                )
            },
        },
        {"answer": "{result}"},
    ],
    [
        {"tool": "run_augmentation", "args": {"sessions": 30}},
        {"tool": "evaluate", "args": {"run_id": "{run_id}", "models": "pca,invariants"}},
        {"answer": "{result}"},
    ],
]


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Workspace, Path, Path]:
    repo, log, _secret = planted_repo(tmp_path)
    ws = Workspace(repo, tmp_path / "out", [log], approve_all=True, llm={"name": "mock", "options": {}})
    return ws, tmp_path, log


def _results(messages: list[Any]) -> dict[str, str]:
    return {str(m.name): str(m.content) for m in messages if isinstance(m, ToolMessage)}


def test_a_scripted_conversation_calls_every_tool_and_answers_from_them(
    planted: tuple[Workspace, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, root, _log = planted
    before = files_outside(root, ws.out)

    def no_commands(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a tool tried to run a command: {args}")

    monkeypatch.setattr(subprocess, "Popen", no_commands)
    events: list[tuple[str, dict[str, Any]]] = []
    ws.on_event = lambda kind, fields: events.append((kind, fields))
    session = scripted_session(ws, SCRIPT)
    turns = [
        session.ask(q)
        for q in (
            "where is a job finished?",
            "show me Worker.handle",
            "paths of Worker.run",
            "what does my log show?",
            "generate and train",
        )
    ]
    assert [t.status for t in turns] == ["answered"] * 5, [t.error for t in turns]
    called = [c["name"] for t in turns for c in t.tool_calls]
    assert set(called) == set(TOOLS) and len(called) == len(TOOLS)
    assert all(not c["result"].startswith("error") for t in turns for c in t.tool_calls), turns
    results = _results(session.messages())

    assert "Job {} done (src/main/java/demo/Worker.java:31)" in turns[0].answer
    assert (
        "Handling job {}" in results["show_method"]
        and "private void handle(Job job)" in results["show_method"]
    )
    # the log never shows the ERROR branch, the DEBUG line nor the planted class's statement
    assert "Job {} too large: {}" in results["list_log_statements"]
    assert "Worker starting" not in results["list_log_statements"]
    assert "n0: ENTRY" in results["lcfg"] and "job.size > 100" in results["lcfg"]
    assert results["verify_path"].startswith("path ") and "decided by" in results["verify_path"]
    assert '"Handling job {}" at src/main/java/demo/Worker.java:29' in results["match_line"]
    assert "1 of " not in results["coverage"] and "the logs show" in results["coverage"]
    assert "transitions no source path allows" in results["explain_session"]
    assert "Handling job {}" in turns[3].answer  # the path part the pasted session lacks
    assert " done: " in results["run_augmentation"] and "synthetic sessions" in results["run_augmentation"]
    assert "pca [real]" in results["evaluate"] and "invariants [real]" in results["evaluate"]

    kinds = {kind for kind, _ in events}
    assert {"tool-call", "tool-result", "run-started", "stage-started", "run-finished"} <= kinds
    assert turns[-1].total["total_tokens"] == sum(t.usage["total_tokens"] for t in turns) > 0
    assert all(t.usage["calls"] >= 2 for t in turns)
    assert files_outside(root, ws.out) == before  # everything written went into the output folder
    assert SECRET not in "\n".join(results.values())
