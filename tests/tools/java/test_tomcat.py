"""Tomcat 10.1's real source: its own logging facade (JULI ``Log``), messages from
``LocalStrings.properties`` bundles, and a real ``catalina.out`` matched back to the statements."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.records import Level
from anomalygen.tools.java import Program, load_program
from anomalygen.tools.java.summary import scan_summary
from anomalygen.tools.logs.match import match_file

CATALINA_OUT = Path(__file__).resolve().parents[2] / "fixtures" / "tomcat" / "catalina.out"


@pytest.fixture(scope="module")
def tomcat(tomcat_src: Path) -> Program:
    return load_program(tomcat_src)


def test_statements_behind_the_juli_facade_are_found(tomcat: Program) -> None:
    summary = scan_summary(tomcat)
    # 13 before the facade was recognised (Tomcat logs through org.apache.juli.logging.Log)
    assert summary["log_statements"] >= 2_500
    # 2,194 opaque '{}' messages before bundles were read; 81 on 10.1.55
    assert summary["opaque_templates"] <= 0.05 * summary["log_statements"]
    assert summary["message_bundles"] >= 80


def test_bundle_messages_become_templates(tomcat: Program) -> None:
    by_file: dict[str, set[tuple[Level, str]]] = {}
    for s in tomcat.log_statements.values():
        by_file.setdefault(s.file.rsplit("/", 1)[-1], set()).add((s.level, s.template))
    assert (Level.INFO, "Starting service [{}]") in by_file["StandardService.java"]
    failed = (Level.ERROR, "Context [{}] startup failed due to previous errors")
    assert failed in by_file["StandardContext.java"]
    assert (Level.ERROR, "Parse error in application web.xml file at [{}]") in by_file["WebXmlParser.java"]


def test_a_real_catalina_out_maps_to_source_statements(tomcat: Program) -> None:
    matched = list(match_file(tomcat, CATALINA_OUT))  # the JULI one-line format is detected
    assert len(matched) == 38  # 38 entries; the SEVERE ones carry their stack traces
    mapped = [m for m in matched if m.statement is not None]
    assert len(mapped) == len(matched)
    exact = [m for m in mapped if not m.approximate]
    assert len(exact) >= 36  # 38 on 10.1.55: every line by a template, 37 of them with text
    # every exact match names the statement in the class the line names
    for m in exact:
        assert m.statement is not None and m.entry.source_class is not None
        assert m.statement.type_name.split("$")[0] == m.entry.source_class.split("$")[0]
    severe = {m.statement.template for m in mapped if m.entry.level == "SEVERE" and m.statement}
    assert "Context [{}] startup failed due to previous errors" in severe
