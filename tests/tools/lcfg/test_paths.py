"""Expected paths of hand-written fixtures, checked by hand (see tests/fixtures/lcfg/*.java)."""

from __future__ import annotations

import pytest

from anomalygen.records import Feasibility, Path
from anomalygen.tools.java.model import Program
from anomalygen.tools.lcfg import PathEnumerator, enumerate_paths
from anomalygen.tools.lcfg import paths as paths_module

from .helpers import run_paths, template_set, templates
from .minijava import load_fixture


@pytest.fixture(scope="module")
def flows() -> Program:
    return load_fixture("Flows.java")


@pytest.fixture(scope="module")
def service() -> Program:
    return load_fixture("Service.java")


def test_nested_try_catch_finally(flows: Program) -> None:
    paths, _ = run_paths(flows, "Flows.tryNested")
    got = set(templates(flows, paths))
    assert ("t1", "t2", "inner finally", "outer finally") in got
    assert ("t1", "inner finally", "outer catch", "outer finally") in got
    assert ("t1", "inner catch", "inner finally", "outer catch", "outer finally") in got
    # finally runs on the way out of an uncaught exception too
    thrown = [p for p in paths if p.through_throw and "inner catch" not in templates(flows, [p])[0]]
    assert thrown and all(templates(flows, [p])[0][-1] == "outer finally" for p in thrown)
    assert all(p.through_catch for p in paths if "outer catch" in templates(flows, [p])[0])
    # nothing but the finally blocks follows t2 on the normal path
    assert not any(t[:2] == ("t1", "t2") and "inner catch" in t for t in got)


def test_loops_run_zero_one_or_two_times(flows: Program) -> None:
    assert template_set(flows, "Flows.loop") == {("done",), ("iter", "done"), ("iter", "iter", "done")}


def test_switch_fall_through_and_default(flows: Program) -> None:
    assert template_set(flows, "Flows.fallThrough") == {("one", "one or two"), ("one or two",), ("other",)}


def test_early_return(flows: Program) -> None:
    paths, _ = run_paths(flows, "Flows.early")
    by_statements = {templates(flows, [p])[0]: p for p in paths}
    assert set(by_statements) == {(), ("not null",)}
    assert [(c.expression, c.holds) for c in by_statements[()].conditions] == [("s == null", True)]


def test_labeled_break_and_continue(flows: Program) -> None:
    got = template_set(flows, "Flows.labeled")
    assert {("after grid",), ("row end", "after grid"), ("cell", "row end", "after grid")} <= got
    # `continue outer` / `break outer` after a cell skip the row's end
    assert ("cell", "after grid") in got
    assert all(t[-1] == "after grid" for t in got)


def test_guard_condition_kind(flows: Program) -> None:
    paths, _ = run_paths(flows, "Flows.guarded")
    assert set(templates(flows, paths)) == {("detail", "always"), ("always",)}
    kinds = {c.kind for p in paths for c in p.conditions}
    assert kinds == {"guard"}


def test_lambda_body_is_separate(flows: Program) -> None:
    assert template_set(flows, "Flows.withLambda(java.util.List<String>)") == {("before", "after")}
    assert template_set(flows, "Flows.withLambda(java.util.List<String>)$lambda") == {("in lambda",)}


def test_contradictory_comparisons_are_dropped(flows: Program) -> None:
    paths, enumerator = run_paths(flows, "Flows.contradict")
    assert set(templates(flows, paths)) == {("big",), ("small",), ()}
    assert enumerator.stats.dropped_unsat >= 1


def test_contradictory_opaque_atoms_are_dropped(flows: Program) -> None:
    assert template_set(flows, "Flows.opaque") == {("ready",), ("not ready",)}


def test_assignment_is_tracked(flows: Program) -> None:
    paths, _ = run_paths(flows, "Flows.assigned")
    assert set(templates(flows, paths)) == {("x big",)}
    assert paths[0].feasibility == Feasibility.SAT


def test_interface_dispatch_and_recursion_cut(service: Program) -> None:
    paths, enumerator = run_paths(service, "Worker.run")
    got = set(templates(service, paths))
    assert ("worker start", "fast", "step", "worker end") in got
    assert ("worker start", "slow", "step", "worker end") in got
    assert all(t.count("step") == 1 for t in got)  # step(n - 1) is recursion: not inlined again
    dispatch = {c.expression for p in paths for c in p.conditions if c.kind == "dispatch"}
    assert dispatch == {"handler instanceof FastHandler", "handler instanceof SlowHandler"}
    assert enumerator.stats.cut_calls >= 1
    assert all(p.methods[0].startswith("Worker.run") for p in paths)
    assert any(m.startswith("Worker.step") for p in paths for m in p.methods)


