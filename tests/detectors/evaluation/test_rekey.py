"""Synthetic statement ids re-keyed into a dataset's own vocabulary (loghub CSV or vocabulary.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.detectors.evaluation.augment import AugmentPlan, run_digest, slice_text
from anomalygen.detectors.evaluation.rekey import read_event_vocabulary, rekey_statements

HDFS_LIKE = """EventId,EventTemplate
E5,Receiving block <*> src: <*> dest: <*>
E9,Received block <*> of size <*> from <*>
E11,PacketResponder <*> for block <*> terminating
E26,BLOCK* NameSystem.addStoredBlock: blockMap updated: <*> is added to <*> size <*>
E27,<*>
"""


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "templates.csv"
    path.write_text(HDFS_LIKE, encoding="utf-8")
    return path


def test_statements_take_the_most_specific_template_that_describes_them(tmp_path: Path) -> None:
    vocabulary = read_event_vocabulary(_csv(tmp_path))
    assert set(vocabulary.templates) == {"5", "9", "11", "26", "27"}  # loghub's E5 is DeepLog's key 5
    mapping = rekey_statements({
        "DataXceiver.writeBlock-1": "Receiving block {} src: {} dest: {}",
        "PacketResponder.run-2": "Received block {} of size {} from {}",
        "PacketResponder.run-3": "PacketResponder {} for block {} terminating",
        "FSNamesystem.addStoredBlock-4":
            "BLOCK* NameSystem.addStoredBlock: blockMap updated: {} is added to {} size {}",
        "DataNode.run-5": "Exception: {}",  # nothing but the bare wildcard describes it: kept apart
    }, vocabulary)
    assert mapping == {"DataXceiver.writeBlock-1": "5", "PacketResponder.run-2": "9",
                       "PacketResponder.run-3": "11", "FSNamesystem.addStoredBlock-4": "26",
                       "DataNode.run-5": "DataNode.run-5"}


def test_a_vocabulary_json_names_its_statements_and_nothing_is_matched_by_text(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.json"
    path.write_text(json.dumps({"keys": {"1": {"statement": "A.open-1", "template": "open {}"},
                                         "2": {"statement": "A.close-2", "template": "close {}"}}}))
    vocabulary = read_event_vocabulary(tmp_path)  # the folder holding it works too
    assert vocabulary.key_of_event() == {"A.open-1": "1", "A.close-2": "2"}
    # a new statement printing the same words is a different event, not key 1
    assert rekey_statements({"B.open-9": "open {}", "A.open-1": "open {}"}, vocabulary) == {
        "B.open-9": "B.open-9", "A.open-1": "A.open-1"}
    sessions = [["A.open-1", "A.close-2"], ["A.open-1", "X.gone-7"]]
    assert slice_text(sessions, vocabulary) == "1 2\n1 X.gone-7\n"  # a key the vocabulary lacks: as is


@pytest.mark.parametrize("text", ["", "Id,Template\n1,x\n", "{not json"])
def test_an_unreadable_vocabulary_names_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / ("v.json" if text.startswith("{") else "v.csv")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=str(path)):
        read_event_vocabulary(path)


def test_the_cache_key_changes_with_the_slice_and_the_seed_only_when_they_change(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_text("line\n", encoding="utf-8")
    plan = AugmentPlan(repo=tmp_path, logs=(log,), vocabulary=_csv(tmp_path))
    base = run_digest(plan, "5 9\n", 0)
    assert run_digest(plan, "5 9\n", 0) == base
    assert run_digest(plan, "5 11\n", 0) != base
    assert run_digest(plan, "5 9\n", 1) != base
    log.write_text("another line\n", encoding="utf-8")  # a log's content, not its name, is keyed
    assert run_digest(plan, "5 9\n", 0) != base


def test_a_run_cached_by_other_generator_code_is_not_reused(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from anomalygen.detectors.evaluation import augment

    plan = AugmentPlan(repo=tmp_path, logs=(), vocabulary=_csv(tmp_path))
    base = run_digest(plan, "5 9\n", 0)
    assert len(augment.generator_digest()) == 16
    monkeypatch.setattr(augment, "generator_digest", lambda: "an upgraded one")
    assert run_digest(plan, "5 9\n", 0) != base
