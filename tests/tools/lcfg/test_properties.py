"""Property: on randomly nested Java bodies, every log statement gets a path and nothing crashes."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anomalygen.tools.lcfg import PathEnumerator

from .minijava import load_fixture

Tree = tuple[object, ...]

leaf = st.just(("log",))
trees = st.recursive(
    st.lists(leaf, min_size=1, max_size=2).map(lambda xs: ("block", *xs)),
    lambda inner: st.one_of(
        st.tuples(st.just("if"), inner, inner),
        st.tuples(st.just("while"), inner),
        st.tuples(st.just("try"), inner, inner, inner),
        st.tuples(st.just("switch"), inner, inner),
        st.lists(inner, min_size=1, max_size=3).map(lambda xs: ("block", *xs)),
        st.tuples(st.just("return_if"), inner),
    ),
    max_leaves=10,
)


def render(tree: Tree, counter: itertools.count[int], lines: list[str], depth: int = 2) -> None:
    pad = "    " * depth
    kind = tree[0]
    n = next(counter)
    if kind == "log":
        lines.append(f'{pad}LOG.info("s{n}");')
    elif kind == "block":
        for child in tree[1:]:
            render(child, counter, lines, depth)  # type: ignore[arg-type]
    elif kind == "if":
        lines.append(f"{pad}if (c{n}) {{")
        render(tree[1], counter, lines, depth + 1)  # type: ignore[arg-type]
        lines.append(f"{pad}}} else {{")
        render(tree[2], counter, lines, depth + 1)  # type: ignore[arg-type]
        lines.append(f"{pad}}}")
    elif kind == "while":
        lines.append(f"{pad}while (c{n}) {{")
        render(tree[1], counter, lines, depth + 1)  # type: ignore[arg-type]
        lines.append(f"{pad}}}")
    elif kind == "try":
        lines.append(f"{pad}try {{")
        lines.append(f"{pad}    work();")
        render(tree[1], counter, lines, depth + 1)  # type: ignore[arg-type]
        lines.append(f"{pad}}} catch (RuntimeException e{n}) {{")
        render(tree[2], counter, lines, depth + 1)  # type: ignore[arg-type]
        lines.append(f"{pad}}} finally {{")
        render(tree[3], counter, lines, depth + 1)  # type: ignore[arg-type]
        lines.append(f"{pad}}}")
    elif kind == "switch":
        lines.append(f"{pad}switch (k{n}) {{")
        lines.append(f"{pad}    case 1:")
        render(tree[1], counter, lines, depth + 2)  # type: ignore[arg-type]
        lines.append(f"{pad}    default:")
        render(tree[2], counter, lines, depth + 2)  # type: ignore[arg-type]
        lines.append(f"{pad}}}")
    else:  # return_if: an early exit guarded by its own condition
        lines.append(f"{pad}if (r{n}) {{")
        render(tree[1], counter, lines, depth + 1)  # type: ignore[arg-type]
        lines.append(f"{pad}    return;")
        lines.append(f"{pad}}}")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trees)
def test_every_statement_gets_a_path(tmp_path: Path, tree: Tree) -> None:
    lines: list[str] = []
    render(tree, itertools.count(), lines)
    source = "class Gen {\n    void m() {\n" + "\n".join(lines) + "\n    }\n    void work() {\n    }\n}\n"
    (tmp_path / "Gen.java").write_text(source)
    program = load_fixture("Gen.java", root=tmp_path)
    enumerator = PathEnumerator(program, ["Gen.m()"], limit=10_000, per_entry=10_000)
    paths = enumerator.run()
    assert enumerator.stats.covered_statements == set(program.log_statements), source
    assert enumerator.stats.dropped_unsat == 0, source  # every condition is a fresh atom
    assert len({p.id for p in paths}) == len(paths)
