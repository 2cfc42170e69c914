"""Integration: LCFGs and paths over all of ZooKeeper 3.8.0's real source."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.records import Feasibility
from anomalygen.tools.java import Program, load_program
from anomalygen.tools.lcfg import PathEnumerator, build_lcfg, discover_entries, ranked_entries
from anomalygen.tools.lcfg.analysis import analysis_for, is_test_file

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

QUORUM_PEER_RUN = "org.apache.zookeeper.server.quorum.QuorumPeer.run()"
SYNC_RUN = "org.apache.zookeeper.server.SyncRequestProcessor.run()"


@pytest.fixture(scope="module")
def program(zookeeper_src: Path) -> Program:
    return load_program(zookeeper_src)


def _templates(program: Program, entry: str) -> set[str]:
    paths = PathEnumerator(program, [entry], limit=100).run()
    return {program.log_statements[s].template for p in paths for s in p.statements}


def test_every_logging_method_gets_an_lcfg(program: Program) -> None:
    analysis = analysis_for(program)
    assert len(analysis.reach) > 1000
    for method in sorted(analysis.reach):
        lcfg = build_lcfg(program, method)
        assert lcfg.nodes[0].kind == "entry"
        for statement in lcfg.statements:
            assert statement in program.log_statements


def test_entries_are_sane(program: Program) -> None:
    ranked = ranked_entries(program)
    kinds = {mid: kind for mid, kind, _ in ranked}
    assert kinds[QUORUM_PEER_RUN] == 0 and kinds[SYNC_RUN] == 0
    assert any(kind == 1 for kind in kinds.values())  # main methods
    entries = discover_entries(program)
    assert 100 <= len(entries) <= 2000
    assert entries.index(QUORUM_PEER_RUN) < 20
    assert not any(is_test_file(program.methods[m].file) for m in entries)


def test_known_statements_from_known_entries(program: Program) -> None:
    assert {"LOOKING", "FOLLOWING", "LEADING", "QuorumPeer main thread exited"} <= _templates(
        program, QUORUM_PEER_RUN)
    assert "SyncRequestProcessor exited!" in _templates(program, SYNC_RUN)


def test_whole_repository_paths(program: Program) -> None:
    enumerator = PathEnumerator(program, limit=1000)
    paths = enumerator.run()
    stats = enumerator.stats
    assert len(paths) == 1000
    system = {s.id for s in program.log_statements.values() if not is_test_file(s.file)}
    assert len(system) >= 1200
    assert stats.reachable_statements == system  # discovered + fallback entries reach every one
    assert len(stats.covered_statements) >= 0.8 * len(system)
    assert stats.dropped_unsat > 0
    assert {p.feasibility for p in paths} == {Feasibility.SAT, Feasibility.UNKNOWN}
    assert len({p.id for p in paths}) == len(paths)
