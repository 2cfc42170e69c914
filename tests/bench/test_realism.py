"""Session realism (bench/bench_realism.py): the figures on hand-made sessions, and a small HDFS run."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench" / "bench_realism.py"
DATA = ROOT.parent / "shared" / "datasets"


def _metrics() -> ModuleType:
    spec = importlib.util.spec_from_file_location("realism_metrics", ROOT / "bench" / "realism_metrics.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_figures_on_hand_made_sessions():
    metrics = _metrics()
    real = [["a", "b", "c", "c"], ["a", "b", "c", "c"], ["a", "c", "b", "c"]]
    synthetic = [["a", "b", "c", "c"], ["a", "b", "d"]]
    result = metrics.compare(real, synthetic)
    # real bigrams: ab bc cc ac cb; synthetic: ab bc cc bd
    assert result.bigram_recall == pytest.approx(3 / 5)
    assert result.bigram_precision == pytest.approx(3 / 4)
    assert result.bigram_precision_weighted == pytest.approx(4 / 5)
    assert result.real_mean_length == 4 and result.synthetic_mean_length == 3.5
    assert result.length_wasserstein == pytest.approx(0.5)
    assert metrics.count_invariants(real) == [("a", "b")]  # #a == #b in every real session, #c is 2
    assert result.invariant_satisfaction == 1.0
    assert result.missing_bigrams[0] == (("a", "c"), 1) and (("b", "d"), 1) in result.extra_bigrams
    assert result.count_gaps[0][0] == "c"  # 2.0 real vs 1.0 synthetic
    # bd has an event real sessions never print (a new path): precision over real events is 3/3
    assert result.bigram_precision_real_events == 1.0 and result.training_bigram_recall is None
    # trained on the first real session: replaying it recalls ab bc cc of the five
    assert metrics.compare(real, synthetic, real[:1]).training_bigram_recall == pytest.approx(3 / 5)
    broken = metrics.compare(real, [["a", "a", "b"]])
    assert broken.invariant_satisfaction == 0.0 and broken.broken_invariants == [(("a", "b"), 1.0)]


def test_nothing_to_compare_is_an_error():
    with pytest.raises(ValueError, match="nothing to compare"):
        _metrics().compare([], [["a"]])


FIGURES = {"bigram_recall": 0.6, "bigram_precision": 0.7, "bigram_precision_weighted": 0.95,
           "bigram_precision_real_events": 0.88, "length_wasserstein": 1.5, "invariant_satisfaction": 0.9}
"""Floors (ceiling for the distance) under what the small run measured at seed 7 on 2026-12-05:
recall 0.645 (the 200 training sessions themselves: 0.526), precision 0.778, weighted precision
0.993, precision over real events 0.925, Wasserstein 1.08, invariants kept 0.958."""


@pytest.fixture(scope="module")
def hdfs_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The bench's small HDFS version: 200 training sessions, 300 synthetic, the rest held out."""
    if not (ROOT / ".cache" / "corpus" / "hadoop-0.18.2" / "src" / "hdfs" / "org").is_dir():
        pytest.skip("Hadoop 0.18.2 source missing: run scripts/fetch-corpus.sh")
    if not (DATA / "deeplog-hdfs" / "hdfs_train").is_file():
        pytest.skip("../shared/datasets/deeplog-hdfs missing")
    out = tmp_path_factory.mktemp("realism")
    done = subprocess.run([sys.executable, str(BENCH), "--train", "200", "--sessions", "300", "--scale", "",
                           "--no-zookeeper", "--json", "--out", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    report: dict[str, Any] = json.loads(done.stdout)
    report["run"] = json.loads((out / "hdfs-300" / "run.json").read_text())["summary"]
    return report


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.datasets
def test_hdfs_sessions_follow_real_block_sessions(hdfs_report: dict[str, Any]) -> None:
    hdfs = hdfs_report["results"]["HDFS"]
    run = hdfs_report["run"]
    assert run["trace"]["traced"] == run["trace"]["lines"] and not run["trace"]["problems"]
    assert run["keys"]["keyed_in"] == "vocabulary"  # sequences/ in loghub's keys, as hdfs_train
    assert run["keys"]["lines_in_vocabulary"] >= 0.95 * run["trace"]["lines"]
    assert hdfs["real_sessions"] == 4855 - 200
    assert hdfs_report["synthetic_normal"] + hdfs_report["synthetic_anomalous"] == 300
    assert hdfs_report["synthetic_anomalous"] <= 0.06 * 300  # the real rate, not the error branches'
    assert 0.8 <= hdfs["length_ratio"] <= 1.2  # the target: mean length within 20%
    assert hdfs["length_wasserstein"] <= FIGURES["length_wasserstein"]
    for figure in ("bigram_recall", "bigram_precision", "bigram_precision_weighted",
                   "bigram_precision_real_events", "invariant_satisfaction"):
        assert hdfs[figure] >= FIGURES[figure], figure
    # composing real runs anew recalls more real orders than the training sessions show
    assert hdfs["bigram_recall"] > hdfs["training_bigram_recall"]
    # in every real normal block: #11 == #9 (terminating, received) and the replication variant's
    # four events (ask to replicate, starting thread, transmitted, received from a datanode) together
    assert hdfs["invariants"] == 7


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.datasets
@pytest.mark.xfail(strict=True, reason=(
    "issue 15's targets are not met yet: recall 0.645 and precision 0.778 at 200 training sessions "
    "(0.833 / 0.659 at 1000). The training sessions themselves recall 0.526 (0.819) of the held-out "
    "bigrams; nearly all extra synthetic bigrams at 1000 hold a statement real normals never print "
    "(new paths; precision over real events 0.952). README, Realism on HDFS"))
def test_hdfs_realism_targets(hdfs_report: dict[str, Any]) -> None:
    hdfs = hdfs_report["results"]["HDFS"]
    assert hdfs["bigram_recall"] >= 0.9 and hdfs["bigram_precision"] >= 0.8
