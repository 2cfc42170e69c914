"""Layouts detected without --log-format: configured, common defaults, and guessed from the lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.logs import FormatError, compile_layout
from anomalygen.tools.logs.discover import discover_layouts
from anomalygen.tools.logs.infer import infer_layout
from anomalygen.tools.logs.reader import detect_format, read_entries

FIXTURE = Path(__file__).parents[2] / "fixtures" / "generality"
LOG4J1_LINES = (
    "2026-12-05 03:23:44,044 INFO  [main] org.acme.directory.Service - starting on port 10389\n"
    "2026-12-05 03:23:44,045 WARN  [pool-1 thread-2] org.acme.directory.Service - slow: 3 ms\n"
    "java.lang.IllegalStateException: closed\n"
    "\tat org.acme.directory.Service.bind(Service.java:12)\n"
    "2026-12-05 03:23:45,000 ERROR [main] org.acme.directory.Store - store failed\n"
)


def test_log4j1_default_conversion_pattern_with_a_dash_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text(LOG4J1_LINES)
    entries = list(read_entries(log))
    assert [(e.level, e.thread, e.logger, e.message) for e in entries] == [
        ("INFO", "main", "org.acme.directory.Service", "starting on port 10389"),
        ("WARN", "pool-1 thread-2", "org.acme.directory.Service", "slow: 3 ms"),
        ("ERROR", "main", "org.acme.directory.Store", "store failed"),
    ]
    assert len(entries[1].extra) == 2


@pytest.mark.parametrize(("line", "layout"), [
    ("2026-12-05 03:23:44,044 INFO  [main] org.a.B - go", "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%t] %c - %m%n"),
    ("[03:23:44] INFO [org.acme.Server] - go", "[%d{HH:mm:ss}] %-5p [%c] - %m%n"),
    ("2026-12-05T03:23:44.044+01:00 [worker 1] WARN org.a.B: go",
     "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%t] %-5p %c: %m%n"),
    ("12:00:01.5 hello world", None),
    ("no date here INFO [main] a.B - x", None),
])
def test_a_layout_is_guessed_from_a_header_line(line: str, layout: str | None) -> None:
    assert infer_layout(line) == layout


def test_a_guessed_layout_reads_an_unusual_header_order(tmp_path: Path) -> None:
    log = tmp_path / "odd.log"  # level after the logger: no configured or common layout has this
    log.write_text("2026/12/05 03:23:44 org.acme.Store [io-1] WARN | disk 91% full\n"
                   "2026/12/05 03:23:45 org.acme.Store [io-2] INFO | disk 80% full\n")
    fmt = detect_format(log)
    assert [(e.logger, e.thread, e.level, e.message) for e in read_entries(log, fmt)] == [
        ("org.acme.Store", "io-1", "WARN", "disk 91% full"),
        ("org.acme.Store", "io-2", "INFO", "disk 80% full")]


def test_layouts_of_log4j1_xml_properties_with_a_prefix_and_log4j2_variables_are_discovered() -> None:
    found = discover_layouts(FIXTURE / "configs")
    assert "%d{ISO8601} %-5p [%t] %c - %m%n" in found  # log4j.xml <param name="ConversionPattern" ...>
    assert "[%d{HH:mm:ss}] %p [%c] - %m%n" in found  # apacheds-log4j.properties
    assert "%d{HH:mm:ss.SSS} %-5level %logger{36} | %msg%n" in found  # log4j2.xml <Property>


@pytest.mark.parametrize(("pattern", "line", "epoch"), [
    # a real, wrong-but-shipped pattern: mm (minutes) where the month goes, sss (seconds) for millis
    ("yyyy-mm-dd'T'HH:mm:ss.sssZ", "2026-23-05T03:23:44.044+0000", 1767583424.0),
    ("yyyy-mm...mm", "2026-23...23", 1767226980.0),  # one field twice: the strptime path crashed
    ("dd MMM yyyy HH:mm:ss,SSS", "05 Dec 2026 03:23:44,044", 1796441024.044),
    ("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2026-12-05T04:23:44.044+01:00", 1796441024.044),
    ("MMM d, yyyy h:mm:ss a", "Dec 5, 2026 3:23:44 PM", 1796484224.0),
    ("UNIX_MILLIS", "1796441024044", 1796441024.044),
])
def test_date_patterns_log4j_accepts_are_read(pattern: str, line: str, epoch: float) -> None:
    fmt = compile_layout(f"%d{{{pattern}}} %m")
    match = fmt.regex.fullmatch(f"{line} message")
    assert match is not None and match["message"] == "message"
    assert fmt.parse_time is not None and fmt.parse_time(match["timestamp"]) == pytest.approx(epoch)


def test_a_letter_simple_date_format_rejects_is_still_refused() -> None:
    with pytest.raises(FormatError, match="unsupported date letter 'Q'"):
        compile_layout("%d{yyyy-QQ} %m")
