"""``evaluate --augment-from``: each arm's generator sees exactly that arm's real training slice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anomalygen.cli import main
from anomalygen.detectors.base import event_keys
from anomalygen.detectors.datasets.base import load_dataset
from anomalygen.detectors.evaluation.arms import subsample
from anomalygen.tests.conftest import EXAMPLES
from anomalygen.tests.detectors.keyfolders import ANOMALOUS, workflow_sessions, write_key_folder

BLOCKSTORE = EXAMPLES / "blockstore"
REPO = str(BLOCKSTORE)
LOG = BLOCKSTORE / "logs" / "blockstore.log"
FRACTION, SEED = 0.02, 0


@pytest.fixture(scope="module")
def real_sessions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The blockstore service's real log as a key-session dataset (statement ids via vocabulary.json)."""
    out = tmp_path_factory.mktemp("real")
    argv = ["sessions", str(BLOCKSTORE), str(LOG), "--by", "blk",
            "--labels", str(BLOCKSTORE / "logs" / "labels.csv"), "--out", str(out)]
    assert main(argv) == 0
    return out


def _evaluate(data: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    argv = ["evaluate", "--dataset", "sessions", "--data-dir", str(data), "--augment-from", REPO,
            "--augment-logs", str(LOG), "--augment-sessions", "30", "--models", "bigram",
            "--fractions", str(FRACTION), "--seeds", str(SEED), "--out", str(out), "--json"]
    assert main(argv) == 0
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return rows


@pytest.mark.slow
def test_the_generator_sees_exactly_the_arms_training_slice_and_reruns_reuse_it(
    real_sessions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "eval"
    rows = {r["arm"]: r for r in _evaluate(real_sessions, out, capsys)}
    [cache] = list((out / "augment").iterdir())
    # what the arm trains on, computed here from the dataset itself
    train = subsample(load_dataset("sessions", real_sessions, SEED).train, FRACTION, SEED)
    vocabulary = json.loads((real_sessions / "vocabulary.json").read_text(encoding="utf-8"))["keys"]
    statement_of = {key: entry["statement"] for key, entry in vocabulary.items()}
    seen = [[statement_of[k] for k in line.split()]
            for line in (cache / "slice.keys").read_text(encoding="utf-8").splitlines()]
    assert seen == [[str(k) for k in event_keys(s)] for s in train]  # same sessions, same order, no other
    settings = json.loads((cache / "run" / "run.json").read_text(encoding="utf-8"))["settings"]
    assert settings["structure"] == [str(cache / "slice.keys")]
    assert settings["logs"] == [str(LOG.resolve())]  # the raw log given, and no other file
    assert settings["vocabulary"] == str((real_sessions / "vocabulary.json").resolve())
    real, mixed = rows["real"], rows["real+synthetic"]
    assert real["generator_sessions"] is None
    assert mixed["generator_sessions"] == len(train) and real["n_train"] == len(train)
    assert mixed["n_train"] == len(train) + mixed["synthetic_normal"] and mixed["synthetic_normal"] > 0
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "What each arm's generator saw" in report and "(generated)" in report

    first_run = (cache / "run" / "run.json").stat().st_mtime_ns
    again = {r["arm"]: r for r in _evaluate(real_sessions, out, capsys)}
    assert (cache / "run" / "run.json").stat().st_mtime_ns == first_run  # not generated twice
    assert again["real+synthetic"]["f1_prior"] == mixed["f1_prior"]
    assert "(reused)" in (out / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--augment-from", "/nonexistent/repo"], "--augment-from /nonexistent/repo is not a folder"),
        (["--augment-logs", "x.log"], "need --augment-from REPO"),
        (["--augment-from", REPO, "--augment-logs", "/nonexistent.log"], "/nonexistent.log does not"),
        (["--augment-from", REPO, "--augment-sessions", "0"], "at least 1"),
        (["--augment-from", REPO, "--synthetic", "."], "not both"),
        (["--augment-from", REPO, "--augment-vocabulary", "/nonexistent.csv"], "--augment-vocabulary"),
    ],
)
def test_augment_mistakes_are_one_line_usage_errors(extra: list[str], message: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = write_key_folder(tmp_path / "real", workflow_sessions(30), ANOMALOUS)
    argv = ["evaluate", "--dataset", "sessions", "--data-dir", str(data), "--models", "bigram",
            "--seeds", "0", "--out", str(tmp_path / "out"), *extra]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in " ".join(err.split()) and len(err.strip().splitlines()) == 1


def test_augment_needs_a_key_session_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["evaluate", "--dataset", "adfa-ld", "--data-dir", str(tmp_path), "--augment-from", REPO,
            "--out", str(tmp_path / "out")]
    assert main(argv) == 2
    assert "key-session datasets" in capsys.readouterr().err
