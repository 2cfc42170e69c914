"""z3 feasibility of condition lists: contradictions dropped, untranslated parts kept as UNKNOWN."""

from __future__ import annotations

import pytest

from anomalygen.records import Condition, Feasibility
from anomalygen.tools.lcfg import check_feasibility
from anomalygen.tools.lcfg.exprs import parse_condition

SAT, UNSAT, UNKNOWN = Feasibility.SAT, Feasibility.UNSAT, Feasibility.UNKNOWN


def c(expression: str, holds: bool = True, kind: str = "if", scope: str = "") -> Condition:
    return Condition(expression, holds, kind=kind, scope=scope)


@pytest.mark.parametrize(("conditions", "expected"), [
    ([c("x > 5"), c("x < 3")], UNSAT),
    ([c("x > 5"), c("x < 3", False)], SAT),
    ([c("x > 5 && x < 3")], UNSAT),
    ([c("a.isReady()"), c("!a.isReady()")], UNSAT),
    ([c("x = 5", kind="assign"), c("x > 3", False)], UNSAT),
    ([c("x = 5", kind="assign"), c("x > 3")], SAT),
    ([c("x = 5", kind="assign"), c("x = x + 1", kind="assign"), c("x == 6")], SAT),
    ([c("x = 5", kind="assign"), c("x = x + 1", kind="assign"), c("x == 5")], UNSAT),
    ([c("x > 5", scope="0"), c("x < 3", scope="1")], SAT),
    ([c("s == null"), c('s.equals("a")')], UNSAT),
    ([c('"a".equals(s)'), c('s.equals("b")')], UNSAT),
    ([c("st == State.RUNNING"), c("st == CLOSED")], UNSAT),
    ([c("st == State.RUNNING"), c("st != RUNNING")], UNSAT),
    ([c("o instanceof Foo"), c("o == null")], UNSAT),
    ([c("flag"), c("flag = false", kind="assign"), c("flag")], UNSAT),
    ([c("x > 3"), c("x", kind="havoc"), c("x < 1")], SAT),
    ([c("x = compute(a + b)", kind="assign"), c("x > 3")], SAT),
    ([c("it.hasNext()", kind="loop"), c("loop", kind="iterate"), c("it.hasNext()", False, kind="loop")], SAT),
    ([c("i = 0", kind="assign"), c("i < n", kind="loop"), c("n > 0")], SAT),
    ([c("i = 0", kind="assign"), c("i < n", False, kind="loop"), c("n > 0")], UNSAT),
    ([c("LOG.isDebugEnabled()", kind="guard"), c("LOG.isDebugEnabled()", False, kind="guard")], UNSAT),
    ([c("count >= 0x10"), c("count < 16")], UNSAT),
    ([c("c == 'a'"), c("c == 97", False)], UNSAT),
    ([c("IOException", kind="catch")], UNKNOWN),
    ([c("x > 0.5")], UNKNOWN),
    ([c("map.get(key + 1) == null")], UNKNOWN),
    ([c("x > 0.5"), c("x > 0.5", False)], UNSAT),
    ([c("x > 5", scope="0"), c("v = x", kind="bind", scope="1<0"), c("v < 3", scope="1")], UNSAT),
    ([c("x > 5", scope="0"), c("v = x + 10", kind="bind", scope="1<0"), c("v > 14", scope="1")], SAT),
    ([c("x > 5", scope="0"), c("v < 3", scope="1")], SAT),
    ([], SAT),
])
def test_feasibility(conditions: list[Condition], expected: Feasibility) -> None:
    assert check_feasibility(conditions) == expected


def test_unparsable_text_is_an_opaque_atom() -> None:
    assert parse_condition("x >")[0] == "opaque"
    assert check_feasibility([c("x >"), c("x >", False)]) == UNSAT
    assert check_feasibility([c("x >")]) == UNKNOWN


def test_parse_forms() -> None:
    assert parse_condition("!(a && b)") == ("not", ("and", ("name", "a"), ("name", "b")))
    assert parse_condition("this.count > 010") == ("cmp", ">", ("name", "count"), ("int", 8))
    assert parse_condition("State.CLOSED") == ("const", "CLOSED")
    assert parse_condition("q.isEmpty()") == ("call", "q.isEmpty()", True)
