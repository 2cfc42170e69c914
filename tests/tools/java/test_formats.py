from __future__ import annotations

from pathlib import Path

from anomalygen.tools.java import load_program
from anomalygen.tools.java.literals import literal_text

from .conftest import write_java


def _templates(tmp_path: Path, body: str) -> list[tuple[str, list[str]]]:
    write_java(tmp_path, "p/F.java", "package p;\nimport java.text.MessageFormat;\n"
               "import org.slf4j.Logger;\nclass F {\n  static Logger LOG;\n"
               f"  void m(String a, int n, double d) {{\n{body}\n  }}\n}}\n")
    program = load_program(tmp_path)
    ordered = sorted(program.log_statements.values(), key=lambda s: s.line)
    return [(s.template, [slot.expression for slot in s.slots]) for s in ordered]


def test_printf_conversions(tmp_path: Path) -> None:
    found = _templates(tmp_path, """
    LOG.info(String.format("%s=%d (%5.1f%%) %x%n", a, n, d, n));
    LOG.info(String.format("%2$s before %1$s, again %<s", a, n));
    LOG.info(String.format("%s and %s", a));
    LOG.info(String.format("const %s %d %.2f", "x", 7, 1.5));""")
    assert found == [
        ("{}={} ({}%) {}\n", ["a", "n", "d", "n"]),
        ("{} before {}, again {}", ["n", "a", "a"]),
        ("{} and %s", ["a"]),  # no argument left: the conversion stays as written
        ("const x 7 {}", ["1.5"]),  # %.2f would print 1.50: the constant stays a value
    ]


def test_message_format_parameters_and_quotes(tmp_path: Path) -> None:
    found = _templates(tmp_path, """
    LOG.info(MessageFormat.format("{1} of {0}, it''s {0,number}", n, a));
    LOG.info(MessageFormat.format("{0} {2}", a, n));""")
    assert found == [
        ("{} of {}, it's {}", ["a", "n", "n"]),
        ("{} {2}", ["a"]),
    ]


def test_literal_text_prints_like_java() -> None:
    assert literal_text("decimal_integer_literal", "1_000L") == "1000"
    assert literal_text("hex_integer_literal", "0x1F") == "31"
    assert literal_text("octal_integer_literal", "017") == "15"
    assert literal_text("binary_integer_literal", "0b101") == "5"
    assert literal_text("true", "true") == "true"
    assert literal_text("identifier", "x") is None
