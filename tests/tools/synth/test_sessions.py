from anomalygen.records import Path
from anomalygen.tools.synth.compose.sessions import ComposeSettings, compose, fill, learn_precedence
from anomalygen.tools.synth.params.plan import SessionFiller, build_plan
from tests.tools.synth.handbuilt import PATHS, STATEMENTS

PLAN = build_plan(STATEMENTS)
KEPT = [p for p in PATHS if p.id != "p-mon-dead"]


def _failing(path: Path) -> bool:
    return bool(path.through_catch)


def test_every_path_is_a_primary_and_companions_share_an_identifier():
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=1))
    assert len(sessions) == len(KEPT)
    assert {s.paths[0] for s in sessions} | {p for s in sessions for p in s.paths} >= {p.id for p in KEPT}
    entries = {p.id: p.entry for p in KEPT}
    for session in sessions:
        # the monitor shares no identifier with anyone: it is always alone
        if any(entries[p].startswith("org.example.Monitor") for p in session.paths):
            assert len(session.paths) == 1
    assert any(len({entries[p] for p in s.paths}) >= 2 for s in sessions)


def test_interleaving_keeps_each_paths_own_order():
    by_id = {p.id: p for p in KEPT}
    for session in compose(KEPT, PLAN, _failing, ComposeSettings(seed=5, sessions=40)):
        for pid in session.paths:
            own = [e.statement for e in session.events if e.path == pid]
            assert own == list(by_id[pid].statements)
        stamps = [e.timestamp for e in session.events]
        assert stamps == sorted(stamps)


def test_failed_primary_may_be_retried_by_a_successful_path_of_its_entry():
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=0, sessions=60, retry_rate=1.0))
    retried = [s for s in sessions if s.retry_of]
    assert retried and all(s.retry_of == {"p-dn-ok": "p-dn-fail"} for s in retried)
    for session in retried:
        order = [e.path for e in session.events if e.path in ("p-dn-fail", "p-dn-ok")]
        assert order.index("p-dn-ok") > len(order) - 1 - order[::-1].index("p-dn-fail")


def test_compose_is_deterministic_and_seed_dependent():
    first = compose(KEPT, PLAN, _failing, ComposeSettings(seed=9, sessions=20))
    again = compose(KEPT, PLAN, _failing, ComposeSettings(seed=9, sessions=20))
    other = compose(KEPT, PLAN, _failing, ComposeSettings(seed=10, sessions=20))
    assert [s.to_dict() for s in first] == [s.to_dict() for s in again]
    assert [s.to_dict() for s in first] != [s.to_dict() for s in other]


def test_real_precedence_orders_the_merge():
    # Real sessions always show the namenode line before the client's: the merge must follow.
    precedence = learn_precedence([["NameSystem.java:50", "Client.java:10"]] * 5)
    assert precedence[("NameSystem.java:50", "Client.java:10")] == 5
    client = [p for p in KEPT if p.id == "p-client"]
    namenode = [p for p in KEPT if p.id == "p-nn"]
    settings = ComposeSettings(seed=3, sessions=20)
    for session in compose(client + namenode, PLAN, _failing, settings, precedence):
        order = [e.statement for e in session.events]
        if len(order) == 2:
            assert order == ["NameSystem.java:50", "Client.java:10"]


def test_fill_gives_values_to_every_slot():
    sessions = fill(compose(KEPT, PLAN, _failing, ComposeSettings(seed=1)), SessionFiller(PLAN, 1))
    by_id = {s.id: s for s in STATEMENTS}
    for session in sessions:
        for event in session.events:
            assert len(event.params) == len(by_id[event.statement].slots)


def test_entry_order_learned_from_real_sessions_decides_who_starts():
    from anomalygen.tools.synth.compose.sessions import learn_entry_order

    # Real sessions: the namenode's line always comes before the datanode's and the client's.
    real = [["NameSystem.java:50", "DataNode.java:20", "Client.java:10"]] * 4
    order = learn_entry_order(real, KEPT)
    assert order.entry_order[("org.example.NameSystem.add()", "org.example.DataNode.run()")] == 4
    # DataNode.java:20 is on two paths of one entry: still unambiguous for the entry point
    assert order.entry_order[("org.example.DataNode.run()", "org.example.Client.write()")] == 4
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=4, sessions=30), None, order)
    entries = {p.id: p.entry for p in KEPT}
    for session in sessions:
        involved = {entries[p] for p in session.paths}
        if "org.example.NameSystem.add()" in involved and len(involved) > 1:
            assert session.events[0].entry == "org.example.NameSystem.add()"


def test_an_anomaly_share_sets_how_often_a_failing_path_drives_a_session():
    by_id = {p.id: p for p in KEPT}
    failing_paths = {p.id for p in KEPT if _failing(p)}
    assert 0 < len(failing_paths) < len(KEPT)
    # in turn, every kept path drives as many sessions: the failing share is theirs
    turns = compose(KEPT, PLAN, _failing, ComposeSettings(seed=2, sessions=400))
    in_turn = sum(1 for s in turns if s.paths[0] in failing_paths) / len(turns)
    assert abs(in_turn - len(failing_paths) / len(KEPT)) < 0.02
    shared = compose(KEPT, PLAN, _failing, ComposeSettings(seed=2, sessions=400, anomaly_share=0.05))
    driven = [by_id[s.paths[0]] for s in shared]
    assert 0.02 <= sum(1 for p in driven if _failing(p)) / len(driven) <= 0.09
    # each kind still takes its paths in turn: every successful path drives some session
    assert {p.id for p in driven} >= {p.id for p in KEPT if not _failing(p)}
