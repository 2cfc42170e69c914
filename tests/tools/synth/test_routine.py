"""What an unlabelled real log prints routinely is not failure evidence."""

from collections import Counter

from anomalygen.tools.synth.labels.rules import LabelRules, failure_reasons, statement_failures
from anomalygen.tools.synth.real_logs import routine_statements
from tests.tools.synth.handbuilt import BY_ID, PATHS


def test_statements_in_a_tenth_of_an_unlabelled_logs_sessions_are_routine() -> None:
    printed = Counter({"hangup": 30, "rare-error": 2})
    assert routine_statements(printed, sessions=100, labelled=0) == ["hangup"]
    assert routine_statements(printed, sessions=100, labelled=5) == []  # labels say what failed
    assert routine_statements(printed, sessions=10, labelled=0) == []  # too few to tell


def test_a_routine_warning_and_the_catch_it_reports_do_not_fail_a_path() -> None:
    failing = next(p for p in PATHS if p.through_catch and "DataNode.java:40" in p.statements)
    rules = LabelRules()
    assert statement_failures(BY_ID["DataNode.java:40"], rules) and failure_reasons(failing, BY_ID, rules)
    routine = rules.with_routine(["DataNode.java:40"])
    assert statement_failures(BY_ID["DataNode.java:40"], routine) == []
    assert failure_reasons(failing, BY_ID, routine) == []
    # the rules survive the run's settings, where they travel as a dict
    assert LabelRules.from_mapping(routine.to_dict()) == routine
