"""``ask`` latency with the mock backend on ZooKeeper 3.8.0 and its loghub log (target: < 2 s once indexed).

Prints, for a few usual questions, the time of one whole ``anomalygen ask --llm mock`` process (which
parses the repository first) and the time of the same turn in a session whose workspace already
holds the parsed repository and matched log, with the ratio to the 2 s target.
Usage: python bench/bench_ask.py [REPO] [LOG]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPO = REPO_ROOT / ".cache" / "corpus" / "zookeeper-3.8.0"
DEFAULT_LOG = REPO_ROOT.parent / "shared" / "datasets" / "loghub" / "Zookeeper" / "Zookeeper_2k.log"
TARGET = 2.0
QUESTIONS = [
    "where does a follower give up waiting for the leader?",
    "which log statements do my logs never show?",
    "show me FastLeaderElection.lookForLeader",
    "explain session 0x14f05578bf80000",
]


def main() -> int:
    repo = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REPO
    log = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_LOG
    if not repo.is_dir() or not log.is_file():
        print(f"need {repo} (scripts/fetch-corpus.sh) and {log}", file=sys.stderr)
        return 2
    from anomalygen.agent.backends.mock import ScriptedChatModel
    from anomalygen.agent.session import AgentSession
    from anomalygen.agent.store import ConversationStore
    from anomalygen.agent.workspace import Workspace

    out = Path(tempfile.mkdtemp(prefix="bench-ask-"))
    table = Table(title=f"ask --llm mock on {repo.name} + {log.name}")
    for column in ("question", "tool", "whole process s", "warm turn s", "warm / 2 s target"):
        table.add_column(column)
    ws = Workspace(repo, out, [log], llm={"name": "mock", "options": {}})
    started = time.perf_counter()
    ws.program()
    index_seconds = time.perf_counter() - started
    session = AgentSession(ws, ScriptedChatModel(), ConversationStore(out / "conversations.sqlite"))
    for question in QUESTIONS:
        started = time.perf_counter()
        command = [sys.executable, "-m", "anomalygen.cli", "ask", str(repo), question, "--logs", str(log),
                   "--llm", "mock", "--out", str(out / "cold"), "--json"]
        subprocess.run(command, check=True, capture_output=True)
        cold = time.perf_counter() - started
        session.ask(question)  # first use of the log (matching) is part of indexing: not timed
        started = time.perf_counter()
        turn = session.ask(question)
        warm = time.perf_counter() - started
        tool = turn.tool_calls[0]["name"] if turn.tool_calls else "-"
        table.add_row(question, tool, f"{cold:.2f}", f"{warm:.3f}", f"{warm / TARGET:.2f}x")
    Console(width=150).print(table)
    print(f"parsing the repository (the index a warm session holds): {index_seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
