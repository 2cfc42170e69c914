"""Sessions with the structure of real ones: unlabelled real sessions judged by what they print,
and new normal paths that keep the count relations every real normal session keeps."""

from collections import Counter

import pytest

from anomalygen.tools.synth.compose.structured import compose_structured, learn
from anomalygen.tools.synth.compose.timeline import (
    TimelineSettings,
    _precedence,
    _proportions,
    _violated,
    keeps_proportions,
    kept_order,
)
from anomalygen.tools.synth.labels.rules import LabelRules, statement_failures
from anomalygen.tools.synth.model import SynthSession
from tests.tools.synth.handbuilt import BY_ID, PATHS

KEPT = [p for p in PATHS if p.id != "p-mon-dead"]
BLOCK = ["Client.java:10", *["DataNode.java:20", "DataNode.java:30", "NameSystem.java:50"] * 3]
GOOD = ["DataNode.java:20", "DataNode.java:30", "NameSystem.java:50"]
FAILED = ["Client.java:10", *GOOD * 2, "DataNode.java:20", "DataNode.java:40"]
RECOVERED = [*FAILED, *GOOD]


def _failing_line(sid: str) -> bool:
    # the handbuilt WARN "Exception writing block" is a failure by its wording
    return sid in BY_ID and bool(statement_failures(BY_ID[sid], LabelRules()))


def test_proportions_are_the_exact_count_ratios_of_real_normal_sessions():
    counts = [Counter(BLOCK)] * 4 + [Counter(BLOCK + BLOCK[1:4])]
    classes = _proportions(counts)
    # one allocation per three receives breaks in the fifth session: only the receives stay bound
    assert [sorted(e for e, _ in c) for c in classes] == [["DataNode.java:20", "DataNode.java:30",
                                                           "NameSystem.java:50"]]
    assert keeps_proportions(Counter(BLOCK), classes)
    assert not keeps_proportions(Counter(BLOCK[:-1]), classes)  # a receive without its record


def test_events_seen_in_fewer_than_three_sessions_bind_nothing():
    assert _proportions([Counter(BLOCK), Counter(BLOCK)]) == ()


def test_unlabelled_real_sessions_are_judged_by_the_failures_they_print():
    sessions = [(BLOCK, None)] * 5 + [(FAILED, None), (RECOVERED, None)]
    plan = learn(KEPT, BY_ID, sessions, lambda sid: sid, _failing_line)
    # a failed receive with no later receive of the same datanode thread is anomalous; one that
    # another receive follows is recovered, as the label rules say of synthetic sessions
    assert len(plan.model.anomalous) == 1 and len(plan.model.normal) == 6
    assert plan.model.anomaly_tokens == frozenset()  # rule judgements are not the real data's labels
    unjudged = learn(KEPT, BY_ID, sessions, lambda sid: sid)
    assert len(unjudged.model.anomalous) == 0


def test_new_normal_paths_keep_every_real_count_relation():
    sessions = [(BLOCK, 0)] * 6
    plan = learn(KEPT, BY_ID, sessions, lambda sid: sid, _failing_line)
    composed = compose_structured(plan, KEPT, lambda p: p.through_catch, seed=3, count=200,
                                  settings=TimelineSettings(variant_rate=1.0, anomaly_share=0.2,
                                                            recovery_rate=0.0))
    normal = [s for s in composed if s.label == 0]
    anomalous = [s for s in composed if s.label == 1]
    assert normal and anomalous
    for session in normal:
        assert keeps_proportions(Counter(e.statement for e in session.events), plan.model.proportions)
    # an anomalous session takes the failing receive in place of a good one
    assert all(any(e.statement == "DataNode.java:40" for e in s.events) for s in anomalous)


def test_a_new_path_louder_than_its_entry_points_real_normals_is_a_failure():
    plan = learn(KEPT, BY_ID, [(BLOCK, 0)] * 6, lambda sid: sid, _failing_line)
    settings = TimelineSettings(anomaly_share=1.0, recovery_rate=0.0)

    def anomalous(severity: bool) -> list[SynthSession]:
        # no path fails by the rules here: only its level can make the WARN receive a failure
        composed = compose_structured(plan, KEPT, lambda p: False, seed=3, count=40, settings=settings,
                                      severity=(lambda sid: BY_ID[sid].level.severity) if severity
                                      else (lambda sid: 0))
        return [s for s in composed if s.label == 1]

    assert anomalous(severity=False) == []  # nothing to fail with: every session stays normal
    louder = anomalous(severity=True)  # real DataNode normals print INFO only
    assert louder and all(any(e.statement == "DataNode.java:40" for e in s.events) for s in louder)


def test_a_recovered_failure_is_followed_by_a_successful_attempt_and_stays_normal():
    plan = learn(KEPT, BY_ID, [(BLOCK, 0)] * 6, lambda sid: sid, _failing_line)
    composed = compose_structured(plan, KEPT, lambda p: p.through_catch, seed=5, count=50,
                                  settings=TimelineSettings(anomaly_share=0.0, recovery_rate=1.0,
                                                            unretried_recovery_rate=1.0))
    recovered = [s for s in composed if any(e.statement == "DataNode.java:40" for e in s.events)]
    assert len(recovered) == 50 and all(s.label == 0 for s in recovered)
    for session in recovered:
        order = [e.statement for e in session.events]
        failed = order.index("DataNode.java:40")
        # the failed attempt does not replace the three receives a block needs: one more follows it
        assert "DataNode.java:30" in order[failed:]
        assert order.count("DataNode.java:20") == 4 and order.count("DataNode.java:30") == 3
        assert any("failed, then" in why for why in session.reasons)


