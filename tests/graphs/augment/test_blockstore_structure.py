"""With the example's real log, synthetic normal sessions follow real block sessions closely enough
that Invariants Mining trained on real + synthetic normals no longer collapses (it did: recall 0,
then 0.44 while failed client writes were followed by invented retries and labelled normal)."""

import csv
from pathlib import Path

import pytest

from anomalygen.cli import main
from anomalygen.tools.synth.compose.realism import compare, normal_counts

BLOCKSTORE = Path(__file__).resolve().parents[3] / "examples" / "blockstore"
LOG = BLOCKSTORE / "logs" / "blockstore.log"


@pytest.mark.slow
@pytest.mark.skipif(not LOG.is_file(), reason="examples/blockstore/logs missing")
def test_real_plus_synthetic_invariants_do_not_collapse(tmp_path):
    real, synthetic, evaluation = tmp_path / "real", tmp_path / "syn", tmp_path / "eval"
    assert main(["sessions", str(BLOCKSTORE), str(LOG), "--by", "blk", "--labels",
                 str(LOG.parent / "labels.csv"), "--out", str(real)]) == 0
    assert main(["run", str(BLOCKSTORE), "--out", str(synthetic), "--llm", "none", "--seed", "7",
                 "--logs", str(LOG)]) == 0
    figures = compare(normal_counts(real / "sessions.jsonl"),
                      normal_counts(synthetic / "sequences" / "sessions.jsonl"))
    # Real normal blocks: 15.5 events; before shapes the synthetic normals had 12.1 and L1 18.2.
    assert abs(figures["synthetic_mean_length"] - figures["real_mean_length"]) < 2.0
    assert figures["l1_mean_counts"] < 12.0
    assert main(["evaluate", "--dataset", "sessions", "--data-dir", str(real), "--synthetic",
                 str(synthetic / "sequences"), "--models", "invariants", "--fractions", "0.1",
                 "--seeds", "0", "--out", str(evaluation)]) == 0
    rows = {r["arm"]: r for r in csv.DictReader((evaluation / "results.csv").open())}
    assert float(rows["real+synthetic"]["recall"]) >= 0.95
    assert float(rows["real+synthetic"]["fpr"]) <= float(rows["real"]["fpr"]) + 0.02
