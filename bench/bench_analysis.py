"""Whole-repository analysis time on ZooKeeper 3.8.0: scan + LCFGs + entry discovery + paths.

Prints a table of stage times, lines/s, and the ratio to the 15 s target (a 2-core machine).
Usage: python bench/bench_analysis.py [REPO] [--limit N|auto] [--depth N]
(e.g. .cache/corpus/tomcat10, which `make corpus` also fetches)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPO = REPO_ROOT / ".cache" / "corpus" / "zookeeper-3.8.0"
TARGET_SECONDS = 15.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("repo", nargs="?", default=str(DEFAULT_REPO))
    parser.add_argument("--limit", default="auto", help="paths: N or auto (the product's default)")
    parser.add_argument("--depth", type=int, default=3)
    args = parser.parse_args()
    if not Path(args.repo).is_dir():
        print(f"repository not found: {args.repo} (run scripts/fetch-corpus.sh)", file=sys.stderr)
        return 2

    from anomalygen.tools.java import load_program
    from anomalygen.tools.lcfg import PathEnumerator, build_lcfg, discover_entries
    from anomalygen.tools.lcfg.analysis import analysis_for

    stages: list[tuple[str, float, float, str]] = []
    started, cpu_started = time.perf_counter(), time.process_time()
    program = load_program(args.repo)
    scan = time.perf_counter() - started
    stages.append(("scan (tree-sitter, types, log statements, call graph)", scan,
                   time.process_time() - cpu_started,
                   f"{len(program.files)} files, {len(program.log_statements)} log statements"))

    mark, cpu = time.perf_counter(), time.process_time()
    analysis = analysis_for(program)
    for method in analysis.reach:
        build_lcfg(program, method)
    stages.append(("LCFGs of every method that can reach a log", time.perf_counter() - mark,
                   time.process_time() - cpu, f"{len(analysis.reach)} methods"))

    mark, cpu = time.perf_counter(), time.process_time()
    entries = discover_entries(program)
    stages.append(("entry discovery and ranking", time.perf_counter() - mark, time.process_time() - cpu,
                   f"{len(entries)} entries"))

    mark, cpu = time.perf_counter(), time.process_time()
    # entries=None: the discovered entries plus fallback entries for statements they cannot reach
    limit = None if args.limit == "auto" else int(args.limit)
    enumerator = PathEnumerator(program, None, limit=limit, max_depth=args.depth)
    paths = enumerator.run()
    stats = enumerator.stats
    stages.append(("expansion + coverage-first paths + z3", time.perf_counter() - mark,
                   time.process_time() - cpu,
                   f"{len(paths)} paths from {stats.entries} entries ({stats.fallback_entries} fallback), "
                   f"{len(stats.covered_statements)}/{len(stats.reachable_statements)} statements, "
                   f"{stats.dropped_unsat} UNSAT dropped"))
    total, total_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    table = Table(title=f"analysis benchmark: {Path(args.repo).name} ({program.source_lines:,} lines)")
    for column in ("stage", "wall s", "CPU s", "share", "detail"):
        table.add_column(column)
    for name, seconds, cpu_seconds, detail in stages:
        table.add_row(name, f"{seconds:.2f}", f"{cpu_seconds:.2f}", f"{seconds / total:.0%}", detail)
    table.add_row("[bold]total[/]", f"[bold]{total:.2f}[/]", f"{total_cpu:.2f}", "100%",
                  f"{program.source_lines / total:,.0f} lines/s wall, "
                  f"{program.source_lines / total_cpu:,.0f} lines/s CPU")
    console = Console()
    console.print(table)
    ratio = Table(title="against the target", show_header=True)
    for column in ("measure", "measured", "target", "measured / target"):
        ratio.add_column(column)
    ratio.add_row("scan + LCFG + paths", f"{total:.2f} s", f"{TARGET_SECONDS:.0f} s",
                  f"{total / TARGET_SECONDS:.2f}x")
    ratio.add_row("LCFG + paths only", f"{total - scan:.2f} s", f"{TARGET_SECONDS:.0f} s",
                  f"{(total - scan) / TARGET_SECONDS:.2f}x")
    ratio.add_row("scan + LCFG + paths, CPU time", f"{total_cpu:.2f} s", f"{TARGET_SECONDS:.0f} s",
                  f"{total_cpu / TARGET_SECONDS:.2f}x")
    console.print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs: wall times "
                  "include waiting for other processes; CPU time does not.")
    console.print(ratio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
