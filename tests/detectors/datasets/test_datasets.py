"""Dataset loaders: DeepLog HDFS (real data) and key-sequence folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.detectors.base import event_keys
from anomalygen.detectors.datasets import available_datasets, load_dataset
from anomalygen.detectors.datasets.session_file import read_folder
from anomalygen.records import Event
from anomalygen.tests.detectors.keyfolders import ANOMALOUS, workflow_sessions, write_key_folder


@pytest.mark.datasets
def test_deeplog_hdfs_splits_every_normal_session_once_and_keeps_the_prior(datasets_dir: Path) -> None:
    split = load_dataset("deeplog-hdfs", datasets_dir, seed=0)
    assert len(split.train) + len(split.validation_normal) + len(split.test_normal) == 4855
    assert len(split.test_anomalous) + split.duplicates_removed == 16838
    assert split.prior == (16838, 553366)
    assert split.vocabulary["5"] == "<*>Receiving block<*>src:<*>dest:<*>"
    assert len(split.vocabulary) == 30
    assert split.train[0] and all(isinstance(k, str) for k in split.train[0])
    other = load_dataset("deeplog-hdfs", datasets_dir, seed=1)
    assert other.train != split.train  # the seed changes the split


def test_deeplog_hdfs_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="--data-dir"):
        load_dataset("deeplog-hdfs", tmp_path)


def test_every_dataset_named_in_the_contract_is_listed() -> None:
    assert {"deeplog-hdfs", "sessions", "synthetic", "adfa-ld"} <= set(available_datasets())


def test_key_folder_maps_keys_back_to_statement_ids(tmp_path: Path) -> None:
    write_key_folder(tmp_path / "seq", workflow_sessions(30), ANOMALOUS, first_key=40)
    split = load_dataset("sessions", tmp_path / "seq", seed=3)
    assert len(split.train) == 18 and len(split.validation_normal) == 6 and len(split.test_normal) == 6
    assert split.test_anomalous[0] == ["S.open", "S.read", "S.ack"]
    assert split.vocabulary["S.open"] == "template of S.open"


def test_synthetic_accepts_a_run_output_folder(tmp_path: Path) -> None:
    write_key_folder(tmp_path / "run" / "sequences", workflow_sessions(10), ANOMALOUS)
    split = load_dataset("synthetic", tmp_path / "run", seed=0)
    assert split.name.startswith("synthetic:")
    assert len(split.test_anomalous) == len(ANOMALOUS) - split.duplicates_removed


def test_anomalies_identical_to_a_training_session_are_dropped_and_counted(tmp_path: Path) -> None:
    normal = workflow_sessions(30)
    write_key_folder(tmp_path, normal, [normal[0], *ANOMALOUS])
    split = load_dataset("sessions", tmp_path, seed=0)
    assert split.duplicates_removed >= 1
    train_keys = {tuple(s) for s in split.train}
    assert not any(tuple(s) in train_keys for s in split.test_anomalous)


def test_unknown_key_and_garbage_are_clear_errors(tmp_path: Path) -> None:
    write_key_folder(tmp_path, workflow_sessions(5), ANOMALOUS)
    (tmp_path / "normal.keys").write_text("1 2 99\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"key 99 is not in vocabulary\.json"):
        read_folder(tmp_path)
    (tmp_path / "normal.keys").write_text("1 two\n", encoding="utf-8")
    with pytest.raises(ValueError, match="keys must be integers"):
        read_folder(tmp_path)
    (tmp_path / "vocabulary.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"not a valid vocabulary\.json"):
        read_folder(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"docs/formats\.md"):
        read_folder(tmp_path / "nowhere")


def test_no_anomalies_or_too_few_normals_cannot_be_evaluated(tmp_path: Path) -> None:
    write_key_folder(tmp_path / "a", workflow_sessions(10))
    with pytest.raises(ValueError, match="no anomalous sessions"):
        load_dataset("sessions", tmp_path / "a")
    write_key_folder(tmp_path / "b", workflow_sessions(2), ANOMALOUS)
    with pytest.raises(ValueError, match="at least 3 normal"):
        load_dataset("sessions", tmp_path / "b")


def test_sessions_jsonl_attaches_parameters_and_must_agree_with_the_keys(tmp_path: Path) -> None:
    normal, abnormal = workflow_sessions(4), ANOMALOUS[:2]
    write_key_folder(tmp_path, normal, abnormal)
    records = [{"session": str(i), "label": None,
                "events": [{"statement": s, "params": [f"p{i}"], "timestamp": None} for s in seq]}
               for i, seq in enumerate([*normal, *abnormal])]
    (tmp_path / "sessions.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    folder = read_folder(tmp_path)
    first = folder.sessions["normal"][0]
    assert isinstance(first[0], Event) and first[0].params == ("p0",)
    assert event_keys(folder.sessions["abnormal"][1]) == abnormal[1]
    (tmp_path / "sessions.jsonl").write_text(json.dumps(records[1]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="does not match"):
        read_folder(tmp_path)
    assert read_folder(tmp_path, with_params=False).sessions["normal"][0] == normal[0]
