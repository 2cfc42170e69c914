"""``anomalygen evaluate``: usage errors, --json rows and the files it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.cli import main
from anomalygen.tests.detectors.keyfolders import ANOMALOUS, workflow_sessions, write_key_folder

REQUIRED = {"model", "arm", "fpr", "recall", "precision_prior", "f1_prior", "auroc", "seconds",
            "fraction", "seeds", "precision", "f1"}


def test_json_rows_and_report_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_key_folder(tmp_path / "real", workflow_sessions(40), ANOMALOUS)
    out = tmp_path / "out"
    code = main(["evaluate", "--dataset", "sessions", "--data-dir", str(data),
                 "--models", "bigram,invariants", "--seeds", "0,1", "--out", str(out), "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["model"] for r in rows] == ["bigram", "invariants"]
    assert set(rows[0]) >= REQUIRED
    for name in ("results.csv", "results_per_seed.csv", "report.md", "f1_by_model.png", "roc.png"):
        assert (out / name).stat().st_size > 0
    assert "| bigram | real | 1 |" in (out / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--dataset", "nope"], "unknown dataset 'nope'; available:"),
        (["--models", "pca,wizard"], "unknown model(s) wizard; available:"),
        (["--fractions", "0,1"], "--fractions must lie in (0, 1]"),
        (["--seeds", "a,b"], "--seeds must be a comma-separated list"),
        (["--dataset", "sessions"], "--data-dir is required"),
        # members' colon syntax at the top level: caught before any training, not a torch TypeError
        (["--models", "lm-lstm[hidden=400:layers=2]"], "hidden expects a number, got '400:layers=2'"),
        (["--models", "lm-lstm[carry_state=yes]"], "carry_state expects true or false, got 'yes'"),
    ],
)
def test_user_mistakes_are_one_line_usage_errors(argv: list[str], message: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", *argv, "--out", str(tmp_path)]) == 2
    assert message in " ".join(capsys.readouterr().err.split())  # the console wraps long lines


def test_a_folder_that_is_not_a_dataset_is_a_usage_error(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["evaluate", "--dataset", "sessions", "--data-dir", str(tmp_path), "--out", str(tmp_path)]
    assert main(argv) == 2
    assert "no key-sequence dataset" in capsys.readouterr().err


def test_a_declared_model_whose_module_is_missing_is_a_row_not_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from anomalygen.detectors import registry

    monkeypatch.setitem(registry._MODULES, "ghost", "no_such_detector_module")
    data = write_key_folder(tmp_path / "real", workflow_sessions(30), ANOMALOUS)
    argv = ["evaluate", "--dataset", "sessions", "--data-dir", str(data), "--models", "ghost,bigram",
            "--seeds", "0", "--out", str(tmp_path / "out"), "--json"]
    assert main(argv) == 0
    rows = {r["model"]: r for r in json.loads(capsys.readouterr().out)}
    assert "ModuleNotFoundError" in rows["ghost"]["error"]
    assert rows["bigram"]["error"] is None and rows["bigram"]["recall"] == 1.0


def test_json_output_is_strict_json_even_for_failed_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from anomalygen.detectors import registry

    monkeypatch.setitem(registry._MODULES, "ghost", "no_such_detector_module")
    data = write_key_folder(tmp_path / "real", workflow_sessions(30), ANOMALOUS)
    main(["evaluate", "--dataset", "sessions", "--data-dir", str(data), "--models", "ghost",
          "--seeds", "0", "--out", str(tmp_path / "out"), "--json"])
    text = capsys.readouterr().out
    json.loads(text, parse_constant=lambda name: pytest.fail(f"non-standard JSON constant {name}"))


def test_an_unseen_statement_no_normal_session_prints_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_key_folder(tmp_path / "real", workflow_sessions(30), ANOMALOUS)
    argv = ["evaluate", "--dataset", "sessions", "--data-dir", str(data), "--models", "bigram",
            "--seeds", "0", "--unseen-statements", "S.nowhere", "--out", str(tmp_path / "out")]
    assert main(argv) == 2
    assert "no normal session prints S.nowhere" in capsys.readouterr().err.replace("\n", " ")
