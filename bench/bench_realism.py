"""Session realism of `anomalygen run` on real systems (issue 15, items 1, 4 and 5).

HDFS (Hadoop 0.18.2, the source of loghub's HDFS log): the first ``--train`` sessions of DeepLog's
``hdfs_train`` are the run's real structure (``--structure``), the rest is held out as the real
reference; the run also reads loghub's HDFS_2k.log for values and exports its sessions keyed in
HDFS_templates.csv (``--vocabulary``), so synthetic and real sessions are compared key for key.
ZooKeeper 3.8.0: sessions by zk session id of Zookeeper_2k.log (the only real sessions there are,
so the run's log and the reference are the same log: no held-out part), compared in statement ids.
Then the HDFS run's wall time and peak memory for ``--scale`` session counts (a count whose
predicted time passes ``--max-seconds`` is skipped and said so).

Figures (bench/realism_metrics.py): mean length and its ratio to real, Wasserstein distance of the
lengths, bigram recall and precision, count-invariant satisfaction; then what differs.

Usage: python bench/bench_realism.py [--train 1000] [--sessions 1000] [--scale 1000,10000,100000]
                                      [--no-zookeeper] [--out out/bench-realism] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from realism_metrics import Realism, compare
from rich.console import Console
from rich.table import Table

from anomalygen.keyseq import PARTS, read_key_file, read_vocabulary

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT.parent / "shared" / "datasets"
HDFS_SRC = REPO_ROOT / ".cache" / "corpus" / "hadoop-0.18.2" / "src" / "hdfs"
ZK_SRC = REPO_ROOT / ".cache" / "corpus" / "zookeeper-3.8.0"
FIXED_STAGES = ("scan", "logs", "paths", "verify")
MEASURED = """import resource, subprocess, sys, time
start = time.perf_counter()
status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(status.stderr[-3000:] if status.returncode else "")
print(f"{status.returncode} {seconds:.2f} {peak}")
"""
"""Runs one command in a fresh interpreter, so the peak memory is that command's alone."""


@dataclass(slots=True)
class Measured:
    seconds: float
    peak_mib: float


def anomalygen_command() -> list[str]:
    script = Path(sys.executable).parent / "anomalygen"
    return [str(script)] if script.is_file() else [shutil.which("anomalygen") or "anomalygen"]


def measured_run(argv: Sequence[str]) -> Measured:
    """``anomalygen argv`` in its own process: wall seconds and peak resident memory."""
    done = subprocess.run([sys.executable, "-c", MEASURED, *anomalygen_command(), *argv],
                          capture_output=True, text=True, check=False)
    try:
        status, seconds, peak_kib = done.stdout.split()
    except ValueError:
        raise SystemExit(f"anomalygen {' '.join(argv)} could not be measured: {done.stderr[-500:]}") from None
    if status != "0":
        raise SystemExit(f"anomalygen {' '.join(argv)} failed ({status}): {done.stderr[-1500:]}")
    return Measured(float(seconds), int(peak_kib) / 1024)


def read_sessions(folder: Path, parts: Sequence[str]) -> list[list[str]]:
    """Sessions of a key-sequence folder's ``parts``, as event ids (its vocabulary's statements)."""
    vocabulary = read_vocabulary(folder / "vocabulary.json")
    return [seq for part in parts if (folder / f"{part}.keys").is_file()
            for seq in read_key_file(folder / f"{part}.keys", vocabulary)]


def synthetic_share(folder: Path) -> tuple[int, int]:
    """(normal, anomalous) synthetic sessions of an export."""
    lines = {part: len((folder / f"{part}.keys").read_text(encoding="utf-8").splitlines())
             for part in ("normal", "abnormal")}
    return lines["normal"], lines["abnormal"]


def hdfs_run(out: Path, train: Path, sessions: int, seed: int) -> Measured:
    loghub = DATA / "loghub" / "HDFS"
    return measured_run(["run", str(HDFS_SRC), "--out", str(out), "--llm", "none", "--seed", str(seed),
                         "--vocabulary", str(loghub / "HDFS_templates.csv"), "--structure", str(train),
                         "--logs", str(loghub / "HDFS_2k.log"), "--session-by", "blk",
                         "--sessions", str(sessions)])