WRITE_THEN_DELETE = ["alloc", "recv", "recv", "stored", "stored", "delete", "delete"]


def test_precedence_is_what_every_real_normal_session_prints_in_one_order():
    sessions = [WRITE_THEN_DELETE] * 4 + [["alloc", "recv", "stored", "recv", "stored"]]
    rules = _precedence(sessions)
    assert {("alloc", "recv"), ("alloc", "stored"), ("stored", "delete"), ("recv", "delete")} <= rules.keys()
    assert rules["alloc", "recv"] == 0.0  # never broken
    # receives and records interleave in the fifth session: one in five is too many for a rule
    assert ("recv", "stored") not in rules and ("stored", "recv") not in rules
    # an order two sessions show says nothing
    assert _precedence([["a", "b"], ["a", "b"]]) == {}
    # one session in twenty breaking an order leaves a rule broken as often
    assert _precedence([["a", "b"]] * 19 + [["b", "a"]]) == {("a", "b"): pytest.approx(0.05)}


def test_kept_order_moves_events_back_behind_their_phase_and_keeps_each_runs_order():
    rules = _precedence([WRITE_THEN_DELETE] * 3)
    # a deletion jittered amid the records; run 3 prints stored then delete itself
    events = [("alloc", 0), ("recv", 1), ("delete", 2), ("stored", 3), ("recv", 1), ("delete", 3)]
    order = kept_order(events, rules)
    tokens = [events[i][0] for i in order]
    assert tokens == ["alloc", "recv", "recv", "stored", "delete", "delete"]
    assert order.index(3) < order.index(5)  # run 3's own order
    # the real session a composed one was drawn from may break an order: it is exempt
    odd = ["alloc", "recv", "stored", "delete", "recv"]
    exempt = _violated(odd, rules)
    assert exempt == {("recv", "delete"), ("recv", "stored")}
    assert kept_order([(t, n) for n, t in enumerate(odd)], rules.keys() - exempt) == [0, 1, 2, 3, 4]


def test_a_run_whose_own_order_clashes_with_the_rules_keeps_its_order():
    rules = _precedence([WRITE_THEN_DELETE] * 3)
    events = [("delete", 0), ("alloc", 0)]  # a new path printing them the other way round
    assert kept_order(events, rules) == [0, 1]


def test_normal_sessions_recover_from_a_failure_as_often_as_real_normal_ones_do():
    # HDFS's real normal blocks never fail and recover: composed ones must not either
    never = learn(KEPT, BY_ID, [(BLOCK, 0)] * 6, lambda sid: sid, _failing_line)
    assert never.model.recovered_share == 0.0
    # a failure no later attempt of its entry point recovers is not a recovery
    unrecovered = learn(KEPT, BY_ID, [(BLOCK, 0)] * 3 + [(FAILED, 0)], lambda sid: sid, _failing_line)
    assert unrecovered.model.recovered_share == 0.0
    some = learn(KEPT, BY_ID, [(BLOCK, 0)] * 3 + [(RECOVERED, 0)], lambda sid: sid, _failing_line)
    assert some.model.recovered_share == pytest.approx(1 / 4)


def test_rare_real_kinds_of_session_are_drawn_more_often_below_power_one():
    rare = RECOVERED  # a failed receive and its retry: a set of events of its own
    plan = learn(KEPT, BY_ID, [(BLOCK, 0)] * 24 + [(rare, 0)], lambda sid: sid, _failing_line)

    def share(power: float) -> float:
        settings = TimelineSettings(anomaly_share=0.0, recovery_rate=0.0, variant_rate=0.0, mix_rate=0.0,
                                    shape_power=power)
        composed = compose_structured(plan, KEPT, lambda p: False, seed=1, count=400, settings=settings)
        return sum(len(s.events) == len(rare) for s in composed) / 400

    assert 0.01 < share(1.0) < 0.08  # the real rate, 1 in 25
    assert 0.12 < share(0.5) < 0.25  # 1 : 24 ** 0.5, about 1 in 5.9


def test_a_failure_nobody_retries_is_recovered_from_only_at_the_rate_real_sessions_allow():
    plan = learn(KEPT, BY_ID, [(BLOCK, 0)] * 6, lambda sid: sid, _failing_line)
    assert plan.model.recovery_rate == pytest.approx(0.05)  # 3 / 6 allowed, at most the default
    big = learn(KEPT, BY_ID, [(BLOCK, 0)] * 600, lambda sid: sid, _failing_line)
    assert big.model.recovery_rate == pytest.approx(3 / 600)  # none of 600 recovers: the rule of three

    def recovered(retry_lines: frozenset[str]) -> int:
        settings = TimelineSettings(anomaly_share=0.0, recovery_rate=1.0, unretried_recovery_rate=0.0)
        composed = compose_structured(plan, KEPT, lambda p: p.through_catch, seed=5, count=40,
                                      settings=settings, retry_lines=retry_lines)
        return sum(any(e.statement == "DataNode.java:40" for e in s.events) for s in composed)

    assert recovered(frozenset()) == 0  # nobody says it retries: no invented recovery
    assert recovered(frozenset({"Client.java:10"})) == 40  # the client's line says the retry
