"""Path enumeration on the real Hadoop 0.18.2 HDFS source (the code behind loghub's HDFS log)."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.java import load_program
from anomalygen.tools.java.model import Program
from anomalygen.tools.lcfg import PathEnumerator

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def hdfs(hdfs_src: Path) -> Program:
    return load_program(hdfs_src)


def test_received_block_is_reached_through_the_assignment_its_guard_reads(hdfs: Program) -> None:
    """PacketResponder.run() prints "Received block ... of size ... from" only when the loop body's
    deepest branch set ``lastPacketInBlock``; the shortest way there leaves through a catch where it
    is still false, so z3 rejects it. The rescue pass must find the way through the assignment."""
    entry = next(m for m in hdfs.methods if m.endswith("PacketResponder.run()"))
    received = next(s for s in hdfs.log_statements.values()
                    if s.method == entry and s.template.startswith("Received block"))
    enumerator = PathEnumerator(hdfs, [entry], max_depth=0, per_entry=1)  # the coverage pass alone
    paths = enumerator.run()
    assert received.id in enumerator.stats.reachable_statements
    through = [p for p in paths if received.id in p.statements]
    assert through and not through[0].through_throw
