"""Real-session structure: one client write, three datanode receives, three namenode records."""

from collections import Counter

from anomalygen.tools.synth.compose.sessions import ComposeSettings, compose, learn_entry_order
from anomalygen.tools.synth.compose.structure import PathCover, learn_structure
from anomalygen.tools.synth.labels.rules import LabelRules, label_sessions
from anomalygen.tools.synth.params.plan import build_plan
from tests.tools.synth.handbuilt import BY_ID, PATHS, STATEMENTS

PLAN = build_plan(STATEMENTS)
KEPT = [p for p in PATHS if p.id != "p-mon-dead"]
BY_PATH = {p.id: p for p in KEPT}
CLIENT, DATANODE = "org.example.Client.write()", "org.example.DataNode.run()"
NAMENODE = "org.example.NameSystem.add()"
# One block's life as real logs print it: the client allocates, three datanodes each receive the
# block and the namenode records every replica.
UNIT = ["DataNode.java:20", "DataNode.java:30", "NameSystem.java:50"]
REAL = [["Client.java:10", *UNIT, *UNIT, *UNIT]] * 5
NORMAL_COUNTS = Counter({"Client.java:10": 1, "DataNode.java:20": 3, "DataNode.java:30": 3,
                         "NameSystem.java:50": 3})


def _failing(path):
    return path.through_catch


def test_path_cover_explains_a_real_session_by_kept_paths():
    found, explained = PathCover(KEPT).cover(REAL[0])
    assert [p.id for p in found] == ["p-client", "p-dn-ok", "p-nn", "p-dn-ok", "p-nn", "p-dn-ok", "p-nn"]
    assert explained == len(REAL[0])


def test_shape_counts_each_entry_points_paths():
    structure = learn_structure(REAL, KEPT, {})
    assert structure.shapes == ((((CLIENT, 1), (DATANODE, 3), (NAMENODE, 3)), 5),)
    assert structure.path_use[DATANODE] == {"p-dn-ok": 15}
    assert structure.explained == 1.0


def test_normal_drivers_reproduce_the_real_multiplicity():
    structure = learn_entry_order(REAL, KEPT)
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=3, sessions=50), None, structure)
    seen_primaries = set()
    for session in sessions:
        primary = KEPT[int(session.id.split("-")[1]) % len(KEPT)]
        seen_primaries.add(primary.id)
        counts = Counter(e.statement for e in session.events)
        if primary.id in ("p-client", "p-dn-ok", "p-nn"):
            assert counts == NORMAL_COUNTS, (primary.id, counts)
        elif primary.id == "p-mon":
            # the monitor never appears in a real session: it stays alone
            assert counts == Counter({"Monitor.java:60": 1})
    assert seen_primaries == {p.id for p in KEPT}


def test_a_failing_driver_takes_one_datanode_place_and_stays_anomalous_without_a_retry():
    structure = learn_entry_order(REAL, KEPT)
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=5, sessions=80, retry_rate=0.0), None,
                       structure)
    labeled = label_sessions(sessions, BY_PATH, BY_ID, LabelRules())
    failing = [s for s in labeled if "p-dn-fail" in s.paths]
    assert failing
    for session in failing:
        counts = Counter(e.statement for e in session.events)
        assert counts["DataNode.java:20"] == 3 and counts["DataNode.java:40"] == 1
        assert counts["DataNode.java:30"] == 2 and counts["NameSystem.java:50"] == 3
        # the two ordinary receives run before the failing one: they are siblings, not retries
        assert session.rule_label == 1
    assert all(s.rule_label == 0 for s in labeled if "p-dn-fail" not in s.paths)


# A real block whose first receive failed and was retried: four datanode runs instead of three.
RETRIED = ["Client.java:10", "DataNode.java:20", "DataNode.java:40", *UNIT, *UNIT, *UNIT]


