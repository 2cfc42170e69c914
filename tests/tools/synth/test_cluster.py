"""One run prints one set of machines: peers come from the run's cluster, not fresh per session."""

import random
import re

import pytest

from anomalygen.tools.synth.params.cluster import DEFAULT_SIZE, PeerReuse, cluster_for
from anomalygen.tools.synth.params.consistency import session_agrees
from anomalygen.tools.synth.params.plan import SessionFiller, build_plan
from anomalygen.tools.synth.params.roles import SlotRole, ValueKind
from tests.tools.synth.handbuilt import STATEMENTS

SESSION = ["Client.java:10", "DataNode.java:20", "DataNode.java:30", "NameSystem.java:50", "DataNode.java:40"]
_IP = re.compile(r"\d+\.\d+\.\d+\.\d+")


def _host(value: str) -> str:
    match = _IP.search(value)
    assert match, value
    return match[0]


def _peers(values: list[tuple[str, ...]]) -> dict[str, str]:
    """src, dest and mirror of one filled session (DataNode.java:20 and :40)."""
    return {"src": values[1][1], "dest": values[1][2], "mirror": values[4][1]}


def test_a_run_without_logs_draws_its_peers_from_one_small_cluster() -> None:
    filler = SessionFiller(build_plan(STATEMENTS), seed=5)
    sessions = [_peers(filler.fill(f"s{i}", SESSION)) for i in range(300)]
    hosts = {_host(value) for peers in sessions for value in peers.values()}
    assert hosts == set(filler.cluster.hosts) and len(hosts) == DEFAULT_SIZE
    # before the cluster every session drew new addresses: 300 sessions x 3 roles
    for peers in sessions:  # three roles of one session are three machines
        assert len({_host(v) for v in peers.values()}) == 3


def test_an_address_role_keeps_one_service_port_for_the_whole_run() -> None:
    cluster = cluster_for([], seed=1)
    dest = SlotRole(ValueKind.ADDRESS, "dest", "address:dest")
    ports = {cluster.draw(dest, random.Random(i), set()).rsplit(":", 1)[1] for i in range(50)}
    assert len(ports) == 1 and cluster.port("address:dest") in ports
    # a client-side role is printed with an ephemeral port when the run's draw says so
    client = next(r for r in (f"address:client{i}" for i in range(50)) if cluster.port(r) is None)
    role = SlotRole(ValueKind.ADDRESS, "client", client)
    assert len({cluster.draw(role, random.Random(i), set()) for i in range(50)}) > 10


def test_real_peer_ips_are_the_cluster_and_fill_roles_the_log_never_showed() -> None:
    observed = {"DataNode.java:20": [("blk_1", "10.250.11.101:50010", "10.250.14.8:50010")]}
    plan = build_plan(STATEMENTS, observed)
    filler = SessionFiller(plan, seed=2)
    assert filler.cluster.hosts == ("10.250.11.101", "10.250.14.8") and filler.cluster.observed
    for i in range(40):
        values = filler.fill(f"s{i}", SESSION)
        mirror = values[4][1]  # DataNode.java:40's mirror: no real line showed it
        assert _host(mirror) in filler.cluster.hosts
        assert values[1][1] in {"10.250.11.101:50010", "10.250.14.8:50010"}  # src as logged


def test_service_ports_are_the_ports_real_logs_printed_on_several_hosts() -> None:
    real = ["/10.0.0.1:3888", "/10.0.0.2:3888", "10.0.0.3:2181", "10.0.0.1:2181", "/10.0.0.9:52811"]
    cluster = cluster_for(real, seed=0)
    assert cluster.hosts == ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.9")
    assert cluster.service_ports == ("2181", "3888")  # 52811: one client's ephemeral port
    roles = (f"address:quorum{i}" for i in range(20))
    assert {cluster.port(role) for role in roles} <= {"2181", "3888"}


def test_an_observed_peer_is_not_given_to_a_second_role_of_the_session() -> None:
    observed = {"DataNode.java:20": [("blk_1", "10.0.0.1:50010", "10.0.0.2:50010")]}
    plan = build_plan(STATEMENTS, observed)
    # three hosts known, src and dest observed: the mirror must be the third one
    filler = SessionFiller(plan, seed=3, cluster=cluster_for(["10.0.0.1", "10.0.0.2", "10.0.0.3"], 3))
    for i in range(30):
        peers = _peers(filler.fill(f"s{i}", SESSION))
        if _host(peers["src"]) != _host(peers["dest"]):
            assert _host(peers["mirror"]) not in {
                _host(peers["src"]), _host(peers["dest"])}


def test_the_cluster_is_a_function_of_the_seed() -> None:
    assert cluster_for([], 4) == cluster_for([], 4) and cluster_for([], 4) != cluster_for([], 5)
    assert len(set(cluster_for([], 4, size=200).hosts)) == 200
    with pytest.raises(ValueError, match="cluster size"):
        cluster_for([], 4, size=0)


def test_peer_reuse_counts_hosts_another_slot_of_the_session_printed() -> None:
    tally = PeerReuse()
    tally.new_session()
    # HDFS: a receive names its datanode twice (src and dest), the block map names it again
    tally.add("receive", ("blk_1", "/10.0.0.1:41000", "/10.0.0.1:50010"))
    tally.add("receive", ("blk_1", "/10.0.0.2:41001", "/10.0.0.2:50010"))
    tally.add("added", ("10.0.0.2:50010", "blk_1"))
    tally.add("added", ("10.0.0.9:50010", "blk_1"))
    # could be: the first dest (src printed), both slots of the 2nd receive, both block map lines
    assert (tally.reused, tally.possible) == (3, 5)
    tally.new_session()  # hosts of another session are not this one's
    tally.add("added", ("10.0.0.1:50010", "blk_2"))
    assert (tally.reused, tally.possible) == (3, 5)


def test_with_a_reuse_rate_a_sessions_roles_print_its_hosts_again() -> None:
    plan = build_plan(STATEMENTS)
    session = ["DataNode.java:20", "DataNode.java:30", "NameSystem.java:50"]
    unchanged = SessionFiller(plan, seed=4)
    assert SessionFiller(plan, seed=4, reuse=0.0).fill("s", session) == unchanged.fill("s", session)
    filler = SessionFiller(plan, seed=4, reuse=1.0)
    for i in range(30):
        receive, received, added = filler.fill(f"s{i}", session)
        # the first role draws a host, every later role prints one of the session's hosts again
        assert {_host(received[2]), _host(added[0])} <= {_host(receive[1]), _host(receive[2])}


def test_a_loop_prints_a_run_scoped_peer_once_per_turn_and_stays_consistent() -> None:
    # the namenode's record printed three times in one run: once per replica, in a loop
    plan = build_plan(STATEMENTS, repeated={"NameSystem.java:50"})
    filler = SessionFiller(plan, seed=1)
    events = ["NameSystem.java:50"] * 3
    values = filler.fill("s", events, runs=[0, 0, 0])
    assert len({v[0] for v in values}) == 3  # three datanodes, not one printed three times
    assert session_agrees(plan, [(sid, v, 0) for sid, v in zip(events, values, strict=True)]) == (True, True)
