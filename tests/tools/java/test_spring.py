"""Spring Framework 4.3's real source (commons-logging, message helpers) and a real Spring log
(java.util.logging's two-line format) matched back to its statements."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from anomalygen.records import Level
from anomalygen.tools.java import Program, load_program
from anomalygen.tools.java.summary import scan_summary
from anomalygen.tools.logs import ReadStats, read_entries
from anomalygen.tools.logs.hints import method_score
from anomalygen.tools.logs.match import as_matcher, match_entries, match_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "spring"
SPRING_LOG = FIXTURES / "spring.log"
SPRING_JSON_LOG = FIXTURES / "spring-json.log.gz"


@pytest.fixture(scope="module")
def spring(spring_src: Path) -> Program:
    return load_program(spring_src)


def test_commons_logging_statements_and_message_helpers(spring: Program) -> None:
    summary = scan_summary(spring)
    assert summary["log_statements"] >= 2_000  # 2,115 on 4.3.30; a grep for logger.level( finds 2,120
    assert summary["opaque_templates"] <= 0.03 * summary["log_statements"]  # 56
    found = {(s.file.rsplit("/", 1)[-1], s.level, s.template) for s in spring.log_statements.values()}
    # warnLogger.warn(buildLogMessage(ex, request)): the helper returns "..." + ex
    assert ("AbstractHandlerExceptionResolver.java", Level.WARN,
            "Resolved exception caused by handler execution: {}") in found
    # logger.debug("Looking up ... [" + identify(dataSource) + "]"): identify() returns a@b
    assert ("SQLErrorCodesFactory.java", Level.DEBUG,
            "Looking up default SQLErrorCodes for DataSource [{}@{}]") in found


def test_a_real_spring_log_maps_to_the_methods_that_printed_it(spring: Program) -> None:
    matched = list(match_file(spring, SPRING_LOG))  # the JDK's two-line format is detected
    assert len(matched) == 614
    assert all(m.statement is not None and not m.approximate for m in matched)
    # java.util.logging names the calling method: every line maps to a statement of that method.
    # Loggers made with getClass() name the runtime subclass (DataSourceTransactionManager for
    # AbstractPlatformTransactionManager.getTransaction), so the class alone picked
    # WebSphereUowTransactionManager.execute's identical "Creating new transaction" statement.
    for m in matched:
        assert m.statement is not None and m.entry.source_method is not None
        assert method_score(m.entry.source_method, m.statement.method) == 1, (m.entry.line_no, m.statement.id)
    by_method = {m.resolved_by for m in matched if m.resolved_by is not None}
    assert "method" in by_method and "order" not in by_method


def test_without_the_method_superclass_and_context_still_find_it(spring: Program) -> None:
    """Most logback/log4j layouts print the logger only (no %M): the same entries, method dropped."""
    entries = list(read_entries(SPRING_LOG))
    methods = [e.source_method for e in entries]
    for e in entries:
        e.source_method = None
    matched = list(match_entries(as_matcher(spring), entries))
    wrong = [m.entry.line_no for m, method in zip(matched, methods, strict=True)
             if m.statement is None or not method_score(method, m.statement.method)]
    assert wrong == []  # 16 wrong by class and level alone
    assert {"superclass", "previous"} <= {m.resolved_by for m in matched}


def test_a_real_json_log_maps_to_the_exact_source_lines(spring: Program) -> None:
    """log4j 2's JsonLayout with location info: each event names the file and line that logged it."""
    with gzip.open(SPRING_JSON_LOG, "rt", encoding="utf-8") as handle:
        events = [json.loads(line) for line in handle if line.startswith("{")]
    stats = ReadStats()
    matched = list(match_file(spring, SPRING_JSON_LOG, stats=stats))  # JSON Lines, detected
    assert len(matched) == len(events) == 614
    assert stats.continuation_lines == 6  # the program's own System.err lines between events
    for m, event in zip(matched, events, strict=True):
        assert m.statement is not None and not m.approximate
        assert (m.statement.file.rsplit("/", 1)[-1], m.statement.line) == (
            event["source"]["file"], event["source"]["line"])
