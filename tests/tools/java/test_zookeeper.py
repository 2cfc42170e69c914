"""Integration: the whole ZooKeeper 3.8.0 source tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from anomalygen.records import Level
from anomalygen.tools.java import Program, load_program


@pytest.fixture(scope="module")
def zookeeper(zookeeper_src: Path) -> Iterator[Program]:
    yield load_program(zookeeper_src)


def test_every_java_file_parsed_or_reported(zookeeper_src: Path, zookeeper: Program) -> None:
    on_disk = {
        str(p.relative_to(zookeeper_src)) for p in zookeeper_src.rglob("*.java")
    }
    skipped_dirs = [path for path, _ in zookeeper.skipped]
    accounted = set(zookeeper.files) | {e.file for e in zookeeper.parse_errors}
    for file in on_disk - accounted:
        assert any(file.startswith(d + "/") or file == d for d in skipped_dirs), file
    assert len(zookeeper.files) >= 500  # 505 in the default scope (no test trees); 898 with them
    assert {e.file for e in zookeeper.parse_errors} <= set(zookeeper.files)  # all read, few spans


def test_at_least_1200_log_statements_in_the_server(zookeeper: Program) -> None:
    server = [s for s in zookeeper.log_statements.values() if s.file.startswith("zookeeper-server/src/main/")]
    assert len(server) >= 1200


def test_real_templates(zookeeper: Program) -> None:
    by_template = {(s.file.rsplit("/", 1)[-1], s.template): s for s in zookeeper.log_statements.values()}
    template = "Established session 0x{} with negotiated timeout {} for client {}"
    session = by_template[("ZooKeeperServer.java", template)]
    assert session.level is Level.DEBUG
    assert [s.expression for s in session.slots] == [
        "Long.toHexString(cnxn.getSessionId())", "cnxn.getSessionTimeout()", "cnxn.getRemoteSocketAddress()"
    ]
    assert session.slots[0].type_name == "String" and session.slots[1].type_name == "int"
    assert ("ClientCnxn.java", "Opening socket connection to server {}.") in by_template
    assert ("ClientCnxn.java", "EventThread shut down for session: 0x{}") in by_template


def test_call_graph_resolves_most_in_repo_calls(zookeeper: Program) -> None:
    in_repo = [c for c in zookeeper.calls.values() if c.status in ("resolved", "implicit", "unresolved")]
    unresolved = zookeeper.unresolved_calls
    assert len(zookeeper.calls) > 20_000  # 23,780 in the default scope
    assert len(unresolved) / len(in_repo) < 0.05
    prefix = "org.apache.zookeeper.server.ZooKeeperServer.processPacket("
    process = next(m for m in zookeeper.methods if m.startswith(prefix))
    callees = zookeeper.callees(process)
    assert "org.apache.zookeeper.server.NIOServerCnxn.getSessionId()" in callees  # via abstract ServerCnxn
