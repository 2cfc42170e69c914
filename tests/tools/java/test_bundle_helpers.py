"""Messages read through a static bundle helper (``I18n.err(I18n.ERR_230, x)``) and multi-line calls."""

from __future__ import annotations

from pathlib import Path

from anomalygen.tools.java import load_program
from anomalygen.tools.logs.matcher import Matcher

REPO = Path(__file__).parents[2] / "fixtures" / "generality" / "i18n"


def _templates() -> dict[int, str]:
    program = load_program(REPO)
    return {s.line: s.template for s in program.log_statements.values()}


def test_a_static_helper_over_a_bundle_keyed_by_a_constant_gives_the_bundle_text() -> None:
    templates = _templates()
    assert templates[11] == "ERR_230 No partition found for the entry {}"
    assert templates[16] == "ERR_231 Cannot bind {}: {} attempts failed"  # through a local variable


def test_arguments_over_several_source_lines_followed_by_literal_text_match() -> None:
    program = load_program(REPO)
    matcher = Matcher(program.log_statements.values())
    lines = {
        "Unbound cn=a,dc=x in 12 ms from the session of worker-3": 20,
        "Added entry cn=b,dc=x for admin successfully": 27,
        "ERR_231 Cannot bind cn=c: 3 attempts failed": 16,
    }
    for message, line in lines.items():
        found = matcher.match(message, None, "Directory", None)
        assert found is not None and found.statement.line == line, message
