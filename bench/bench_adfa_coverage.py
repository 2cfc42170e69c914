"""How much of the ADFA-LD AUROC ceiling is normal-data coverage? Train-only vs train + more normals.

Every sequence model here lands at AUROC 0.83-0.85 on ADFA-LD when trained on the 833 traces of
``Training_Data_Master`` (docs/detectors-seed.md). This script asks whether that ceiling is the
models or the data: it trains the same detectors on the training traces plus a growing share of
the *threshold* split of ``Validation_Data_Master`` (normal traces the harness otherwise uses only
to place thresholds; they never overlap the test traces), and scores the same test set (the other
70% of the validation normals and all 746 attacks). Only AUROC is printed: it needs no threshold,
so the threshold split can be spent on training here.

This is a diagnostic, not the issue's protocol (which trains on ``Training_Data_Master`` only);
it is the sparse-coverage argument of this project measured on system calls: the same detector
with more valid behaviour in its training data raises fewer false alarms.

    python bench/bench_adfa_coverage.py                      # grammar and ngram, seeds 0,1,2
    python bench/bench_adfa_coverage.py --models grammar --seeds 0 --shares 0,1
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from anomalygen.detectors import get_detector
from anomalygen.detectors.base import EventSequence
from anomalygen.detectors.datasets.adfa_ld import load

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
MODELS = {"grammar": {}, "ngram": {"order": 4}}


def auroc_after_training(model: str, train: list[EventSequence], normal: list[EventSequence],
                         attacks: list[EventSequence]) -> float:
    # grammar and ngram are deterministic: the seed only draws the validation split
    detector = get_detector(model, **MODELS[model])
    detector.fit(train)
    scores = np.concatenate([detector.decision_function(normal), detector.decision_function(attacks)])
    labels = np.r_[np.zeros(len(normal)), np.ones(len(attacks))]
    return float(roc_auc_score(labels, scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DATASETS)
    parser.add_argument("--models", default="grammar,ngram", help=f"from {', '.join(MODELS)}")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--shares", default="0,0.25,0.5,1",
                        help="shares of the threshold split added to the training traces")
    args = parser.parse_args()
    models = [m for m in args.models.split(",") if m]
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        parser.error(f"unknown model(s) {unknown}; choose from {', '.join(MODELS)}")
    shares = [float(s) for s in args.shares.split(",")]
    seeds = [int(s) for s in args.seeds.split(",")]

    results: dict[tuple[str, float], list[float]] = {}
    for seed in seeds:
        split = load(args.data_dir, seed)
        for share in shares:
            extra = split.validation_normal[: round(len(split.validation_normal) * share)]
            for model in models:
                start = time.perf_counter()
                value = auroc_after_training(model, split.train + extra, split.test_normal,
                                             split.test_anomalous)
                results.setdefault((model, share), []).append(value)
                print(f"seed {seed} {model:8s} +{len(extra):5d} normal traces: AUROC {value:.4f} "
                      f"({time.perf_counter() - start:.0f} s)", flush=True)

    print(f"\nADFA-LD AUROC, mean over seeds {args.seeds}; training = 833 training traces + "
          f"a share of the 1,312 threshold-split normals")
    print(f"{'model':10s}" + "".join(f"{f'+{share:.0%}':>22s}" for share in shares))
    for model in models:
        base = float(np.mean(results[(model, shares[0])]))
        cells = []
        for share in shares:
            values = results[(model, share)]
            cells.append(f"{np.mean(values):.3f}±{np.std(values):.3f}"
                         + (f" {np.mean(values) / base:.2f}x" if share != shares[0] else ""))
        print(f"{model:10s}" + "".join(f"{c:>22s}" for c in cells))


if __name__ == "__main__":
    main()
