"""False alarms on valid paths the training log never showed: real only vs real + synthetic.

The premise of anomalygen, measured end to end on the example service: a real log that never
exercised some valid behaviour makes detectors flag that behaviour when it shows up. Here the
blockstore log is cut so that the normal blocks printing ``--unseen`` statements (by default a
datanode receive that fails and the writer's retry line: a failure the retry repairs) are
missing from it. Then:

1. real sessions of the *whole* log, labelled (``anomalygen sessions``);
2. synthetic sessions from the source and the *cut* log only (``anomalygen run --llm none``):
   nothing of the held-out blocks reaches the pipeline;
3. ``anomalygen evaluate --unseen-statements``: the held-out normal blocks are tested only, and
   ``FPR unseen`` is the share of them each detector flags, trained on real data alone or on real
   plus synthetic sessions.

    python bench/bench_coverage_gap.py                      # classical detectors, seeds 0,1,2
    python bench/bench_coverage_gap.py --models bigram,logclustering --seeds 0 --out out/gap
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from pathlib import Path

from anomalygen.cli import main as anomalygen

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "blockstore"
LAYOUT = "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%t] %c{1}: %m%n"
UNSEEN = "DataNode.receiveBlock-d4abc386,WriteBlockHandler.handle-f7136e7b"


def held_out_sessions(sessions_jsonl: Path, unseen: set[str]) -> set[str]:
    """Ids of the normal real sessions that print an unseen statement."""
    held: set[str] = set()
    with sessions_jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            session = json.loads(line)
            if session.get("label") == 0 and any(e["statement"] in unseen for e in session["events"]):
                held.add(str(session["session"]))
    return held


def cut_log(source: Path, target: Path, held: set[str]) -> tuple[int, int]:
    """Copy ``source`` without the lines naming a held-out session id; (kept, dropped) lines."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(held))) + r")\b") if held else None
    kept = dropped = 0
    with source.open(encoding="utf-8", errors="replace") as src, target.open("w", encoding="utf-8") as out:
        for line in src:
            if pattern is not None and pattern.search(line):
                dropped += 1
                continue
            out.write(line)
            kept += 1
    return kept, dropped


def run(step: str, argv: list[str]) -> None:
    started = time.perf_counter()
    status = anomalygen(argv)
    if status != 0:
        raise SystemExit(f"{step} failed with status {status}: anomalygen {' '.join(argv)}")
    print(f"{step}: {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=EXAMPLE)
    parser.add_argument("--log", type=Path, default=EXAMPLE / "logs" / "blockstore.log")
    parser.add_argument("--labels", type=Path, default=EXAMPLE / "logs" / "labels.csv")
    parser.add_argument("--unseen", default=UNSEEN,
                        help="comma-separated statement ids the cut log never shows")
    parser.add_argument("--models", default="classical")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--out", type=Path, default=Path("out/coverage-gap"))
    args = parser.parse_args()
    unseen = {s for s in args.unseen.split(",") if s}
    args.out.mkdir(parents=True, exist_ok=True)

    real = args.out / "real"
    run("real sessions", ["sessions", str(args.repo), str(args.log), "--by", "blk", "--labels",
                          str(args.labels), "--format", LAYOUT, "--out", str(real)])
    held = held_out_sessions(real / "sessions.jsonl", unseen)
    kept, dropped = cut_log(args.log, args.out / "training.log", held)
    print(f"cut log: {len(held)} normal sessions print {', '.join(sorted(unseen))}; "
          f"{dropped} of their lines removed, {kept} lines kept", flush=True)
    synthetic = args.out / "synthetic"
    run("synthetic sessions", ["run", str(args.repo), "--out", str(synthetic), "--llm", "none", "--seed", "7",
                               "--logs", str(args.out / "training.log"), "--log-format", LAYOUT])
    evaluation = args.out / "evaluate"
    run("evaluate", ["evaluate", "--dataset", "sessions", "--data-dir", str(real), "--synthetic",
                     str(synthetic), "--models", args.models, "--seeds", args.seeds,
                     "--unseen-statements", ",".join(sorted(unseen)), "--out", str(evaluation)])

    rows = {(r["model"], r["arm"]): r for r in csv.DictReader((evaluation / "results.csv").open())}
    models = list(dict.fromkeys(model for model, _ in rows))
    print(f"\nheld-out normal sessions (valid, never in the training log): "
          f"{next(iter(rows.values()))['n_test_normal_unseen']} per seed; mean over seeds {args.seeds}")
    print(f"{'model':<15}{'FPR unseen: real':>18}{'real+synthetic':>16}{'F1 prior: real':>16}"
          f"{'real+synthetic':>16}{'recall: real':>14}{'real+synthetic':>16}")

    def cell(row: dict[str, str], key: str) -> str:
        return f"{float(row[key]):.3f}" if row.get(key) else "-"

    for model in models:
        a, b = rows.get((model, "real")), rows.get((model, "real+synthetic"))
        if a is None or b is None or a.get("error") or b.get("error"):
            print(f"{model:<15}error: {(a or {}).get('error') or (b or {}).get('error')}")
            continue
        print(f"{model:<15}{cell(a, 'fpr_unseen'):>18}{cell(b, 'fpr_unseen'):>16}{cell(a, 'f1_prior'):>16}"
              f"{cell(b, 'f1_prior'):>16}{cell(a, 'recall'):>14}{cell(b, 'recall'):>16}")


if __name__ == "__main__":
    main()
