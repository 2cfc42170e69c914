"""What an argument of a repository class prints: the start of its toString() (``printed.py``)."""

from __future__ import annotations

from pathlib import Path

from anomalygen.tools.java import load_program

from .conftest import write_java

REPO = Path(__file__).parents[2] / "fixtures" / "generality" / "contexts"


def _prints_by_method() -> dict[str, tuple[str, ...]]:
    program = load_program(REPO)
    return {s.method.split("(")[0].rsplit(".", 1)[1]: s.slots[0].prints
            for s in program.log_statements.values()}


def test_the_start_of_each_context_class_is_read_from_its_own_to_string() -> None:
    prints = _prints_by_method()
    assert prints["search"] == ("SearchContext for DN '",)  # a concatenation over two source lines
    assert prints["bind"] == ("BindContext for DN '",)  # a StringBuilder chain
    # two returns share "LookupContext for "; the subclass prints super.toString() first
    assert prints["lookup"] == ("LookupContext for ",)
    assert prints["add"] == ("org.acme.ops.AddOperationContext@",)  # no toString(): Object's


def test_a_to_string_that_starts_with_a_value_says_nothing() -> None:
    prints = _prints_by_method()
    assert prints["delete"] == () and prints["rename"] == ()


def test_subclasses_add_their_starts_and_interfaces_or_outside_superclasses_give_none(tmp_path: Path) -> None:
    header = "package p;\nimport org.slf4j.Logger;\nimport org.slf4j.LoggerFactory;\n"
    write_java(tmp_path, "p/Shapes.java", header + """
class Shape { int id; public String toString() { return getClass().getSimpleName() + "[" + id + "]"; } }
class Square extends Shape { }
interface Named { }
class Remote extends java.util.AbstractList<String> { }
class Log {
  private static final Logger LOG = LoggerFactory.getLogger(Log.class);
  void a(Shape s, Named n, Remote r) { LOG.info("drawing {} for {} via {}", s, n, r); }
}
""")
    [statement] = load_program(tmp_path).log_statements.values()
    shape, named, remote = statement.slots
    assert shape.prints == ("Shape[", "Square[")  # the runtime class's own name
    assert named.prints == () and remote.prints == ()


def test_to_dict_leaves_out_an_empty_prints_and_round_trips() -> None:
    from anomalygen.records import LogStatement

    program = load_program(REPO)
    for statement in program.log_statements.values():
        data = statement.to_dict()
        assert ("prints" in data["slots"][0]) == bool(statement.slots[0].prints)
        assert LogStatement.from_dict(data) == statement