def test_depth_zero_inlines_nothing(service: Program) -> None:
    assert template_set(service, "Worker.run", max_depth=0) == {("worker start", "worker end")}


def test_callee_exception_reaches_caller_catch(service: Program) -> None:
    paths, _ = run_paths(service, "Retry.caller")
    assert set(templates(service, paths)) == {("fetching", "fetch failed")}
    assert paths[0].through_catch
    assert paths[0].feasibility == Feasibility.UNKNOWN  # whether fetch throws Exception: semantic check


def test_switch_expression_yield_do_while_synchronized(service: Program) -> None:
    got = template_set(service, "Retry.yields")
    assert ("k one", "spin", "locked") in got
    assert ("spin", "locked") in got
    assert ("spin", "spin", "locked") in got


def _first_without_new_statement(paths: list[Path]) -> int:
    seen: set[str] = set()
    for index, path in enumerate(paths):
        if not set(path.statements) - seen:
            return index
        seen.update(path.statements)
    return len(paths)


def test_coverage_first_order(flows: Program, service: Program) -> None:
    for program in (flows, service):
        enumerator = PathEnumerator(program)
        paths = enumerator.run()
        cut = _first_without_new_statement(paths)
        everything = {s for p in paths for s in p.statements}
        assert {s for p in paths[:cut] for s in p.statements} == everything
        assert enumerator.stats.covered_statements == everything
        assert enumerator.stats.covered_edges <= enumerator.stats.reachable_edges


def test_ids_stable_and_unique(flows: Program) -> None:
    first = enumerate_paths(flows)
    again = enumerate_paths(flows)
    assert [p.id for p in first] == [p.id for p in again]
    assert len({p.id for p in first}) == len(first)
    assert all(Path.from_dict(p.to_dict()) == p for p in first)


def _per_entry_counts(paths: list[Path]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for p in paths:
        counts[p.entry] = counts.get(p.entry, 0) + 1
    return counts


def test_explicit_limits_are_hard_caps(flows: Program) -> None:
    assert len(enumerate_paths(flows, limit=5)) == 5
    assert max(_per_entry_counts(enumerate_paths(flows, limit=1000, per_entry=2)).values()) <= 2


def test_automatic_limit_still_reaches_every_statement(flows: Program,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    everything = {s for p in enumerate_paths(flows, limit=10_000, per_entry=10_000) for s in p.statements}
    capped = enumerate_paths(flows, limit=3, per_entry=2)
    assert {s for p in capped for s in p.statements} < everything  # the cap costs coverage
    monkeypatch.setattr(paths_module, "AUTO_LIMIT", 3)
    auto = enumerate_paths(flows, per_entry=2)  # limit=None: 3 paths, unless statements need more
    assert {s for p in auto for s in p.statements} == everything
    assert len(auto) > 3 and max(_per_entry_counts(auto).values()) > 2
    # the statement pass ends once everything is covered: no variety paths past the automatic cap
    assert len(auto) < len(enumerate_paths(flows, limit=10_000, per_entry=10_000))


def test_each_call_of_a_callee_in_a_loop_has_fresh_locals(service: Program) -> None:
    # pump() runs its loop 0 times on the first item and once on the second: feasible, because
    # each call has its own `size`; one shared scope would make it (wrongly) contradictory.
    paths, _ = run_paths(service, "Poller.drain", per_entry=200)
    got = set(templates(service, paths))
    assert ("pumped", "packet", "pumped") in got
    assert ("packet", "pumped", "pumped") in got
    scopes = {c.scope for p in paths for c in p.conditions}
    assert any("." in s for s in scopes)  # a re-entered activation is numbered


def test_arguments_bind_to_parameters(service: Program) -> None:
    # inner(x) after x > 5: inner's `v < 3` branch is contradictory through the binding v = x
    paths, enumerator = run_paths(service, "Binding.outer")
    assert set(templates(service, paths)) == {("outer big", "inner done"), ()}
    assert enumerator.stats.dropped_unsat >= 1
    binds = [c for p in paths for c in p.conditions if c.kind == "bind"]
    assert binds and all(c.expression == "v = x" and "<" in c.scope for c in binds)

