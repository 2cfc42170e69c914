"""java.util.logging's default two-line output, read and matched back to the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.java import load_program
from anomalygen.tools.logs import ReadStats, read_entries
from anomalygen.tools.logs.match import match_file

JUL = Path(__file__).resolve().parents[2] / "fixtures" / "jul"


def test_simple_formatter_entries_take_level_and_message_from_the_second_line() -> None:
    stats = ReadStats()
    entries = list(read_entries(JUL / "inventory.log", stats=stats))  # detected: no --format
    assert [(e.level, e.source_class, e.message) for e in entries] == [
        ("SEVERE", "com.acme.Inventory", "Cannot load inventory from /srv/inventory.csv"),
        ("INFO", "com.acme.Inventory", "Added 40 of bolts"),
        ("INFO", "com.acme.Inventory", "Added 12 of nuts"),
        ("WARNING", "com.acme.Inventory", "Not enough nuts: have 12, asked 20"),
        ("INFO", "com.acme.Inventory", "Inventory ready"),
    ]
    assert [e.source_method for e in entries] == ["load", "add", "add", "take", "main"]  # the header's method
    assert entries[0].extra[0] == "java.io.FileNotFoundException: /srv/inventory.csv"  # the stack trace
    assert (stats.entries, stats.continuation_lines, stats.malformed_lines) == (5, 3, 0)
    assert entries[1].timestamp == pytest.approx(entries[0].timestamp)  # "Nov 23, 2026 5:42:42 PM"


def test_simple_formatter_lines_match_the_statements_that_printed_them() -> None:
    program = load_program(JUL / "src")
    matched = list(match_file(program, JUL / "inventory.log"))
    found = [(m.statement.line if m.statement else None, m.params, m.approximate) for m in matched]
    assert found == [
        (33, ("/srv/inventory.csv",), False),
        (15, ("40", "bolts"), False),
        (15, ("12", "nuts"), False),
        (21, ("nuts", "12", "20"), False),  # MessageFormat {0} {1} {2}
        (44, (), False),
    ]


def test_localised_level_names_are_read(tmp_path: Path) -> None:
    log = tmp_path / "de.log"  # a JVM running with a German locale prints its own level names
    log.write_text("Nov 23, 2026 5:42:42 PM com.acme.Inventory take\n"
                   "WARNUNG: Not enough nuts: have 12, asked 20\n", encoding="utf-8")
    program = load_program(JUL / "src")
    [line] = list(match_file(program, log))
    assert (line.entry.level, line.entry.message) == ("WARNUNG", "Not enough nuts: have 12, asked 20")
    assert line.statement is not None and line.statement.line == 21  # an unknown level does not veto