def hdfs_realism(args: argparse.Namespace) -> tuple[Realism, Measured, tuple[int, int], int]:
    lines = (DATA / "deeplog-hdfs" / "hdfs_train").read_text(encoding="utf-8").splitlines()
    if not 0 < args.train < len(lines):
        raise SystemExit(f"--train must be between 1 and {len(lines) - 1}")
    train = args.out / "hdfs-train.keys"
    train.write_text("\n".join(lines[: args.train]) + "\n", encoding="utf-8")
    held_out = [line.split() for line in lines[args.train:] if line.split()]
    out = args.out / f"hdfs-{args.sessions}"
    measured = hdfs_run(out, train, args.sessions, args.seed)
    synthetic = read_sessions(out / "sequences", ["normal"])
    trained = [line.split() for line in lines[: args.train] if line.split()]
    return (compare(held_out, synthetic, trained), measured, synthetic_share(out / "sequences"),
            len(held_out))


def zookeeper_realism(args: argparse.Namespace) -> tuple[Realism, Measured]:
    log = DATA / "loghub" / "Zookeeper" / "Zookeeper_2k.log"
    real_dir, out = args.out / "zk-real", args.out / f"zk-{args.sessions}"
    measured_run(["sessions", str(ZK_SRC), str(log), "--by", "zk-session", "--out", str(real_dir)])
    measured = measured_run(["run", str(ZK_SRC), "--out", str(out), "--llm", "none", "--seed", str(args.seed),
                             "--logs", str(log), "--session-by", "zk-session",
                             "--sessions", str(args.sessions)])
    real = read_sessions(real_dir, PARTS)  # the log has no labels: every session is the reference
    return compare(real, read_sessions(out / "sequences", ["normal"])), measured


def fixed_seconds(out: Path) -> float:
    """Seconds of a run's stages that do not grow with the sessions asked for (scan to verify)."""
    timings = json.loads((out / "run.json").read_text(encoding="utf-8")).get("timings", {})
    return float(sum(timings.get(stage, 0.0) for stage in FIXED_STAGES))


def scaling(args: argparse.Namespace, first: Measured) -> list[tuple[int, Measured | None]]:
    """The HDFS run at each ``--scale`` count; ``first`` is the realism run's own measurement. A count
    is skipped when the fixed stages plus the rest scaled linearly from the last run pass the limit."""
    rows: list[tuple[int, Measured | None]] = []
    last_count, last, last_out = args.sessions, first, args.out / f"hdfs-{args.sessions}"
    for count in args.scale:
        if count == args.sessions:
            rows.append((count, first))
            continue
        fixed = fixed_seconds(last_out)
        predicted = fixed + (last.seconds - fixed) * count / last_count
        if predicted > args.max_seconds:
            rows.append((count, None))
            continue
        last_out = args.out / f"hdfs-{count}"
        last, last_count = hdfs_run(last_out, args.out / "hdfs-train.keys", count, args.seed), count
        rows.append((count, last))
    return rows


def _realism_table(title: str, results: dict[str, Realism]) -> Table:
    table = Table(title=title)
    table.add_column("figure")
    for name in results:
        table.add_column(name, justify="right")
    table.add_column("target", justify="right")
    targets = {"bigram_recall": ">= 0.90", "bigram_precision": ">= 0.80", "length_ratio": "0.80-1.20"}
    for figure in dict.fromkeys(f for r in results.values() for f in r.figures()):
        values = [r.figures().get(figure) for r in results.values()]
        cells = ["-" if v is None else f"{v:,}" if isinstance(v, int) else f"{v:.3f}" for v in values]
        table.add_row(figure, *cells, targets.get(figure, ""))
    return table


def _differences(name: str, result: Realism) -> list[str]:
    lines = [f"{name}: real bigrams synthetic normals miss (real sessions showing them):"]
    lines += [f"  {a} -> {b}  ({n})" for (a, b), n in result.missing_bigrams] or ["  none"]
    lines.append(f"{name}: synthetic bigrams no real normal shows (synthetic sessions showing them):")
    lines += [f"  {a} -> {b}  ({n})" for (a, b), n in result.extra_bigrams] or ["  none"]
    lines.append(f"{name}: mean count per session, real vs synthetic (largest relative gaps):")
    lines += [f"  {e}: {r:.2f} vs {s:.2f}" for e, r, s in result.count_gaps] or ["  none"]
    lines.append(f"{name}: real count invariants broken (share of synthetic normals breaking it):")
    lines += [f"  #{a} == #{b}: {share:.3f}" for (a, b), share in result.broken_invariants] or ["  none"]
    return lines


