from anomalygen.llm.base import Completion, LLMBackend, LLMError
from anomalygen.llm.mock import MockBackend
from anomalygen.llm.none_backend import NoBackend
from anomalygen.tools.synth.compose.sessions import ComposeSettings, compose
from anomalygen.tools.synth.labels.refine import refine
from anomalygen.tools.synth.labels.rules import LabelRules, label_sessions
from anomalygen.tools.synth.params.plan import build_plan
from anomalygen.tools.synth.params.proposals import propose, type_accepts
from tests.tools.synth.handbuilt import BY_ID, PATHS, STATEMENTS

KEPT = [p for p in PATHS if p.id != "p-mon-dead"]


class Failing(LLMBackend):
    name = "failing"

    def complete(self, messages, schema=None) -> Completion:
        raise LLMError("unreachable", kind="unavailable")


def test_type_check_of_proposals():
    assert type_accepts("long", "42") and not type_accepts("long", "forty-two")
    assert type_accepts("boolean", "true") and not type_accepts("boolean", "yes")
    assert type_accepts("String", "ok value") and not type_accepts("String", "two\nlines")
    assert not type_accepts("String", "has {} marker")


def test_proposals_only_for_open_slots_and_only_with_a_backend():
    plan = build_plan(STATEMENTS)
    open_slots = plan.needing_proposals()
    # `path` is a PATH identifier and `intervalMs` a duration: only the free-text `reason` is open
    assert {(p.statement, p.index) for p in open_slots} == {("Monitor.java:70", 0)}
    assert propose(open_slots, BY_ID, NoBackend()).requests == 0
    mock = MockBackend()
    outcome = propose(open_slots, BY_ID, mock)
    assert outcome.requests == 1 and outcome.failures == 0 and len(mock.prompts) == 1
    assert outcome.values[("Monitor.java:70", 0)]  # the mock's strings pass the String type check
    assert propose(open_slots, BY_ID, MockBackend()).values == outcome.values  # deterministic
    failed = propose(open_slots, BY_ID, Failing())
    assert failed.failures == 1 and failed.values == {}


def test_refine_keeps_rule_label_and_falls_back():
    plan = build_plan(STATEMENTS)
    sessions = label_sessions(compose(KEPT, plan, lambda p: p.through_catch, ComposeSettings(seed=1)),
                              {p.id: p for p in KEPT}, BY_ID, LabelRules())
    refined = refine(sessions, BY_ID, MockBackend(), max_sessions=3)
    assert refined.requests == 3
    assert [s.label_source for s in refined.sessions[:3]] == ["llm"] * 3
    assert all(s.label_source == "rules" for s in refined.sessions[3:])
    assert [s.rule_label for s in refined.sessions] == [s.rule_label for s in sessions]
    fallback = refine(sessions, BY_ID, Failing())
    assert fallback.failures == len(sessions)
    assert all(s.label == s.rule_label and s.label_source == "rules-fallback" for s in fallback.sessions)


def test_a_down_server_costs_one_request_not_a_batch():
    from anomalygen.llm.base import Message
    from anomalygen.llm.concurrency import CompletionRequest
    from anomalygen.tools.synth.llm_batch import complete_all

    class Counting(LLMBackend):
        name = "counting"

        def __init__(self, kind: str) -> None:
            super().__init__()
            self.kind, self.sent = kind, 0

        def complete(self, messages, schema=None) -> Completion:
            self.sent += 1
            raise LLMError("no", kind=self.kind)

    requests = [CompletionRequest([Message("user", f"q{i}")]) for i in range(6)]
    down = Counting("transport")
    answers = complete_all(down, requests, concurrency=2)
    assert down.sent == 1 and len(answers) == 6 and all(isinstance(a, LLMError) for a in answers)
    invalid = Counting("invalid")  # a bad answer says nothing about the next request: all are sent
    complete_all(invalid, requests, concurrency=2)
    assert invalid.sent == 6
