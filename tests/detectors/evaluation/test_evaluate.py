"""The evaluation harness: protocol, arms, aggregation, and failures that must not crash it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from anomalygen.detectors import registry
from anomalygen.detectors.base import BaseDetector, FloatArray, Sequences, event_keys
from anomalygen.detectors.evaluation.evaluate import EvaluationPlan, aggregate, evaluate
from anomalygen.detectors.evaluation.metrics import precision_at_prior
from anomalygen.tests.detectors.keyfolders import ANOMALOUS, workflow_sessions, write_key_folder


@registry.register("test-nan")
class NaNOnFailDetector(BaseDetector):
    """Scores 0, except NaN for sessions containing S.fail (a detector that cannot score them)."""

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> NaNOnFailDetector:
        self.threshold_ = 0.5
        return self

    def decision_function(self, sequences: Sequences) -> FloatArray:
        return np.asarray([np.nan if "S.fail" in event_keys(s) else 0.0 for s in sequences])


def _plan(data: Path, models: tuple[str, ...], **kw: object) -> EvaluationPlan:
    return EvaluationPlan(dataset="sessions", models=models, data_dir=data, seeds=(0, 1), **kw)  # type: ignore[arg-type]


def test_precision_at_prior_weights_false_positives_by_the_normal_population() -> None:
    # recall 0.9 of 16,838 anomalies and 0.1% of 553,366 normals flagged
    assert precision_at_prior(0.9, 0.001, (16838, 553366)) == pytest.approx(15154.2 / (15154.2 + 553.366))
    assert precision_at_prior(0.0, 0.0, (1, 1)) == 0.0


def test_harness_reports_every_metric_averaged_over_seeds(tmp_path: Path) -> None:
    data = write_key_folder(tmp_path / "real", workflow_sessions(60), ANOMALOUS)
    results = evaluate(_plan(data, ("bigram", "pca", "dtree")))
    assert len(results) == 6 and all(r.error is None for r in results)
    rows = {r["model"]: r for r in aggregate(results)}
    for row in rows.values():
        assert row["n_seeds"] == 2 and len(row["per_seed"]) == 2
        for key in ("fpr", "recall", "precision_prior", "f1_prior", "auroc", "seconds", "fpr_std"):
            assert row[key] is not None
    assert rows["bigram"]["recall"] == 1.0 and rows["bigram"]["fpr"] == 0.0
    # the supervised model trains on a slice of the anomalies, which leaves its test set
    assert rows["dtree"]["n_test_anomalous"] < rows["bigram"]["n_test_anomalous"]


def test_missing_detector_module_and_nan_scores_become_rows_not_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry._MODULES, "ghost", "no_such_detector_module")
    data = write_key_folder(tmp_path / "real", workflow_sessions(30), ANOMALOUS)
    rows = {r["model"]: r for r in aggregate(evaluate(_plan(data, ("ghost", "test-nan"))))}
    assert rows["ghost"]["n_seeds"] == 0 and "ModuleNotFoundError" in rows["ghost"]["error"]
    nan_row = rows["test-nan"]
    assert nan_row["error"] is None
    assert nan_row["nan_scores"] == 4  # the S.fail anomalies: NaN counts as most anomalous
    assert nan_row["recall"] == pytest.approx(4 / 12)


def test_real_plus_synthetic_arm_adds_synthetic_normals_at_each_fraction(tmp_path: Path) -> None:
    real = write_key_folder(tmp_path / "real", workflow_sessions(60), ANOMALOUS)
    # numbered differently on purpose: arms are joined by statement id, not by key
    synthetic = write_key_folder(tmp_path / "syn", workflow_sessions(40, extra="S.retry"), first_key=50)
    plan = _plan(real, ("bigram",), synthetic_dir=synthetic, fractions=(0.1, 1.0))
    rows = {(r["arm"], r["fraction"]): r for r in aggregate(evaluate(plan))}
    assert set(rows) == {("real", 0.1), ("real+synthetic", 0.1), ("real", 1.0), ("real+synthetic", 1.0)}
    assert rows[("real", 0.1)]["n_train"] == 4  # ceil(0.1 * 36)
    assert rows[("real+synthetic", 0.1)]["n_train"] == 44
    assert rows[("real+synthetic", 1.0)]["n_test_anomalous"] == rows[("real", 1.0)]["n_test_anomalous"]


def test_synthetic_data_without_a_shared_vocabulary_is_refused(tmp_path: Path) -> None:
    real = write_key_folder(tmp_path / "real", workflow_sessions(30), ANOMALOUS)
    alien = write_key_folder(tmp_path / "alien", [["Z.a", "Z.b"]] * 5)
    with pytest.raises(ValueError, match="shares no event id"):
        evaluate(_plan(real, ("bigram",), synthetic_dir=alien))


@pytest.mark.datasets
def test_deeplog_hdfs_bigram_and_decision_tree_reach_their_anchors(datasets_dir: Path) -> None:
    plan = EvaluationPlan(dataset="deeplog-hdfs", models=("bigram", "dtree"), data_dir=datasets_dir,
                          seeds=(0,))
    rows = {r["model"]: r for r in aggregate(evaluate(plan))}
    assert rows["bigram"]["f1_prior"] > 0.8  # the sanity anchor (about 0.83)
    assert rows["dtree"]["f1_prior"] > 0.95  # loglizer's Decision Tree: 0.998
    assert rows["bigram"]["n_test_normal"] == 971 and rows["bigram"]["n_train"] == 2913


def test_test_limit_scores_a_seeded_sample_of_each_test_class(tmp_path: Path) -> None:
    data = write_key_folder(tmp_path / "real", workflow_sessions(60), ANOMALOUS)
    rows = aggregate(evaluate(_plan(data, ("bigram",), test_limit=5)))
    assert rows[0]["n_test_normal"] == 5 and rows[0]["n_test_anomalous"] == 5
    with pytest.raises(ValueError, match="test limit"):
        evaluate(_plan(data, ("bigram",), test_limit=0))


@registry.register("test-templates")
class TemplateRecordingDetector(BaseDetector):
    """Records the template texts the harness hands to semantic detectors."""

    seen: dict[str, str] = {}  # noqa: RUF012 - test probe shared across instances

    def __init__(self, templates: dict[str, str] | None = None, contamination: float = 0.0) -> None:
        super().__init__(contamination)
        self.templates = templates

    def fit(self, sequences: Sequences, y: Sequence[int] | None = None) -> TemplateRecordingDetector:
        TemplateRecordingDetector.seen = dict(self.templates or {})
        self.threshold_ = 0.5
        return self

    def decision_function(self, sequences: Sequences) -> FloatArray:
        return np.zeros(len(sequences))


def test_semantic_detectors_receive_the_template_texts_of_both_arms(tmp_path: Path) -> None:
    real = write_key_folder(tmp_path / "real", workflow_sessions(30), ANOMALOUS)
    synthetic = write_key_folder(tmp_path / "syn", workflow_sessions(10, extra="S.retry"))
    plan = EvaluationPlan(dataset="sessions", models=("test-templates",), data_dir=real, seeds=(0,),
                          synthetic_dir=synthetic)
    evaluate(plan)  # the real+synthetic arm runs last
    assert TemplateRecordingDetector.seen["S.open"] == "template of S.open"
    assert TemplateRecordingDetector.seen["S.retry"] == "template of S.retry"


def test_unseen_statements_leave_training_and_show_the_false_alarms_of_missing_coverage(
        tmp_path: Path) -> None:
    # Half the normal sessions print a rare but valid S.retry; the training log is made never to
    # show it. The bigram model then flags every such session; synthetic sessions of that path,
    # added to training, remove those false alarms.
    real = write_key_folder(tmp_path / "real", workflow_sessions(60, extra="S.retry"), ANOMALOUS)
    synthetic = write_key_folder(tmp_path / "syn", workflow_sessions(20, extra="S.retry"), first_key=50)
    plan = _plan(real, ("bigram",), synthetic_dir=synthetic, unseen_statements=frozenset({"S.retry"}))
    results = evaluate(plan)
    rows = {r["arm"]: r for r in aggregate(results)}
    assert rows["real"]["n_test_normal_unseen"] >= 24  # 30 retried sessions, all now tested
    assert rows["real"]["fpr_unseen"] == 1.0
    assert rows["real+synthetic"]["fpr_unseen"] == 0.0
    assert rows["real"]["recall"] == 1.0 and rows["real+synthetic"]["recall"] == 1.0
    for result in results:  # nothing printing S.retry was trained or calibrated on
        assert result.n_train < 60
    # without the option the figure does not exist
    plain = aggregate(evaluate(_plan(real, ("bigram",))))
    assert plain[0]["fpr_unseen"] is None and plain[0]["n_test_normal_unseen"] == 0


def test_unseen_statements_must_be_printed_by_some_normal_session(tmp_path: Path) -> None:
    from anomalygen.detectors.datasets.base import load_dataset
    from anomalygen.detectors.evaluation.arms import hold_out_statements

    real = write_key_folder(tmp_path / "real", workflow_sessions(30), ANOMALOUS)
    split = load_dataset("sessions", real, 0)
    with pytest.raises(ValueError, match=r"no normal session prints S\.fail"):
        hold_out_statements(split, frozenset({"S.fail"}))  # only anomalies print it
    with pytest.raises(ValueError, match="nothing left to train on"):
        hold_out_statements(split, frozenset({"S.open"}))
    retried = load_dataset("sessions", write_key_folder(tmp_path / "retried", workflow_sessions(
        30, extra="S.retry"), ANOMALOUS), 0)
    held = hold_out_statements(retried, frozenset({"S.retry"}))
    normals = [*held.train, *held.validation_normal, *held.test_normal]
    assert len(normals) == len(retried.train) + len(retried.validation_normal) + len(retried.test_normal)
    assert not any("S.retry" in event_keys(s) for s in [*held.train, *held.validation_normal])
    assert sum("S.retry" in event_keys(s) for s in held.test_normal) == 15
    assert held.test_anomalous == retried.test_anomalous
