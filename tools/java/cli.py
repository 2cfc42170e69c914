"""``anomalygen scan REPO``: what the Java front end finds in a repository."""

from __future__ import annotations

import argparse
from typing import Any

from anomalygen.command import Command, UsageError
from anomalygen.console import emit_json, stderr, stdout
from anomalygen.tools.java.scope import add_scope_arguments

MAX_WARNINGS_SHOWN = 10
"""Warnings printed on stderr; ``--json`` carries all of them."""

DESCRIPTION = """\
Parse every .java file under REPO with tree-sitter and report what the later stages work from:
types, methods, log statements (SLF4J, log4j 1/2, commons-logging, java.util.logging; found by
the receiver's declared logger type) by level, level-guarded ones, and the call graph (calls
resolved inside the repository, external library calls, unresolved calls).

Build, VCS, generated and vendored folders, test trees (src/test, a top-level test/) and build
tooling modules (Maven plugins, installers, service wrappers) are skipped unless --include names
them; --exclude GLOB leaves out more. A vendor/ folder holding a real package is scanned, with a
warning; no symlink is followed (nothing outside
REPO is ever read), files over --max-file-bytes are skipped, and syntax errors are reported while
the rest of the file is kept. Exit status 2 when REPO is missing, not a directory or holds no
.java file.

examples:
  anomalygen scan .cache/corpus/zookeeper-3.8.0
  anomalygen scan examples/blockstore --list
  anomalygen scan REPO --json --list > statements.json
"""


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo", metavar="REPO", help="root folder of the Java repository")
    parser.add_argument("--json", action="store_true",
                        help="one JSON document on stdout (counts; with --list, every statement)")
    parser.add_argument("--list", "--statements", dest="list_statements", action="store_true",
                        help="print every log statement: id, file:line, level, template")
    parser.add_argument("--max-file-bytes", type=int, default=2_000_000, metavar="N",
                        help="skip .java files larger than N bytes (default: 2000000)")
    add_scope_arguments(parser)


def _run(args: argparse.Namespace) -> int:
    from anomalygen.tools.java.files import SourceRootError
    from anomalygen.tools.java.program import load_program
    from anomalygen.tools.java.scope import scope_from_args
    from anomalygen.tools.java.summary import scan_summary, statement_rows

    if args.max_file_bytes <= 0:
        raise UsageError("--max-file-bytes must be a positive number of bytes")
    try:
        program = load_program(args.repo, max_file_bytes=args.max_file_bytes,
                               scope=scope_from_args(args), progress=not args.json)
    except SourceRootError as exc:
        raise UsageError(str(exc)) from exc
    summary = scan_summary(program)
    if args.json:
        if args.list_statements:
            summary["statements"] = statement_rows(program)
        emit_json(summary)
    else:
        if args.list_statements:
            _print_statements(statement_rows(program))
        _print_summary(summary)
    for warning in program.warnings[:MAX_WARNINGS_SHOWN]:
        # one line each, however long the paths: CI reads these through a pipe
        stderr.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    hidden = len(program.warnings) - MAX_WARNINGS_SHOWN
    if hidden > 0:  # Spring's test folders declare 128 types twice: a screenful says nothing more
        stderr.print(f"[yellow]warning:[/] {hidden} more warnings (all of them: --json, \"warnings\")",
                     highlight=False, soft_wrap=True)
    return 0


def _print_statements(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        flags = " (guarded)" if row["guarded"] else ""
        stdout.print(f"{row['id']}\t{row['file']}:{row['line']}\t{row['level']}\t"
                     f"{row['template']!r}{flags}", highlight=False, markup=False, soft_wrap=True)


def _logger_types(names: list[str]) -> str:
    """``2 (org.eclipse.jetty.util.log.Logger, ...)``: the facades/wrappers that define loggers."""
    if not names:
        return "0"
    shown = ", ".join(names[:2]) + (", ..." if len(names) > 2 else "")
    return f"{len(names)} ({shown})"


def _print_summary(summary: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=f"scan of {summary['root']}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("count", justify="right")
    levels = ", ".join(f"{k} {v}" for k, v in summary["by_level"].items() if v)
    share = summary["in_repo_resolved_share"]
    rows = [
        ("files", f"{summary['files']} ({summary['source_lines']} lines)"),
        ("types", str(summary["types"])),
        ("methods", f"{summary['methods']} (lambdas {summary['lambdas']})"),
        ("log statements", str(summary["log_statements"])),
        ("  by level", levels or "-"),
        ("  guarded", str(summary["guarded"])),
        ("  logging an exception", str(summary["with_exception"])),
        ("  message opaque ({})", str(summary["opaque_templates"])),
        ("message bundles read", str(summary["message_bundles"])),
        ("in-repo logger types", _logger_types(summary["logger_types"])),
        ("calls", str(summary["calls"])),
        ("  resolved in repo", str(summary["resolved_calls"])),
        ("  external (JDK/libraries)", str(summary["external_calls"])),
        ("  unresolved", f"{summary['unresolved_calls']}"
                         + (f" (in-repo resolved {share:.1%})" if share is not None else "")),
        ("parse errors", f"{summary['parse_errors']} in {summary['parse_error_files']} files"),
        ("skipped paths", str(len(summary["skipped"]))),
        ("seconds", f"{summary['seconds']:.2f}"),
    ]
    for what, count in rows:
        table.add_row(what, count)
    stderr.print(table)
    for error in summary["parse_error_sample"]:
        stderr.print(f"  parse error {error['file']}:{error['line']}: {error['message']}",
                     highlight=False, markup=False)
    for skipped in summary["skipped"][:5]:
        stderr.print(f"  skipped {skipped['path']}: {skipped['reason']}", highlight=False, markup=False,
                     soft_wrap=True)


SCAN = Command(
    name="scan",
    summary="parse a Java repository: types, methods, log statements, call graph",
    configure=_configure,
    run=_run,
    description=DESCRIPTION,
)
