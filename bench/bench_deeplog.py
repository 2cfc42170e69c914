"""DeepLog inference: batched window scoring vs a naive one-window-at-a-time loop, same model, same run.

Trains one DeepLog on real HDFS normal sessions (``../shared/datasets/deeplog-hdfs``), then scores
the same sessions (anomalous test sessions, the bulk of the scoring work) both ways, checks that the
scores agree, and prints sessions/s side by side with the ratio (target: 50x or more), plus the
training time per epoch. Wall and CPU seconds are both shown: on a shared machine CPU time is the
steadier figure.

Usage: python bench/bench_deeplog.py [--train 1000] [--epochs 1] [--sessions 300] [--threads 1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "datasets"
TARGET_RATIO = 50.0


def read_sessions(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text(encoding="utf-8").splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA, help="datasets folder")
    parser.add_argument("--train", type=int, default=1000, help="normal sessions to train on")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--sessions", type=int, default=300, help="sessions scored by both methods")
    parser.add_argument("--batched-sessions", type=int, default=0,
                        help="also score this many sessions batched only (0: all anomalous sessions)")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--device", default=None, help="cpu (default) or cuda")
    args = parser.parse_args()
    folder = args.data_dir / "deeplog-hdfs"
    if not (folder / "hdfs_train").is_file():
        print(f"DeepLog HDFS not found in {folder} (pass --data-dir)", file=sys.stderr)
        return 2

    import numpy as np
    import torch

    from anomalygen.detectors.deep.deeplog import DeepLog
    from anomalygen.detectors.support.sequence_windows import naive_next_key_scores

    torch.set_num_threads(args.threads)
    normal = read_sessions(folder / "hdfs_train")
    anomalous = read_sessions(folder / "hdfs_test_abnormal")
    rng = np.random.default_rng(0)
    probe = [anomalous[i] for i in rng.choice(len(anomalous), size=min(args.sessions, len(anomalous)),
                                              replace=False)]
    bulk = anomalous if args.batched_sessions <= 0 else anomalous[: args.batched_sessions]

    console = Console(width=150)
    model = DeepLog(epochs=args.epochs, n_threads=args.threads, device=args.device)
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(normal[: args.train])
    train_wall, train_cpu = time.perf_counter() - wall, time.process_time() - cpu
    n_windows_train = sum(len(s) + 1 for s in normal[: args.train])

    def timed(run: object, sessions: list[list[str]]) -> tuple[np.ndarray, float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        scores = run(sessions)  # type: ignore[operator]
        return scores, time.perf_counter() - wall, time.process_time() - cpu

    model.decision_function(probe[:5])  # warm-up: first-call allocations are not the method's cost
    batched, b_wall, b_cpu = timed(model.decision_function, probe)
    naive, n_wall, n_cpu = timed(lambda s: naive_next_key_scores(model, s), probe)
    _, bulk_wall, bulk_cpu = timed(model.decision_function, bulk)
    model.deduplicate = False  # the batching alone, every window through the model
    _, plain_wall, plain_cpu = timed(model.decision_function, bulk)
    model.deduplicate = True
    windows = sum(len(s) + 1 for s in probe)

    table = Table(title=f"DeepLog inference on real HDFS sessions ({args.threads} thread(s), "
                        f"{model.device or 'cpu'})")
    for col in ("method", "sessions", "windows", "wall s", "CPU s", "sessions/s (wall)", "sessions/s (CPU)"):
        table.add_column(col, justify="right" if col != "method" else "left")

    def row(name: str, n: int, w: int, wall_s: float, cpu_s: float) -> None:
        table.add_row(name, f"{n:,}", f"{w:,}", f"{wall_s:.3f}", f"{cpu_s:.3f}",
                      f"{n / wall_s:,.0f}", f"{n / max(cpu_s, 1e-9):,.0f}")

    bulk_windows = sum(len(s) + 1 for s in bulk)
    row("naive: one window per forward pass", len(probe), windows, n_wall, n_cpu)
    row("batched (unfold, distinct pairs, reduceat)", len(probe), windows, b_wall, b_cpu)
    row("batched, bulk", len(bulk), bulk_windows, bulk_wall, bulk_cpu)
    row("batched, bulk, every window (no dedup)", len(bulk), bulk_windows, plain_wall, plain_cpu)
    console.print(table)

    same_ratio = n_wall / b_wall
    bulk_ratio = (len(bulk) / bulk_wall) / (len(probe) / n_wall)
    plain_ratio = (len(bulk) / plain_wall) / (len(probe) / n_wall)
    agree = float(np.max(np.abs(batched - naive)))
    console.print(f"speed-up, same {len(probe)} sessions: [bold]{same_ratio:,.0f}x[/] wall "
                  f"({n_cpu / max(b_cpu, 1e-9):,.0f}x CPU); bulk batched vs naive sessions/s: "
                  f"[bold]{bulk_ratio:,.0f}x[/] (target {TARGET_RATIO:.0f}x); "
                  f"without dedup {plain_ratio:,.0f}x")
    same_verdicts = bool(np.array_equal(batched > model.threshold_, naive > model.threshold_))
    console.print(f"largest score difference batched vs naive: {agree:.2e} "
                  f"(same top-g verdicts: {same_verdicts})")
    console.print(f"training: {args.train:,} sessions, {n_windows_train:,} windows, {args.epochs} epoch(s): "
                  f"{train_wall / args.epochs:.1f} s/epoch wall, {train_cpu / args.epochs:.1f} s/epoch CPU "
                  f"(final loss {model.losses_[-1]:.3f})")
    return 0 if same_ratio >= TARGET_RATIO or bulk_ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
