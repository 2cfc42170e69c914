import json

import pytest

from anomalygen.tools.synth.labels.rules import LabelRules, failure_reasons, label_session
from anomalygen.tools.synth.model import SynthEvent, SynthSession
from tests.tools.synth.handbuilt import BY_ID, PATHS

PATHS_BY_ID = {p.id: p for p in PATHS}


def _session(*path_ids: str, retry_of: dict[str, str] | None = None) -> SynthSession:
    events = tuple(SynthEvent(sid, pid, PATHS_BY_ID[pid].entry) for pid in path_ids
                   for sid in PATHS_BY_ID[pid].statements)
    return SynthSession("s", events, tuple(dict.fromkeys(path_ids)), retry_of or {})


def test_failure_rules():
    rules = LabelRules()
    assert "passes a catch block" in failure_reasons(PATHS_BY_ID["p-dn-fail"], BY_ID, rules)
    assert any("ERROR" in r for r in failure_reasons(PATHS_BY_ID["p-mon-dead"], BY_ID, rules))
    assert failure_reasons(PATHS_BY_ID["p-dn-ok"], BY_ID, rules) == []
    wording = failure_reasons(PATHS_BY_ID["p-dn-fail"], BY_ID, LabelRules(catch=False))
    assert any("exception" in r for r in wording)
    assert failure_reasons(PATHS_BY_ID["p-dn-fail"], BY_ID, LabelRules(catch=False, words=())) == []


def test_recovery_aware_labels():
    rules = LabelRules()
    assert label_session(_session("p-client", "p-dn-ok"), PATHS_BY_ID, BY_ID, rules)[0] == 0
    label, reasons = label_session(_session("p-client", "p-dn-fail"), PATHS_BY_ID, BY_ID, rules)
    assert label == 1 and reasons
    label, reasons = label_session(_session("p-dn-fail", "p-dn-ok"), PATHS_BY_ID, BY_ID, rules)
    assert label == 0 and "recovered" in reasons[0]
    # success *before* the failure does not recover it
    assert label_session(_session("p-dn-ok", "p-dn-fail"), PATHS_BY_ID, BY_ID, rules)[0] == 1
    strict = LabelRules(recovery_aware=False)
    assert label_session(_session("p-dn-fail", "p-dn-ok"), PATHS_BY_ID, BY_ID, strict)[0] == 1


def test_rules_from_toml_and_json(tmp_path):
    toml = tmp_path / "rules.toml"
    toml.write_text('[labels]\nwords = ["Broken"]\nrecovery_aware = false\nlevels = ["fatal"]\n')
    rules = LabelRules.from_file(toml)
    assert rules.words == ("broken",) and rules.levels == ("FATAL",) and not rules.recovery_aware
    js = tmp_path / "rules.json"
    js.write_text(json.dumps({"catch": False}))
    assert LabelRules.from_file(js).catch is False
    js.write_text(json.dumps({"colour": "red"}))
    with pytest.raises(ValueError, match="unknown label rule"):
        LabelRules.from_file(js)
    js.write_text(json.dumps({"levels": ["LOUD"]}))
    with pytest.raises(ValueError):
        LabelRules.from_file(js)


def test_retry_loop_inside_one_path_is_a_recovery():
    from anomalygen.records import Level, LogStatement, Path

    made = {sid: LogStatement(sid, "W.java", n, level, text) for n, (sid, level, text) in enumerate([
        ("mirror-error", Level.WARN, "Exception writing to mirror {}"),
        ("give-up", Level.WARN, "Giving up on replica: the failure is not retryable"),
        ("retry", Level.INFO, "Retrying transfer (attempt {} of {})"),
        ("done", Level.INFO, "Completed write"),
        ("failed", Level.ERROR, "Failed to write block"),
    ])}
    rules = LabelRules()
    recovered = Path("r", "W.handle()", ("mirror-error", "retry", "done"), through_catch=True)
    assert failure_reasons(recovered, made, rules) == []
    events = tuple(SynthEvent(sid, "r", "W.handle()") for sid in recovered.statements)
    expected = (0, ("r recovered by a retry within the path",))
    assert label_session(SynthSession("s", events, ("r",)), {"r": recovered}, made, rules) == expected
    # the retry is often announced before the attempt that fails
    assert failure_reasons(Path("b", "W.handle()", ("retry", "mirror-error", "done")), made, rules) == []
    # the retry did not help: the path ends failing
    assert failure_reasons(Path("f", "W.handle()", ("mirror-error", "retry", "failed")), made, rules)
    # a failure that says it will not be retried is not repaired by a retry line around it
    for order in (("give-up", "retry", "done"), ("retry", "give-up", "done")):
        assert failure_reasons(Path("x", "W.handle()", order), made, rules)
    assert failure_reasons(Path("x", "W.handle()", ("retry", "give-up", "done")), made,
                           LabelRules(terminal_words=())) == []
    # "not retryable" inside the failing line itself is not a retry
    assert failure_reasons(Path("g", "W.handle()", ("give-up", "done")), made, rules)
    # a path leaving through a throw is never recovered, and the rule can be switched off
    assert failure_reasons(Path("t", "W.handle()", recovered.statements, through_throw=True), made, rules)
    assert failure_reasons(recovered, made, LabelRules(recovery_aware=False))
