"""Peak memory of ``anomalygen sessions`` and ``run --logs`` as the log grows: flat, not following it.

Each size is a log of that many identical lines (one block, one second: the worst case, a single
session holding every line). ``sessions`` matches HDFS lines against a one-template CSV so that
no source scan weighs on the figure; ``run`` reads ``examples/blockstore``'s own line with its
source (``--llm none``: the rest of the pipeline is a fixed cost). Every run is a fresh process;
its peak resident memory comes from ``wait4``. Ratios are against the smallest size: flat is
1.0x. ``--baseline PYTHON`` runs another installation (e.g. main before the spool) side by side.

    python bench/bench_streaming.py                               # 100k and 1M lines
    python bench/bench_streaming.py --sizes 100000 1000000 10000000
    python bench/bench_streaming.py --baseline /path/to/old/.venv/bin/python
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LINE = ("081109 203518 143 INFO dfs.DataNode$DataXceiver: Receiving block blk_-1608999687919862906 "
        "src: /10.250.19.102:54106 dest: /10.250.19.102:50010\n")
TEMPLATES = "EventId,EventTemplate\nE1,Receiving block <*> src: <*> dest: <*>\n"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "blockstore"
EXAMPLE_LINE = ("2026-11-23 13:02:52,779 INFO  [DataNode-1] DataNode: Receiving block "
                "blk_-5025562857975149833 src: DFSClient_1 dest: 10.250.11.101:50010\n")
MODES = ("window:60s", "blk", "run")


def write_log(path: Path, lines: int, line: str = LINE) -> None:
    block = line * 10_000
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(lines // 10_000):
            handle.write(block)
        handle.write(line * (lines % 10_000))


def peak_mb(python: str, args: list[str], cwd: Path) -> tuple[float, float]:
    """(peak resident MB, seconds) of one ``anomalygen`` process."""
    started = time.perf_counter()
    # run outside any checkout: ``-m`` puts the working folder first on sys.path
    child = subprocess.Popen([python, "-m", "anomalygen.cli", *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, cwd=cwd)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    error = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{python} {' '.join(args)} failed: {error.strip()[-300:]}")
    return usage.ru_maxrss / 1024, elapsed  # ru_maxrss is in KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--modes", nargs="+", default=list(MODES))
    parser.add_argument("--baseline", help="python of another installation to run side by side")
    args = parser.parse_args()
    contenders = {"this": sys.executable, **({"baseline": args.baseline} if args.baseline else {})}
    with tempfile.TemporaryDirectory(prefix="bench-streaming-") as tmp:
        root = Path(tmp)
        (root / "t.csv").write_text(TEMPLATES, encoding="utf-8")
        header = f"{'--by':<11} {'lines':>10}" + "".join(
            f" | {name + ' MB':>12} {'ratio':>6} {'s':>6}" for name in contenders)
        print(header)
        print("-" * len(header))
        for mode in args.modes:
            first: dict[str, float] = {}
            for size in sorted(args.sizes):
                log = root / f"{mode == 'run'}-{size}.log"
                if not log.exists():
                    write_log(log, size, EXAMPLE_LINE if mode == "run" else LINE)
                row = f"{mode:<11} {size:>10,}"
                for name, python in contenders.items():
                    out = root / f"out-{name}-{mode}-{size}"
                    if mode == "run":
                        command = ["run", str(EXAMPLE), "--logs", str(log), "--session-by", "blk",
                                   "--llm", "none", "--out", str(out)]
                    else:
                        command = ["sessions", "--templates", str(root / "t.csv"), str(log), "--by", mode,
                                   "--out", str(out)]
                    mb, seconds = peak_mb(python, command, root)
                    first.setdefault(name, mb)
                    row += f" | {mb:>12.0f} {mb / first[name]:>5.1f}x {seconds:>6.1f}"
                print(row, flush=True)


if __name__ == "__main__":
    main()
