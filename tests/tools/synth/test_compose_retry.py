"""Retry coupling from the source: a retried failure shows the caller's retry line in between."""

from collections import Counter

from anomalygen.records import Feasibility, Level, LogStatement, Path, Slot
from anomalygen.tools.synth.compose.retry import RetrySources, retry_sources
from anomalygen.tools.synth.compose.sessions import ComposeSettings, compose, learn_entry_order
from anomalygen.tools.synth.labels.rules import LabelRules, failure_level_lines, label_sessions, retry_lines
from anomalygen.tools.synth.model import SynthSession
from anomalygen.tools.synth.params.plan import build_plan
from tests.tools.synth.handbuilt import PATHS, STATEMENTS

RETRY_LINE = LogStatement("Client.java:12", "src/Client.java", 12, Level.INFO,
                          "Retrying transfer of block {} to {} datanodes",
                          (Slot(0, "blockId", "long"), Slot(1, "n", "int")), "org.example.Client")
ALL = (*STATEMENTS, RETRY_LINE)
BY_ID = {s.id: s for s in ALL}
CLIENT, DATANODE = "org.example.Client.write()", "org.example.DataNode.run()"
# The writer's retry branch: it calls into DataNode (submit), so its retry re-runs DataNode.run().
CALLER = Path("p-client-retry", CLIENT, ("Client.java:10", "Client.java:12"), feasibility=Feasibility.SAT,
              methods=(CLIENT, "org.example.Client.transfer()"))
CALLS = {"org.example.Client.transfer()": {"org.example.DataNode.submit(Transfer)"}}
KEPT = [p for p in (*PATHS, CALLER) if p.id != "p-mon-dead"]
BY_PATH = {p.id: p for p in KEPT}
PLAN = build_plan(ALL)
RULES = LabelRules()
UNIT = ["DataNode.java:20", "DataNode.java:30", "NameSystem.java:50"]
# Real blocks never show a retry: every one has exactly three receives.
REAL = [["Client.java:10", *UNIT, *UNIT, *UNIT]] * 5


def _failing(path: Path) -> bool:
    return path.through_catch


def _sources() -> RetrySources:
    return retry_sources(KEPT, retry_lines(BY_ID, RULES), failure_level_lines(BY_ID, RULES),
                         lambda method: CALLS.get(method, ()), _failing)


def test_callers_and_what_they_re_run_come_from_wording_and_calls():
    assert retry_lines(BY_ID, RULES) == frozenset({"Client.java:12"})
    assert failure_level_lines(BY_ID, RULES) == frozenset({"Monitor.java:70"})
    sources = _sources()
    assert dict(sources.targets) == {"p-client-retry": frozenset({DATANODE})}
    assert sources.retried_entries() == frozenset({DATANODE})


def _compose(sources: RetrySources | None, retry_rate: float) -> list[SynthSession]:
    structure = learn_entry_order(REAL, KEPT)
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=4, sessions=70, retry_rate=retry_rate),
                       None, structure, sources)
    return label_sessions(sessions, BY_PATH, BY_ID, RULES)


def test_a_retried_failure_gets_the_callers_retry_line_between_failure_and_retry():
    # The real log never showed a retry, but the source shows a caller that re-runs DataNode.run().
    retried = [s for s in _compose(_sources(), 1.0) if s.retry_of]
    assert retried
    for session in retried:
        statements = [e.statement for e in session.events]
        failed_end = statements.index("DataNode.java:40")
        line = statements.index("Client.java:12")
        retry_start = next(i for i in range(failed_end + 1, len(statements))
                           if statements[i] == "DataNode.java:20")
        assert failed_end < line < retry_start, statements
        assert Counter(statements)["DataNode.java:20"] == 4  # three receives and the retried one
        assert session.rule_label == 0  # recovered by the retry


def test_a_caller_driver_gets_a_failure_to_retry():
    labeled = _compose(_sources(), 0.0)
    driven = [s for i, s in enumerate(labeled) if KEPT[i % len(KEPT)].id == "p-client-retry"]
    assert driven
    for session in driven:
        counts = Counter(e.statement for e in session.events)
        assert counts["Client.java:12"] == 1 and counts["DataNode.java:40"] == 1
        assert counts["DataNode.java:20"] == 4 and counts["DataNode.java:30"] == 3
        assert session.retry_of == {"p-dn-ok": "p-dn-fail"} and session.rule_label == 0


def test_without_callers_a_never_retried_entry_point_stays_unretried():
    labeled = _compose(None, 1.0)
    assert not any(s.retry_of for s in labeled)
    assert not any(e.statement == "Client.java:12" and "p-dn-fail" in s.paths
                   for s in labeled for e in s.events)


def test_a_real_template_with_the_retry_branch_keeps_it_and_orders_its_retry_line():
    # Real blocks that show the repaired failure: the caller's retry branch is in the template.
    retried = ["Client.java:10", "DataNode.java:20", "DataNode.java:40", "Client.java:12",
               *UNIT, *UNIT, *UNIT]
    structure = learn_entry_order([*REAL, retried, retried], KEPT)
    sessions = compose(KEPT, PLAN, _failing, ComposeSettings(seed=6, sessions=70, retry_rate=1.0),
                       None, structure, _sources())
    coupled = [s for s in sessions if s.retry_of]
    assert len(coupled) >= 10
    for session in coupled:
        statements = [e.statement for e in session.events]
        assert statements.count("Client.java:12") == 1  # the template's own, not a second one
        failed_end = len(statements) - 1 - statements[::-1].index("DataNode.java:40")
        line = statements.index("Client.java:12")
        assert failed_end < line < next(i for i in range(failed_end + 1, len(statements))
                                        if statements[i] == "DataNode.java:20"), statements
