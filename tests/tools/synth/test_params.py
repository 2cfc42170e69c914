import re

from anomalygen.tools.synth.params.consistency import measure
from anomalygen.tools.synth.params.plan import SessionFiller, build_plan
from anomalygen.tools.synth.render import matches_template, render
from tests.tools.synth.handbuilt import BY_ID, STATEMENTS

SESSION = ["Client.java:10", "DataNode.java:20", "DataNode.java:30", "NameSystem.java:50", "DataNode.java:20"]


def test_block_id_is_bound_across_the_session_and_fresh_per_session():
    filler = SessionFiller(build_plan(STATEMENTS), seed=7)
    values = filler.fill("s1", SESSION)
    blocks = {values[0][0], values[1][0], values[2][0], values[3][1], values[4][0]}
    assert len(blocks) == 1 and re.fullmatch(r"blk_-?\d+", blocks.pop())
    assert values[1][1] == values[2][2]  # same src along the pipeline
    assert values[1][2] == values[3][0]  # the dest that receives is the one the namenode records
    other = filler.fill("s2", SESSION)
    assert other[0][0] != values[0][0]


def test_fill_is_deterministic_for_a_seed():
    plan = build_plan(STATEMENTS)
    assert SessionFiller(plan, 3).fill("s", SESSION) == SessionFiller(plan, 3).fill("s", SESSION)
    assert SessionFiller(plan, 3).fill("s", SESSION) != SessionFiller(plan, 4).fill("s", SESSION)


def test_observed_values_come_first_for_non_identifiers_and_peers():
    observed = {"DataNode.java:30": [("blk_1", "2866176", "DFSClient_1"), ("blk_2", "4096", "DFSClient_1")],
                "DataNode.java:20": [("blk_1", "DFSClient_1", "10.250.11.101:50010")]}
    plan = build_plan(STATEMENTS, observed)
    sizes = {SessionFiller(plan, 1).fill(f"s{i}", ["DataNode.java:30"])[0][1] for i in range(20)}
    assert sizes <= {"2866176", "4096"}
    values = SessionFiller(plan, 1).fill("s", ["DataNode.java:20"])[0]
    assert values[2] == "10.250.11.101:50010"  # a real peer address
    assert values[0] not in {"blk_1", "blk_2"}  # block ids are never copied from real sessions
    assert plan.slots["DataNode.java:30"][1].role.role == "size:size"  # a size is bound per session


def test_one_objects_size_prints_one_value_in_a_session():
    """HDFS printed a block's size in "Received block" and again in "addStoredBlock": one number."""
    observed = {"DataNode.java:30": [("blk_1", "2866176", "DFSClient_1"), ("blk_2", "4096", "DFSClient_1")]}
    plan = build_plan(STATEMENTS, observed)
    filler = SessionFiller(plan, 2)
    for i in range(20):
        values = filler.fill(f"s{i}", ["DataNode.java:30", "DataNode.java:30"], [0, 1])
        assert values[0][1] == values[1][1]


def test_consistency_is_one_when_bound_and_drops_when_unbound():
    plan = build_plan(STATEMENTS)
    bound = SessionFiller(plan, 0)
    unbound = SessionFiller(plan, 0, bind=False)
    sessions = [f"s{i}" for i in range(30)]
    good = measure(plan, ([(sid, v, 0) for sid, v in zip(SESSION, bound.fill(s, SESSION), strict=True)]
                          for s in sessions))
    bad = measure(plan, ([(sid, v, 0) for sid, v in zip(SESSION, unbound.fill(s, SESSION), strict=True)]
                         for s in sessions))
    assert good.shared == 30 and good.score == 1.0
    assert bad.score < 0.5


def test_rendered_lines_match_their_templates():
    plan = build_plan(STATEMENTS)
    for sid, values in zip(SESSION, SessionFiller(plan, 0).fill("x", SESSION), strict=True):
        text = render(BY_ID[sid].template, values)
        assert "{}" not in text and matches_template(text, BY_ID[sid].template)


def test_plan_round_trips_through_plain_data():
    plan = build_plan(STATEMENTS, {"DataNode.java:30": [("a", "1", "b")]})
    from anomalygen.tools.synth.params.plan import ParameterPlan

    assert ParameterPlan.from_dict(plan.to_dict()).to_dict() == plan.to_dict()