def test_a_retried_failure_is_followed_by_its_retry_and_is_normal():
    structure = learn_entry_order([*REAL, RETRIED], KEPT)
    # 3 or 4 datanode runs: a retry is possible; the client and the namenode always run as often
    assert structure.fixed_run_entries() == frozenset({CLIENT, NAMENODE})
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=5, sessions=80, retry_rate=1.0), None,
                       structure)
    labeled = label_sessions(sessions, BY_PATH, BY_ID, LabelRules())
    retried = [s for s in labeled if s.retry_of]
    assert retried and all(s.retry_of == {"p-dn-ok": "p-dn-fail"} and s.rule_label == 0 for s in retried)


def test_no_retry_is_invented_for_an_entry_point_real_sessions_never_re_run():
    # Every real block has exactly three receives: a failed receive is never retried there, so a
    # synthetic retry would label an unrepaired failure normal.
    structure = learn_entry_order(REAL, KEPT)
    assert structure.fixed_run_entries() == frozenset({CLIENT, DATANODE, NAMENODE})
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=5, sessions=80, retry_rate=1.0), None,
                       structure)
    labeled = label_sessions(sessions, BY_PATH, BY_ID, LabelRules())
    failing = [s for s in labeled if "p-dn-fail" in s.paths]
    assert failing and not any(s.retry_of for s in labeled)
    assert all(s.rule_label == 1 for s in failing)


def test_without_repeats_in_real_sessions_composition_is_unchanged():
    # No real logs: no shapes, so the composer keeps its role-based companions.
    no_logs = learn_entry_order([], KEPT)
    plain = compose(KEPT, PLAN, _failing, ComposeSettings(seed=9, sessions=20), None, no_logs)
    again = compose(KEPT, PLAN, _failing, ComposeSettings(seed=9, sessions=20))
    assert [s.to_dict() for s in plain] == [s.to_dict() for s in again]


def test_a_statement_seen_only_in_real_anomalies_makes_a_rule_normal_session_anomalous():
    from anomalygen.tools.synth.labels.rules import anomalous_only

    real = [(0, ["Client.java:10", "DataNode.java:20"]), (1, ["NameSystem.java:50"]),
            (None, ["Monitor.java:60"])]
    only = anomalous_only(real)
    assert only == frozenset({"NameSystem.java:50"})
    assert anomalous_only([(None, keys) for _, keys in real]) == frozenset()
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=2, sessions=30))
    plain = label_sessions(sessions, BY_PATH, BY_ID, LabelRules())
    honest = label_sessions(sessions, BY_PATH, BY_ID, LabelRules(), only)
    flipped = [(a, b) for a, b in zip(plain, honest, strict=True) if a.rule_label != b.rule_label]
    assert flipped
    for before, after in flipped:
        assert before.rule_label == 0 and after.rule_label == 1
        assert any(e.statement == "NameSystem.java:50" for e in after.events)
        assert "seen only in real anomalous sessions" in after.reasons[0]


def test_templates_keep_a_recovered_failure_that_real_sessions_couple_with_the_write():
    # Real blocks: one datanode's receive fails, then three receives succeed; the session is normal.
    failed_then_units = ["Client.java:10", "DataNode.java:20", "DataNode.java:40", *UNIT, *UNIT, *UNIT]
    structure = learn_entry_order([failed_then_units] * 4, KEPT)
    assert structure.templates[0] == (("p-client", "p-dn-fail", "p-dn-ok", "p-nn", "p-dn-ok", "p-nn",
                                       "p-dn-ok", "p-nn"), 4)
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=7, sessions=25), None, structure)
    labeled = label_sessions(sessions, BY_PATH, BY_ID, LabelRules())
    client_driven = [s for i, s in enumerate(labeled) if KEPT[i % len(KEPT)].id == "p-client"]
    assert client_driven
    for session in client_driven:
        assert Counter(e.statement for e in session.events) == Counter(failed_then_units)
        assert session.rule_label == 0  # the failed receive is followed by successful ones
