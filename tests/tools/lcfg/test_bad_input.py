"""Pathological and broken input: no crash, nothing lost silently."""

from __future__ import annotations

from pathlib import Path

from anomalygen.records import Feasibility
from anomalygen.tools.lcfg import build_lcfg, enumerate_paths
from anomalygen.tools.lcfg.analysis import analysis_for

from .minijava import load_fixture


def test_deep_nesting_degrades_to_source_order(tmp_path: Path) -> None:
    levels = 600  # an else-if chain this deep overflows the recursive builder
    chain = "\n".join(f"        else if (x == {i}) {{ LOG.info(\"v{i}\"); }}" for i in range(1, levels))
    terms = " + ".join(f"a{i}" for i in range(1500))  # a left-deep expression tree
    (tmp_path / "Deep.java").write_text(
        "class Deep {\n    void m(int x) {\n        if (x == 0) { LOG.info(\"zero\"); }\n"
        f"{chain}\n        LOG.info(\"end\");\n    }}\n"
        "    void c(int x) {\n        if (x == 1) { LOG.info(\"a\"); }\n"
        f"        if ({terms} > 3) {{ LOG.info(\"b\"); }}\n    }}\n}}\n")
    program = load_fixture("Deep.java", root=tmp_path)
    lcfg = build_lcfg(program, "Deep.m(int)")
    assert analysis_for(program).degraded == ["Deep.m(int)"]
    assert len(lcfg.statements) == levels + 1  # every log statement kept, in line order
    paths = enumerate_paths(program, ["Deep.c(int)"])
    statements = {tuple(program.log_statements[s].template for s in p.statements) for p in paths}
    assert ("a", "b") in statements
    assert all(p.feasibility == Feasibility.UNKNOWN for p in paths if "b" in
               {program.log_statements[s].template for s in p.statements})


def test_syntax_errors_keep_the_good_parts(tmp_path: Path) -> None:
    (tmp_path / "Broken.java").write_text(
        "class Broken {\n    void ok(int x) {\n        if (x > 1) {\n            LOG.info(\"fine\");\n"
        "        }\n        int y = ) ;\n        LOG.info(\"after\");\n    }\n}\n")
    program = load_fixture("Broken.java", root=tmp_path)
    paths = enumerate_paths(program, ["Broken.ok(int)"])
    templates = {tuple(program.log_statements[s].template for s in p.statements) for p in paths}
    assert ("fine", "after") in templates and ("after",) in templates
