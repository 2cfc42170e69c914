"""``anomalygen lcfg`` and ``anomalygen paths``. Heavy imports stay inside the run functions."""

from __future__ import annotations

import argparse
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from anomalygen.command import Command, UsageError, count_or_auto
from anomalygen.console import emit_json, printable, printable_lines, stderr, stdout

if TYPE_CHECKING:
    from anomalygen.tools.java.model import Program

LCFG_DESCRIPTION = """\
Print the Log-oriented Control Flow Graph of one method: its log statements and the calls into
methods that can reach a log, with the branch conditions on each edge. --method takes Class.method
(simple or qualified class name; every overload is printed) or a full method id.
--depth N also prints the LCFGs of the callees up to N calls deep.
"""

PATHS_DESCRIPTION = """\
Enumerate execution paths that print log sequences, from automatically discovered entry points
(thread run()/call(), main, protocol handlers, methods nobody in the repository calls) or from
--entry. Loops run 0, 1 or 2 times, callees are inlined --depth calls deep, and the order is
coverage first: every reachable log statement and LCFG edge appears in some path before any
duplicate. Paths whose conditions z3 proves contradictory are dropped; the rest are marked sat
or unknown (needs the semantic/LLM check).
"""


def _add_repo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("repo", metavar="REPO", help="root folder of the Java repository")
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def _load(repo: str, quiet: bool) -> Program:
    from anomalygen.tools.java import load_program
    from anomalygen.tools.java.files import SourceRootError

    try:
        return load_program(repo, progress=not quiet)
    except SourceRootError as exc:
        raise UsageError(str(exc)) from exc


def _configure_lcfg(parser: argparse.ArgumentParser) -> None:
    _add_repo(parser)
    parser.add_argument("--method", required=True, metavar="C.m", help="Class.method or a full method id")
    parser.add_argument("--format", choices=("text", "dot", "json"), default="text",
                        help="output format (default text; --json implies json)")
    parser.add_argument("--depth", type=int, default=0, metavar="N",
                        help="also print callee LCFGs up to N calls deep (default 0)")


def _run_lcfg(args: argparse.Namespace) -> int:
    from anomalygen.tools.lcfg import build_lcfg, resolve_entry
    from anomalygen.tools.lcfg.render import to_dot, to_json, to_text

    if args.depth < 0:
        raise UsageError("--depth must be 0 or more")
    program = _load(args.repo, quiet=args.json)
    methods = resolve_entry(program, args.method)
    if not methods:
        raise UsageError(f"no method matches {args.method!r} (try Class.method or a full id from `scan`)")
    shown: list[str] = []
    queue = deque((m, 0) for m in methods)
    while queue:
        method, depth = queue.popleft()
        if method in shown:
            continue
        shown.append(method)
        if depth < args.depth:
            for node in build_lcfg(program, method).calls:
                queue.extend((t, depth + 1) for t in node.targets)
    graphs = [build_lcfg(program, m) for m in shown]
    if args.json or args.format == "json":
        emit_json([to_json(g, program.log_statements) for g in graphs])
    elif args.format == "dot":
        print(printable_lines("\n".join(to_dot(g, program.log_statements) for g in graphs)))
    else:
        print(printable_lines("\n\n".join(to_text(g, program.log_statements) for g in graphs)))
    return 0


def _configure_paths(parser: argparse.ArgumentParser) -> None:
    _add_repo(parser)
    parser.add_argument("--entry", action="append", default=[], metavar="C.m",
                        help="entry point (repeatable; overrides discovery)")
    parser.add_argument("--limit", type=count_or_auto, default=None, metavar="N|auto",
                        help="at most N paths; auto (default): 1000, or as many as it takes to reach "
                             "every reachable log statement once")
    parser.add_argument("--per-entry", type=int, default=50, metavar="N",
                        help="at most N paths per entry point (default 50)")
    parser.add_argument("--depth", type=int, default=3, metavar="N",
                        help="inline callees up to N calls deep (default 3)")
    parser.add_argument("--max-entries", type=int, default=None, metavar="N",
                        help="use only the N best-ranked discovered entry points")


def _summary_table(stats: dict[str, Any], load_seconds: float) -> None:
    from rich.table import Table

    table = Table(title="paths", show_header=False)
    rows = [("entry points", stats["entries"]), ("paths kept", stats["paths"]),
            ("dropped (UNSAT)", stats["dropped_unsat"]),
            ("statements covered / reachable",
             f"{stats['statements_covered']} / {stats['statements_reachable']}"),
            ("LCFG edges covered / reachable", f"{stats['edges_covered']} / {stats['edges_reachable']}"),
            ("calls not inlined (depth/recursion/budget)", stats["cut_calls"]),
            ("entries added for unreached statements", stats["fallback_entries"]),
            ("feasibility checks", ", ".join(f"{k} {v}" for k, v in sorted(stats["feasibility"].items()))),
            ("scan time", f"{load_seconds:.2f} s"), ("LCFG + paths time", f"{stats['seconds']:.2f} s")]
    for key, value in rows:
        table.add_row(key, str(value))
    stderr.print(table)


def _run_paths(args: argparse.Namespace) -> int:
    from anomalygen.console import progress
    from anomalygen.tools.lcfg import PathEnumerator, resolve_entry
    from anomalygen.tools.lcfg.render import path_json

    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit must be 0 or more (or auto)")
    for flag in ("per_entry", "depth"):
        if getattr(args, flag) < 0:
            raise UsageError(f"--{flag.replace('_', '-')} must be 0 or more")
    started = time.perf_counter()
    program = _load(args.repo, quiet=args.json)
    load_seconds = time.perf_counter() - started
    entries: list[str] | None = None
    if args.entry:
        entries = []
        for spec in args.entry:
            found = resolve_entry(program, spec)
            if not found:
                raise UsageError(f"no method matches --entry {spec!r}")
            entries.extend(m for m in found if m not in entries)
    enumerator = PathEnumerator(program, entries, limit=args.limit, max_depth=args.depth,
                                per_entry=args.per_entry)
    if args.max_entries is not None and entries is None:
        enumerator.entries = enumerator.entries[: args.max_entries]
        enumerator.stats.entries = len(enumerator.entries)
        enumerator.discovered = False  # exactly the N best entries, no top-up
    with progress(quiet=args.json) as bar:
        task = bar.add_task("enumerating paths", total=len(enumerator.entries))
        paths = enumerator.run(on_entry=lambda _entry: bar.advance(task))
    stats = enumerator.stats.to_dict()
    if args.json:
        emit_json([path_json(p, program.log_statements) for p in paths])
    else:
        from rich.markup import escape

        for path in paths:
            stdout.print(f"[bold]{path.id}[/] {escape(path.entry)} {escape(f'[{path.feasibility.value}]')}",
                         highlight=False, soft_wrap=True)
            for sid in path.statements:
                st = program.log_statements.get(sid)
                text = (f"{st.level.value} {printable(st.template)}  ({st.file}:{st.line})"
                        if st is not None else sid)
                stdout.print(f"    {text}", highlight=False, markup=False, soft_wrap=True)
    _summary_table(stats, load_seconds)
    return 0


LCFG = Command(name="lcfg", summary="print one method's Log-oriented Control Flow Graph (text, dot, json)",
               configure=_configure_lcfg, run=_run_lcfg, description=LCFG_DESCRIPTION)
PATHS = Command(name="paths", summary="enumerate log-producing execution paths from entry points",
                configure=_configure_paths, run=_run_paths, description=PATHS_DESCRIPTION)
