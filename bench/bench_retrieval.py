"""Code search on ZooKeeper 3.8.0: CodeIndex (MiniLM vectors + BM25, fused) beside LexicalSearch.

Prints side by side, with ratios: full index time, re-index after one file changes, query latency
(median, p95, over the 30 questions of tests/tools/retrieval/zookeeper_questions.json), top-1 and
top-5 on those questions; then the time of one ``anomalygen ask --llm mock`` process once the
repository is indexed (target < 2 s).

The repository is copied to a temporary folder first (one of its files is edited there).
Usage: python bench/bench_retrieval.py [REPO]
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPO = REPO_ROOT / ".cache" / "corpus" / "zookeeper-3.8.0"
QUESTIONS = REPO_ROOT / "tests" / "tools" / "retrieval" / "zookeeper_questions.json"
EDITED = "zookeeper-server/src/main/java/org/apache/zookeeper/server/quorum/Learner.java"
ASK_TARGET = 2.0


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _edit_one_file(repo: Path) -> None:
    target = repo / EDITED
    if not target.is_file():  # another repository: its first Java file
        target = next(repo.rglob("*.java"))
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\n// edited by bench_retrieval\n")


def _latencies(search: Callable[[str, int], Sequence[Any]], questions: list[Any]) -> list[float]:
    return [_timed(lambda q=q: search(q.text, 5)) for q in questions]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _measure(name: str, build: Callable[[], Callable[[str, int], Sequence[Any]]], reindex: Callable[[], None],
             questions: list[Any]) -> dict[str, float]:
    from anomalygen.tools.retrieval.quality import grade, share_within

    found: dict[str, Callable[[str, int], Sequence[Any]]] = {}
    full = _timed(lambda: found.setdefault("search", build()))
    search = found["search"]
    graded = grade(search, questions, k=5)  # also warms every cache a first query fills
    latencies = _latencies(search, questions)
    again = _timed(reindex)
    print(f"{name}: misses {[g.question.text for g in graded if g.rank is None]}", file=sys.stderr)
    return {
        "full index s": full,
        "re-index one file s": again,
        "query median ms": 1000 * statistics.median(latencies),
        "query p95 ms": 1000 * _p95(latencies),
        "top-1": share_within(graded, 1),
        "top-5": share_within(graded, 5),
    }


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REPO
    if not source.is_dir():
        print(f"no repository at {source}: run scripts/fetch-corpus.sh", file=sys.stderr)
        return 2
    from anomalygen.agent.tools.search import LexicalSearch
    from anomalygen.agent.workspace import Workspace
    from anomalygen.tools.retrieval import CodeIndex
    from anomalygen.tools.retrieval.quality import load_questions

    questions = load_questions(QUESTIONS)
    scratch = Path(tempfile.mkdtemp(prefix="bench-retrieval-"))
    try:
        repo = scratch / source.name
        shutil.copytree(source, repo, ignore=shutil.ignore_patterns(".git"))

        index = CodeIndex.open(repo, scratch / "index")

        def build_index() -> Callable[[str, int], Sequence[Any]]:
            index.refresh()
            return lambda text, k: index.search(text, k)

        def reindex_one() -> None:
            _edit_one_file(repo)
            index.refresh()

        vectors = _measure("CodeIndex", build_index, reindex_one, questions)

        workspace = Workspace(repo, scratch / "lexical-out")
        lexical = LexicalSearch(workspace)

        def build_lexical() -> Callable[[str, int], Sequence[Any]]:
            lexical.search("warm up", 1)  # parses the repository and builds its word index
            return lambda text, k: lexical.search(text, k)

        def relex_one() -> None:
            _edit_one_file(repo)
            lexical.search("warm up", 1)  # the workspace sees the change and parses again

        words = _measure("LexicalSearch", build_lexical, relex_one, questions)

        print(f"code search on {source.name}, {len(questions)} questions")
        print(f"{'':22}{'CodeIndex':>12}{'LexicalSearch':>15}{'ratio':>9}")
        for key, value in vectors.items():
            other = words[key]
            ratio = f"{value / other:.2f}x" if other else "-"
            shown = (f"{value:12.0%}{other:15.0%}" if key.startswith("top")
                     else f"{value:12.2f}{other:15.2f}")
            print(f"{key:22}{shown}{ratio:>9}")

        out = scratch / "ask-out"
        command = [sys.executable, "-m", "anomalygen.cli", "ask", str(repo),
                   "where does a follower give up waiting for the leader", "--llm", "mock",
                   "--out", str(out), "--json"]
        first = _timed(lambda: subprocess.run(command, check=True, capture_output=True))
        runs = [_timed(lambda: subprocess.run(command, check=True, capture_output=True)) for _ in range(3)]
        best = min(runs)
        print(f"anomalygen ask --llm mock (one process, search_code): first {first:.1f} s (indexes), "
              f"then {statistics.median(runs):.2f} s median, {best:.2f} s best "
              f"({statistics.median(runs) / ASK_TARGET:.2f}x of the {ASK_TARGET:.0f} s target)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
