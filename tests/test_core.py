"""The core package: domain records, the CLI plugin loader, the architecture contracts."""

from __future__ import annotations

import subprocess
import sys

import pytest

from anomalygen.cli import build_parser, main
from anomalygen.records import Condition, Feasibility, Level, LogStatement, Path, Slot


def test_level_parse_accepts_aliases_and_orders_by_severity() -> None:
    assert Level.parse("warning") is Level.WARN
    assert Level.parse("SEVERE") is Level.ERROR
    assert Level.TRACE.severity < Level.INFO.severity < Level.FATAL.severity
    with pytest.raises(ValueError, match="unknown log level"):
        Level.parse("LOUD")


def test_log_statement_round_trips_through_dict() -> None:
    stmt = LogStatement("L1", "a/B.java", 3, Level.INFO, "got {} from {}",
                        (Slot(0, "x", "int"), Slot(1, "src", None)), "a.B", "a.B.m()")
    assert LogStatement.from_dict(stmt.to_dict()) == stmt


def test_path_round_trips_through_dict() -> None:
    path = Path("p1", "a.B.run()", ("L1", "L2"), (Condition("x > 0", True, "B.java", 4),),
                Feasibility.SAT, through_catch=True)
    assert Path.from_dict(path.to_dict()) == path


def test_cli_help_lists_subcommands() -> None:
    text = build_parser().format_help()
    assert "anomalygen" in text and "--json" in text


def test_cli_without_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


def test_console_script_runs() -> None:
    out = subprocess.run([sys.executable, "-m", "anomalygen.cli", "--version"],
                         capture_output=True, text=True, check=True)
    assert "anomalygen" in out.stdout


def test_usage_errors_are_printed_without_markup(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from anomalygen import cli
    from anomalygen.command import Command, UsageError

    def fail(_: argparse.Namespace) -> int:
        raise UsageError("pip install 'anomalygen[vllm]'")

    command = Command("boom", "fails", lambda p: None, fail)
    parser = argparse.ArgumentParser()
    parser.set_defaults(_command=command)
    original = cli.build_parser
    cli.build_parser = lambda only=None: parser
    try:
        assert cli.main([]) == 2
    finally:
        cli.build_parser = original
    assert "anomalygen[vllm]" in capsys.readouterr().err
