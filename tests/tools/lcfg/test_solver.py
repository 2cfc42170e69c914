"""The solver's shortcuts (read-once, truth table, components) agree with z3."""

from __future__ import annotations

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from anomalygen.tools.lcfg.solver import _Z3, Formula, _truth_table, components, decide, trivially_satisfiable

NAMES = ["a", "b", "c"]

booleans = st.recursive(
    st.sampled_from([("B", n) for n in NAMES] + [("BV", True), ("BV", False)]),
    lambda inner: st.one_of(st.tuples(st.just("not"), inner),
                            st.tuples(st.sampled_from(["and", "or", "beq"]), inner, inner)),
    max_leaves=6)


def _z3_result(formulas: tuple[Formula, ...]) -> z3.CheckSatResult:
    solver = z3.Solver()
    converter = _Z3()
    solver.add(*(converter.convert(f) for f in formulas))
    return solver.check()


@settings(max_examples=150, deadline=None)
@given(st.lists(booleans, min_size=1, max_size=3))
def test_truth_table_matches_z3(formulas: list[Formula]) -> None:
    key = tuple(formulas)
    assert _truth_table(key) == _z3_result(key)
    assert decide(list(formulas)) == _z3_result(key)


def test_read_once_and_components() -> None:
    x_gt_5: Formula = ("cmp", ">", ("I", "x"), ("IV", 5))
    assert trivially_satisfiable(x_gt_5)
    assert not trivially_satisfiable(("and", x_gt_5, ("cmp", "<", ("I", "x"), ("IV", 3))))
    assert not trivially_satisfiable(("BV", False))
    parts = [x_gt_5, ("B", "p"), ("cmp", "<", ("I", "x"), ("IV", 3))]
    assert sorted(map(sorted, components(parts))) == [[0, 2], [1]]
    assert decide(parts) == z3.unsat
