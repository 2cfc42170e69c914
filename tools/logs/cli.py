"""``anomalygen match``, ``coverage`` and ``sessions``: runtime logs against source log statements.

Without --templates the first positional argument is the Java repository and the rest are log
files; with --templates CSV (loghub ``EventId,EventTemplate``) there is no repository and every
positional argument is a log file. Both go through the same matcher.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anomalygen.command import Command, UsageError
from anomalygen.console import emit_json, printable, stderr
from anomalygen.records import LogStatement
from anomalygen.tools.java.scope import add_scope_arguments
from anomalygen.tools.logs.fallback import FallbackClusters
from anomalygen.tools.logs.match import MatchedLine, match_file
from anomalygen.tools.logs.matcher import Matcher
from anomalygen.tools.logs.stats import ReadStats

_FORMAT_HELP = ("log format: auto (default), hdfs, zookeeper, jul, json (JSON Lines), or a log4j/logback "
                "layout such as '%%d{ISO8601} %%-5p [%%t] %%c: %%m%%n'")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="REPO LOGS",
                        help="the Java repository root, then one or more log files (plain or .gz); "
                             "with --templates, log files only")
    parser.add_argument("--templates", metavar="CSV", help="match against a loghub templates CSV "
                        "(EventId,EventTemplate with <*> wildcards) instead of scanning a repository")
    # --log-format, as on `run`; --format is the older name, kept as an alias
    parser.add_argument("--log-format", "--format", dest="format", default="auto", help=_FORMAT_HELP)
    parser.add_argument("--exact", action="store_true",
                        help="template matches only: no approximate matching of lines whose statement's "
                        "text changed between the logged version and the scanned source")
    parser.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    add_scope_arguments(parser)


@contextmanager
def _usage_errors() -> Iterator[None]:
    """Turn the library's input errors into one-line usage errors (exit 2)."""
    from anomalygen.tools.logs.keyseq import KeySequenceError
    from anomalygen.tools.logs.layout import FormatError
    from anomalygen.tools.logs.reader import LogReadError
    from anomalygen.tools.logs.sessions import SessionSpecError
    from anomalygen.tools.logs.sources import SourceError
    from anomalygen.tools.logs.templates_csv import TemplatesError

    try:
        yield
    except (LogReadError, FormatError, TemplatesError, SessionSpecError, KeySequenceError,
            SourceError) as exc:
        raise UsageError(str(exc)) from exc


@dataclass(slots=True)
class _Inputs:
    statements: dict[str, LogStatement]
    logs: list[Path]
    layouts: list[str]
    """Layouts configured in the repository (log4j/logback files), tried by --format auto."""
    ancestors: dict[str, frozenset[str]] = field(default_factory=dict)
    """The repository's superclasses of each class (``hints.ancestor_classes``); none for templates."""
    matcher: Matcher | None = None
    """The matcher of the last ``lines`` call: after matching it knows which copies were chosen."""

    def lines(self, args: argparse.Namespace, stats: ReadStats,
              fallback: FallbackClusters | None = None) -> Iterator[MatchedLine]:
        self.matcher = Matcher(self.statements.values(), not args.exact, self.ancestors)
        return match_file(self.matcher, self.logs, args.format, stats=stats, fallback=fallback,
                          layouts=self.layouts)

    def copies_chosen(self) -> list[dict[str, Any]]:
        """Per class found in several source trees: the copy the log pointed to, and why."""
        return self.matcher.copies.describe() if self.matcher is not None else []