def _values(run: Path) -> dict[str, float]:
    """The run's value figures (run.json): host reuse real and synthetic, invented share, consistency."""
    record = json.loads((run / "run.json").read_text(encoding="utf-8"))
    return {**record["stats"]["sessions"]["values"], "consistency": record["summary"]["consistency"]["score"]}


def _report(args: argparse.Namespace, results: dict[str, Realism], notes: list[str],
            scale: list[tuple[int, Measured | None]]) -> None:
    console = Console(width=160)
    console.print(_realism_table("Session realism: synthetic normal vs real normal sessions", results))
    for note in notes:
        console.print(note, highlight=False)
    for name, result in results.items():
        for line in _differences(name, result):
            console.print(line, highlight=False, markup=False)
    if scale:
        table = Table(title="HDFS run: time and peak memory by sessions asked for")
        for column in ("sessions", "wall s", "peak MiB", "s per 1k sessions"):
            table.add_column(column, justify="right")
        for count, measured in scale:
            if measured is None:
                table.add_row(f"{count:,}", f"skipped (predicted over {args.max_seconds:.0f} s)", "", "")
            else:
                table.add_row(f"{count:,}", f"{measured.seconds:.1f}", f"{measured.peak_mib:.0f}",
                              f"{measured.seconds * 1000 / count:.2f}")
        console.print(table)


def _json(results: dict[str, Realism], normal: int, anomalous: int,
          scale: list[tuple[int, Measured | None]]) -> dict[str, object]:
    details = ("missing_bigrams", "extra_bigrams", "count_gaps", "broken_invariants")
    figures = {name: {**r.figures(), **{d: getattr(r, d) for d in details}} for name, r in results.items()}
    timed = [{"sessions": c, "seconds": m.seconds if m else None, "peak_mib": m.peak_mib if m else None}
             for c, m in scale]
    return {"results": figures, "synthetic_normal": normal, "synthetic_anomalous": anomalous, "scale": timed}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", type=int, default=1000, help="hdfs_train sessions the run learns from")
    parser.add_argument("--sessions", type=int, default=1000, help="synthetic sessions per run")
    parser.add_argument("--scale", default="1000,10000,100000",
                        help="session counts timed on HDFS, comma-separated ('' for none)")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="skip a scale run predicted longer")
    parser.add_argument("--no-zookeeper", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "out" / "bench-realism")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON document")
    args = parser.parse_args(argv)
    args.scale = [int(x) for x in args.scale.split(",") if x.strip()]
    for needed in (HDFS_SRC, DATA / "deeplog-hdfs" / "hdfs_train", DATA / "loghub" / "HDFS" / "HDFS_2k.log"):
        if not needed.exists():
            raise SystemExit(f"missing {needed} (scripts/fetch-corpus.sh, ../shared/datasets)")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    hdfs, measured, (normal, anomalous), held_out = hdfs_realism(args)
    results = {"HDFS": hdfs}
    notes = [f"HDFS: run learned from the first {args.train} hdfs_train sessions, reference = the other "
             f"{held_out}; synthetic {normal} normal + {anomalous} anomalous "
             f"({anomalous / max(1, normal + anomalous):.3f} anomalous); run {measured.seconds:.1f} s, "
             f"{measured.peak_mib:.0f} MiB peak"]
    values = _values(args.out / f"hdfs-{args.sessions}")
    notes.append(f"HDFS values: hosts a session prints again {values['peer_reuse_synthetic']:.3f} "
                 f"(HDFS_2k.log's blocks: {values['peer_reuse_real']:.3f}); invented values "
                 f"{values['invented_share']:.3f}; context consistency {values['consistency']:.3f}")
    if not args.no_zookeeper:
        zk, zk_measured = zookeeper_realism(args)
        results["ZooKeeper"] = zk
        notes.append(f"ZooKeeper: reference = all {zk.real_sessions} sessions of Zookeeper_2k.log (no "
                     f"labels, no held-out part); run {zk_measured.seconds:.1f} s, "
                     f"{zk_measured.peak_mib:.0f} MiB peak")
    scale = scaling(args, measured) if args.scale else []
    if args.json:
        print(json.dumps({**_json(results, normal, anomalous, scale), "values": values}))
    else:
        _report(args, results, notes, scale)
        print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
