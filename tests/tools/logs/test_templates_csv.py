"""loghub templates CSV and labels CSV loading, and parameters observed per statement."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.logs import TemplatesError, load_templates, match_file, observed_parameters
from anomalygen.tools.logs.labels import load_labels


def _csv(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_wildcards_become_slots(tmp_path: Path) -> None:
    (statement,) = load_templates(_csv(tmp_path, 'EventId,EventTemplate\nE1,"Got <*> from <*>, size <*>"\n'))
    assert (statement.id, statement.template, statement.line) == ("E1", "Got {} from {}, size {}", 2)


@pytest.mark.parametrize(("text", "message"), [
    ("Id,Template\nE1,x\n", "needs columns EventId, EventTemplate; found Id, Template"),
    ("", "found no header"),
    ("EventId,EventTemplate\n", "no templates"),
    ("EventId,EventTemplate\nE1,a\nE1,b\n", "t.csv:3: duplicate EventId E1"),
    ("EventId,EventTemplate\n,a\n", "t.csv:2: empty EventId"),
])
def test_bad_templates_csv(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TemplatesError, match=message.replace("(", r"\(")):
        load_templates(_csv(tmp_path, text))


def test_unreadable_templates_csv(tmp_path: Path) -> None:
    with pytest.raises(TemplatesError, match="cannot read templates"):
        load_templates(tmp_path / "absent.csv")


def test_labels_csv(tmp_path: Path) -> None:
    labels = load_labels(_csv(tmp_path, "BlockId,Label\nblk_1,Normal\nblk_2,Anomaly\nblk_3,1\n"))
    assert labels == {"blk_1": 0, "blk_2": 1, "blk_3": 1}
    with pytest.raises(TemplatesError, match="unknown label 'maybe'"):
        load_labels(_csv(tmp_path, "BlockId,Label\nblk_1,maybe\n", "l.csv"))


def test_observed_parameters_per_statement(datasets_dir: Path) -> None:
    hdfs = datasets_dir / "loghub" / "HDFS"
    lines = match_file(load_templates(hdfs / "HDFS_2k.log_templates.csv"), hdfs / "HDFS_2k.log", "hdfs")
    observed = observed_parameters(lines, limit=5)
    assert len(observed["E10"]) == 5  # PacketResponder <*> for block blk_<*> terminating: 311 lines
    assert all(len(values) == 2 and values[0] in {"0", "1", "2"} for values in observed["E10"])
    assert len(observed["E5"][0]) == 5  # BLOCK* ask <*>:<*> to replicate blk_<*> to datanode(s) <*>:<*>