def _print_copies(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        chosen = row["chosen"] or "none"
        stderr.print(f"{row['class']} is in {', '.join(row['copies'])}: chose {chosen} ({row['why']})",
                     highlight=False, markup=False, soft_wrap=True)


def _inputs(args: argparse.Namespace) -> _Inputs:
    from anomalygen.tools.java.scope import scope_from_args
    from anomalygen.tools.logs.discover import discover_layouts
    from anomalygen.tools.logs.match import program_ancestors
    from anomalygen.tools.logs.reader import resolve_format
    from anomalygen.tools.logs.sources import program_from_repo, statements_from_templates

    resolve_format(args.format)  # fail on a bad layout before scanning anything
    paths = [Path(p) for p in args.paths]
    layouts: list[str] = []
    ancestors: dict[str, frozenset[str]] = {}
    if args.templates:
        statements = statements_from_templates(args.templates)
        logs = paths
    else:
        if len(paths) < 2:
            raise UsageError("give REPO and at least one log file (or --templates CSV and log files)")
        stderr.print(f"scanning {paths[0]} ...", highlight=False)
        program = program_from_repo(paths[0], scope_from_args(args))
        for warning in program.warnings[:10]:  # a vendor folder kept, duplicate types: one line each
            stderr.print(f"warning: {warning}", highlight=False, markup=False, soft_wrap=True)
        statements, ancestors = dict(program.log_statements), program_ancestors(program)
        layouts = discover_layouts(paths[0]) if args.format == "auto" else []
        logs = paths[1:]
    for log in logs:
        if not log.exists():
            raise UsageError(f"log file {log} does not exist")
    return _Inputs(statements, logs, layouts, ancestors)


def _run_match(args: argparse.Namespace) -> int:
    with _usage_errors():
        inputs = _inputs(args)
        stats = ReadStats()
        matched = total = 0
        out = sys.stdout
        try:
            for line in inputs.lines(args, stats):
                total += 1
                matched += line.statement is not None
                if args.json:
                    out.write(json.dumps(line.to_dict()) + "\n")
                else:
                    where = f"{line.statement.file}:{line.statement.line}" if line.statement else line.cluster
                    params = " | ".join(printable(p) for p in line.params)
                    out.write(f"{line.entry.line_no}\t{printable(line.event_id)}\t{printable(where)}\t{params}\n")
        except BrokenPipeError:  # `anomalygen match ... | head`: the reader has seen enough
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
            return 0
    stderr.print(f"{matched}/{total} lines matched a statement; read: {stats.to_dict()}", highlight=False)
    _print_copies(inputs.copies_chosen())
    return 0


def _run_coverage(args: argparse.Namespace) -> int:
    from anomalygen.tools.logs.coverage import CoverageCounter, summarise
    from anomalygen.tools.logs.report import print_tables, write_markdown

    with _usage_errors():
        inputs = _inputs(args)
        stats, clusters, counter = ReadStats(), FallbackClusters(), CoverageCounter()
        for line in inputs.lines(args, stats, clusters):
            counter.add(line)
        summary = summarise(counter, inputs.statements, clusters, top=args.top)
        summary["read"] = stats.to_dict()
        summary["duplicate_classes"] = inputs.copies_chosen()
    if args.report:
        try:
            report = write_markdown(summary, args.report, [str(p) for p in inputs.logs])
        except OSError as exc:
            raise UsageError(f"cannot write the report into {args.report}: {exc.strerror or exc}") from exc
        summary["report"] = str(report)
        stderr.print(f"report written to {report}", highlight=False)
    if args.json:
        emit_json(summary)
    else:
        print_tables(summary, stderr)
        _print_copies(summary["duplicate_classes"])
    return 0


def _run_sessions(args: argparse.Namespace) -> int:
    from anomalygen.tools.logs.keyseq import export_spool
    from anomalygen.tools.logs.labels import load_labels
    from anomalygen.tools.logs.sessions import assignments, parse_spec
    from anomalygen.tools.logs.spool import SessionSpool

    with _usage_errors():
        spec = parse_spec(args.by)
        labels = load_labels(args.labels) if args.labels else None
        if spec.kind in ("window", "sliding", "count"):
            labels = None  # time and count windows carry no labels
        inputs = _inputs(args)
        stats, clusters = ReadStats(), FallbackClusters()
        out: Path = args.out
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create --out {out}: {exc.strerror or exc}") from exc
        # sessions wait on disk inside --out, not in memory: a log of any size in bounded memory
        try:
            with SessionSpool(out, labels) as spool:
                for key, event in assignments(inputs.lines(args, stats, clusters), spec):
                    spool.add(key, event)
                if not spool.keys:
                    raise UsageError(f"--by {args.by} found no session in {len(inputs.logs)} log file(s)")
                counts = export_spool(spool, out, inputs.statements, clusters.templates)
                sessions, events = len(spool.keys), spool.events
        except OSError as exc:
            raise UsageError(f"cannot write sessions into {out}: {exc.strerror or exc}") from exc
    result = {"out": str(out), "sessions": sessions, "events": events, "parts": counts,
              "by": args.by, "read": stats.to_dict()}
    if args.json:
        emit_json(result)
    else:
        stderr.print(f"{sessions} sessions ({events} events) written to {out}: {counts}",
                     highlight=False, markup=False)
    return 0


def _configure_match(parser: argparse.ArgumentParser) -> None:
    _common(parser)


def _configure_coverage(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument("--report", metavar="DIR", help="write coverage.md and coverage.png into DIR")
    parser.add_argument("--top", type=int, default=20, help="rows in the top-seen/unseen lists (default 20)")


def _configure_sessions(parser: argparse.ArgumentParser) -> None:
    _common(parser)
    parser.add_argument("--by", required=True,
                        help="blk (HDFS block id), zk-session (0x...), slot:NAME (the slot whose source "
                        "expression contains NAME), window:60s, sliding:60s/10s, count:100, or a regex "
                        "(group 1, if any, is the id)")
    parser.add_argument("--out", required=True, type=Path,
                        help="folder for vocabulary.json, *.keys, sessions.jsonl")
    parser.add_argument("--labels", metavar="CSV", help="session labels: a CSV of id,label (loghub "
                        "anomaly_label.csv: BlockId,Label with Normal/Anomaly)")


_NO_SOURCE = """\
Without --templates the first positional argument is the Java repository root and the rest are
log files; with --templates CSV (loghub EventId,EventTemplate with <*> wildcards) there is no
repository and every positional argument is a log file. Both go through the same matcher.
--log-format auto (the default) also tries the layouts of the repository's log4j/logback files."""


def _command(name: str, summary: str, configure: Callable[[argparse.ArgumentParser], None],
             run: Callable[[argparse.Namespace], int], details: str) -> Command:
    return Command(name, summary, configure, run, f"{summary}\n\n{details}\n\n{_NO_SOURCE}")


MATCH = _command(
    "match", "Map every log line to the source log statement that printed it",
    _configure_match, _run_match,
    "Prints one line per log entry: line number, statement id (or drain:N cluster for lines no statement\n"
    "matched), source file:line and parameters. --json prints JSON Lines: one object per entry with\n"
    "line_no, statement, file, line, params (+ cluster, ambiguous, resolved_by when relevant).",
)
COVERAGE = _command(
    "coverage", "Which source log statements the logs exercise, by package, class and level",
    _configure_coverage, _run_coverage,
    "Rich tables on stderr; --json prints statements_total, statements_seen, lines_total, lines_matched,\n"
    "breakdowns, top unseen statements and unmatched line clusters; --report DIR writes Markdown + chart.",
)
SESSIONS = _command(
    "sessions", "Cut matched logs into sessions and write DeepLog-style key sequences",
    _configure_sessions, _run_sessions,
    "Writes DIR/vocabulary.json (key -> statement id, template, file, line), normal/abnormal/unlabeled.keys\n"
    "(one session a line) and sessions.jsonl (events with parameters), see docs/logs.md.",
)
