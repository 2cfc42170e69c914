"""explain_lines on real logs: loghub ZooKeeper against ZooKeeper 3.8.0, loghub HDFS against Hadoop 0.18.2."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.explain import explain_lines, select_session, session_ids
from anomalygen.tools.explain.render import explanation_text
from anomalygen.tools.java import Program, load_program
from anomalygen.tools.logs import MatchedLine, match_file

pytestmark = [pytest.mark.corpus, pytest.mark.datasets, pytest.mark.slow]


@pytest.fixture(scope="module")
def zookeeper(zookeeper_src: Path, datasets_dir: Path) -> tuple[Program, list[MatchedLine]]:
    program = load_program(zookeeper_src)
    return program, list(match_file(program, datasets_dir / "loghub" / "Zookeeper" / "Zookeeper_2k.log"))


def test_zookeeper_election_notifications_follow_the_worker_receiver_loop(
        zookeeper: tuple[Program, list[MatchedLine]]) -> None:
    program, lines = zookeeper
    session = select_session(lines, "0x1")
    explanation = explain_lines(program, session)
    assert explanation.matched == len(session) == 7 and explanation.grouped_by == "thread"
    receivers = [g for g in explanation.groups if g.key.startswith("WorkerReceiver")]
    assert receivers and all(g.distance == 0 and g.parting is None for g in receivers)
    assert all(g.path is not None and g.path["entry"].endswith("WorkerReceiver.run()") for g in receivers)
    assert explanation.impossible == []


def test_zookeeper_quorum_peer_thread_parts_from_its_main_loop(
        zookeeper: tuple[Program, list[MatchedLine]]) -> None:
    program, lines = zookeeper
    thread = [line for line in lines if line.entry.thread == "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181"][:30]
    explanation = explain_lines(program, thread)
    [group] = explanation.groups
    assert group.path is not None and group.path["entry"].endswith("QuorumPeer.run()")
    assert group.distance is not None and 0 < group.distance < len(group.events)
    looking = next(s.id for s in program.log_statements.values() if s.template == "LOOKING")
    assert looking in group.path["statements"]
    parting = group.parting
    assert parting is not None and any(a.statement == looking for a in parting.alternatives)
    # the LOOKING branch is taken on a peer-state test written in the source
    assert any("getPeerState() == LOOKING" in c for c in parting.taken)
    statuses = {t.status for t in group.transitions}
    assert "direct" in statuses and "none" in statuses
    text = explanation_text(explanation, program.log_statements)
    assert "nearest valid path" in text and "where they part" in text


def test_hdfs_block_sessions_map_to_datanode_and_namenode_paths(hdfs_src: Path, datasets_dir: Path) -> None:
    program = load_program(hdfs_src)
    lines = list(match_file(program, datasets_dir / "loghub" / "HDFS" / "HDFS_2k.log"))
    blocks = [block for block, count in session_ids(lines, 50) if count >= 2]
    assert len(blocks) >= 5
    entries = set()
    for block in blocks:
        explanation = explain_lines(program, select_session(lines, block))
        assert explanation.matched == explanation.lines == 2
        assert explanation.grouped_by == "logger"  # the HDFS layout names no thread
        for group in explanation.groups:
            assert group.path is not None and group.distance is not None and group.distance <= 1
            entries.add(group.path["entry"].split("(")[0].rsplit(".", 2)[-2])
    assert {"FSDataset", "PacketResponder", "FSNamesystem"} <= entries
