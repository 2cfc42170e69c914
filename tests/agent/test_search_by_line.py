"""search_code with a pasted runtime log line (the matcher first, retrieval for the rest) and the
notice a long first index gives, on the blockstore example."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from anomalygen.agent.tools.code import SearchArgs, search_code
from anomalygen.agent.workspace import Workspace
from anomalygen.tools.retrieval import index as retrieval_index

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "blockstore"


def _workspace(folder: Path) -> Workspace:
    repo = folder / "blockstore"
    shutil.copytree(EXAMPLE / "src", repo / "src")
    return Workspace(repo, folder / "out", [])


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """One workspace (one parse, one index) for the searches that only read."""
    return _workspace(tmp_path_factory.mktemp("search-by-line"))


def test_a_pasted_line_puts_the_statement_that_printed_it_first(ws: Workspace) -> None:
    line = ("2026-11-23 13:02:52,759 INFO  [main] BlockStoreServer: Starting block store with 800 blocks, "
            "seed 42, fault rate 0.04")
    result = search_code(ws, SearchArgs(query=line, k=5, kind=None))
    first = result.data["hits"][0]
    assert first["how"] == "log line"
    assert first["file"].endswith("BlockStoreServer.java") and first["kind"] == "statement"
    assert "printed this line" in result.text.splitlines()[1]
    assert len({h["id"] for h in result.data["hits"]}) == len(result.data["hits"])  # not listed twice


def test_the_message_alone_is_matched_too(ws: Workspace) -> None:
    query = "Deleting block blk_-42 on request of client-7"
    result = search_code(ws, SearchArgs(query=query, k=3, kind=None))
    first = result.data["hits"][0]
    assert first["how"] == "log line" and first["file"].endswith("DeleteBlockHandler.java")


def test_a_line_no_template_matches_falls_back_to_retrieval(ws: Workspace) -> None:
    line = "2026-11-23 13:02:53,001 WARN  [main] Elsewhere: replication of block queue stalled"
    hits = search_code(ws, SearchArgs(query=line, k=5, kind=None)).data["hits"]
    assert hits, "retrieval answers what the matcher cannot"
    assert all(h["how"] != "log line" for h in hits)


def test_a_question_is_not_taken_for_a_log_line(ws: Workspace) -> None:
    hits = search_code(ws, SearchArgs(query="where are blocks deleted", k=5, kind=None)).data["hits"]
    assert hits and all(h["how"] != "log line" for h in hits)


def test_a_long_first_index_says_what_it_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A big repository (more files than are parsed one by one) is announced, then counted."""
    ws = _workspace(tmp_path)
    monkeypatch.setattr(retrieval_index, "SUBSET_LIMIT", 2)
    events: list[tuple[str, dict[str, Any]]] = []
    ws.on_event = lambda kind, fields: events.append((kind, fields))
    search_code(ws, SearchArgs(query="where are blocks deleted", k=3, kind=None))
    said = [fields["message"] for kind, fields in events if kind == "status"]
    java_files = len(list(ws.repo.rglob("*.java")))
    assert any(m.startswith(f"indexing {java_files} Java files of blockstore once") for m in said), said
    assert any(m.startswith("indexing: ") and "documents embedded" in m for m in said), said
    assert any(m.startswith("indexed ") for m in said), said
    events.clear()
    search_code(ws, SearchArgs(query="where are blocks written", k=3, kind=None))
    assert not [f for kind, f in events if kind == "status" and "index" in f["message"]]
