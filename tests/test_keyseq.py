"""The key-sequence folder of docs/formats.md: one writer, one reader, for every room."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.keyseq import (
    KeySequenceError,
    VocabularyEntry,
    read_key_file,
    read_session_records,
    read_vocabulary,
    write_folder,
)
from anomalygen.records import Event, Session

VOCABULARY = {1: VocabularyEntry("a", "open <*>"), 2: VocabularyEntry("b", "close")}
SESSIONS = [Session("s1", (Event("a", ("x",), 1.0), Event("b")), 0, "synthetic"),
            Session("s2", (Event("b", ("é",)),), None)]


def test_round_trip_and_an_empty_part_is_an_empty_file(tmp_path: Path) -> None:
    (tmp_path / "abnormal.keys").write_text("1 1 1\n")  # left by an earlier export
    written = write_folder(tmp_path, SESSIONS, VOCABULARY)
    assert [p.name for p in written] == ["vocabulary.json", "normal.keys", "abnormal.keys",
                                         "unlabeled.keys", "sessions.jsonl"]
    assert (tmp_path / "abnormal.keys").read_text() == ""  # overwritten, not left stale
    vocabulary = read_vocabulary(tmp_path / "vocabulary.json")
    assert read_key_file(tmp_path / "normal.keys", vocabulary) == [["a", "b"]]
    assert read_key_file(tmp_path / "unlabeled.keys") == [["2"]]  # raw DeepLog: keys are the ids
    records = read_session_records(tmp_path / "sessions.jsonl")
    assert [(r.session, r.label, r.source, r.events) for r in records] == [
        (s.id, s.label, s.source, s.events) for s in SESSIONS]
    assert "é" in (tmp_path / "sessions.jsonl").read_text(encoding="utf-8")


def test_writing_never_goes_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    folder = tmp_path / "seq"
    folder.mkdir()
    (folder / "normal.keys").symlink_to(outside)
    (folder / ".vocabulary.json.tmp").symlink_to(outside)
    write_folder(folder, SESSIONS, VOCABULARY)
    assert outside.read_text() == "keep" and not (folder / "normal.keys").is_symlink()


def test_bad_input_names_the_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(KeySequenceError, match="no key in the vocabulary"):
        write_folder(tmp_path, [Session("s", (Event("zzz"),), 0)], VOCABULARY)
    write_folder(tmp_path, SESSIONS, VOCABULARY)
    vocabulary = read_vocabulary(tmp_path / "vocabulary.json")
    (tmp_path / "normal.keys").write_text("1 7\n")
    with pytest.raises(KeySequenceError, match=r"normal\.keys:1: key 7 is not in vocabulary\.json"):
        read_key_file(tmp_path / "normal.keys", vocabulary)
    (tmp_path / "sessions.jsonl").write_text(json.dumps({"events": [{}]}) + "\n")
    with pytest.raises(KeySequenceError, match=r"sessions\.jsonl:1: not a session record"):
        read_session_records(tmp_path / "sessions.jsonl")
    (tmp_path / "vocabulary.json").write_text("[1]")
    with pytest.raises(KeySequenceError, match=r"not a valid vocabulary\.json"):
        read_vocabulary(tmp_path / "vocabulary.json")
