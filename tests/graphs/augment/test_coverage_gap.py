"""The method's premise, end to end on the example: synthetic sessions from the source remove the
false alarms on valid paths that the training log never showed (bench/bench_coverage_gap.py)."""

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BENCH = ROOT / "bench" / "bench_coverage_gap.py"


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / "examples" / "blockstore" / "logs" / "labels.csv").is_file(),
                    reason="examples/blockstore/logs missing")
def test_synthetic_sessions_remove_false_alarms_on_paths_the_cut_log_never_showed(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH), "--models", "bigram,deeplog,pca", "--seeds", "0",
                           "--out", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "36 normal sessions print" in done.stdout
    # nothing of the held-out blocks reached the pipeline; anomalous blocks keep their failures
    retried = "WriteBlockHandler.handle-f7136e7b"
    held = [s["session"] for s in map(json.loads, (tmp_path / "real" / "sessions.jsonl").open())
            if s["label"] == 0 and any(e["statement"] == retried for e in s["events"])]
    training = (tmp_path / "training.log").read_text()
    assert len(held) == 36
    assert not any(re.search(rf"\b{re.escape(block)}\b", training) for block in held)
    assert "Exception in receiveBlock" in training
    rows = {(r["model"], r["arm"]): r for r in csv.DictReader((tmp_path / "evaluate" / "results.csv").open())}
    for model in ("bigram", "deeplog"):
        real, augmented = rows[(model, "real")], rows[(model, "real+synthetic")]
        assert float(real["fpr_unseen"]) == 1.0  # every valid held-out block flagged
        assert float(augmented["fpr_unseen"]) <= 0.3
        assert float(augmented["recall"]) == 1.0
    assert float(rows[("deeplog", "real+synthetic")]["fpr_unseen"]) <= 0.05
    # a count-subspace model does not move: the synthetic retried blocks are too few
    assert float(rows[("pca", "real+synthetic")]["fpr_unseen"]) == 1.0
