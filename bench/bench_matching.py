"""Log matching throughput: our source-statement matcher vs Drain3 parsing the same file, same run.

The input is built from the real ZooKeeper 2k log (``../shared/datasets/loghub/Zookeeper``): lines
drawn at random, every number and hex id replaced by a fresh value of the same shape, timestamps
increasing. Each contender reads the file with the same streaming reader and handles every line:

- ``matcher``: statements from the ZooKeeper 3.8.0 source (``.cache/corpus``) or, with
  ``--templates``, from a loghub templates CSV; lines it cannot map go to a Drain3 fallback so
  that, like Drain3, it accounts for every line.
- ``drain3``: ``TemplateMiner.add_log_message`` with its default configuration.

    python bench/bench_matching.py                 # 1,000,000 lines
    python bench/bench_matching.py --lines 100000  # quicker
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from anomalygen.records import LogStatement
from anomalygen.tools.logs import FallbackClusters, build_matcher, match_entries, read_entries
from anomalygen.tools.logs.fallback import new_drain

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"
ZOOKEEPER_SRC = ROOT / ".cache" / "corpus" / "zookeeper-3.8.0"
_HEADER = re.compile(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3})( - .*)")
_VALUE = re.compile(r"0x[0-9a-f]+|\d+")


def build_file(source: Path, target: Path, lines: int, seed: int) -> None:
    """Write ``lines`` lines made from ``source`` with fresh parameter values."""
    rng = random.Random(seed)
    base = [m.groups() for m in map(_HEADER.fullmatch, source.read_text().splitlines()) if m]
    hexdigits = "0123456789abcdef"

    def fresh(match: re.Match[str]) -> str:
        text = match.group(0)
        if text.startswith("0x"):
            return "0x" + "".join(rng.choice(hexdigits) for _ in range(len(text) - 2))
        return str(rng.randint(10 ** (len(text) - 1) if len(text) > 1 else 0, 10 ** len(text) - 1))

    millis = 1_438_000_000_000
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8") as out:
        for _ in range(lines):
            _, rest = base[rng.randrange(len(base))]
            millis += rng.randint(0, 50)
            seconds, ms = divmod(millis, 1000)
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds)) + f",{ms:03d}"
            # the location field ([thread:Class@line]) keeps its line number: it names the source
            head, _, message = rest.partition("] - ")
            out.write(f"{stamp}{head}] - {_VALUE.sub(fresh, message)}\n")


def timed(label: str, work: Callable[[], int]) -> tuple[str, float, int]:
    start = time.perf_counter()
    count = work()
    return label, time.perf_counter() - start, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--repo", type=Path, default=ZOOKEEPER_SRC, help="Java source for the statements")
    parser.add_argument("--templates", type=Path, help="a loghub templates CSV instead of --repo")
    parser.add_argument("--file", type=Path,
                        help="synthetic log to (re)use (default .cache/bench/zk_<lines>_<seed>.log)")
    args = parser.parse_args()

    log = args.file or ROOT / ".cache" / "bench" / f"zk_{args.lines}_{args.seed}.log"
    if not log.exists():
        print(f"building {args.lines:,} lines into {log} ...")
        build_file(args.datasets / "loghub" / "Zookeeper" / "Zookeeper_2k.log", log, args.lines, args.seed)

    statements: list[LogStatement]
    if args.templates:
        from anomalygen.tools.logs import load_templates

        statements, origin = load_templates(args.templates), str(args.templates)
    else:
        from anomalygen.tools.logs.sources import statements_from_repo

        scan_start = time.perf_counter()
        statements = list(statements_from_repo(args.repo).values())
        origin = f"{args.repo.name} ({time.perf_counter() - scan_start:.1f}s scan)"
    build_start = time.perf_counter()
    matcher = build_matcher(statements)
    build_seconds = time.perf_counter() - build_start

    counts: dict[str, int] = {}

    def read_only() -> int:
        return sum(1 for _ in read_entries(log, "zookeeper"))

    def ours() -> int:
        fallback = FallbackClusters()
        n = unmapped = 0
        for line in match_entries(matcher, read_entries(log, "zookeeper"), fallback):
            n += 1
            if line.statement is None:
                unmapped += 1
        counts["mapped"] = n - unmapped
        counts["clusters"] = len(fallback.counts)
        return n

    def drain() -> int:
        miner = new_drain()
        n = 0
        for entry in read_entries(log, "zookeeper"):
            miner.add_log_message(entry.message)
            n += 1
        counts["drain_clusters"] = len(miner.drain.clusters)
        return n

    rows = [timed("read only (shared by both)", read_only), timed("anomalygen matcher", ours),
            timed("Drain3 add_log_message", drain)]
    read_seconds = rows[0][1]
    print(f"\n{args.lines:,} lines, {len(statements):,} statements from {origin}; "
          f"matcher built in {build_seconds:.2f}s")
    print(f"{'contender':32} {'seconds':>9} {'lines/s':>12} {'lines/s excl. read':>20}")
    for label, seconds, n in rows:
        parse = seconds - read_seconds
        beyond = f"{n / parse:>20,.0f}" if label != rows[0][0] and parse > 0 else f"{'':>20}"
        print(f"{label:32} {seconds:9.2f} {n / seconds:12,.0f} {beyond}")
    ratio = rows[2][1] / rows[1][1]
    ratio_parse = (rows[2][1] - read_seconds) / max(rows[1][1] - read_seconds, 1e-9)
    mapped, total = counts["mapped"], rows[1][2]
    print(f"\nratio anomalygen / Drain3 speed: {ratio:.2f}x end to end, {ratio_parse:.2f}x excluding reading")
    print(f"anomalygen mapped {mapped:,} / {total:,} lines ({100 * mapped / total:.1f}%) to source "
          f"statements, {counts['clusters']} fallback clusters; "
          f"Drain3 made {counts['drain_clusters']} clusters")


if __name__ == "__main__":
    main()
