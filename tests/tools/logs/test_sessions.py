"""Sessions by identifier, slot, time and count windows; DeepLog key-sequence export and import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.records import Level, LogStatement, Slot
from anomalygen.tools.logs import (
    MatchedLine,
    export_key_sequences,
    import_key_sequences,
    make_sessions,
    parse_spec,
    read_key_file,
    sessions_by_count,
    sessions_by_identifier,
    sessions_by_slot,
    sessions_by_window,
)
from anomalygen.tools.logs.entry import LogEntry
from anomalygen.tools.logs.keyseq import KeySequenceError
from anomalygen.tools.logs.sessions import SessionSpecError

OPEN = LogStatement("open", "S.java", 5, Level.INFO, "open {} for {}", (Slot(0, "blockId", "String"),
                                                                         Slot(1, "client", "String")))
CLOSE = LogStatement("close", "S.java", 9, Level.INFO, "close {}", (Slot(0, "blockId", "String"),))


def _line(n: int, statement: LogStatement | None, message: str, params: tuple[str, ...] = (),
          at: float | None = None) -> MatchedLine:
    entry = LogEntry("x.log", n, message, message, timestamp=at)
    if statement is None:
        return MatchedLine(entry, None, cluster="drain:1", cluster_template="noise <*>")
    return MatchedLine(entry, statement, params)


LINES = [
    _line(1, OPEN, "open blk_1 for c1", ("blk_1", "c1"), 0.0),
    _line(2, OPEN, "open blk_-2 for c2", ("blk_-2", "c2"), 30.0),
    _line(3, None, "noise blk_1 copied to blk_-2", (), 61.0),
    _line(4, CLOSE, "close blk_1", ("blk_1",), 95.0),
]


def test_identifier_sessions_follow_loghub_multi_id_rule() -> None:
    sessions = sessions_by_identifier(LINES)
    assert [s.id for s in sessions] == ["blk_1", "blk_-2"]
    assert sessions[0].keys == ["open", "drain:1", "close"]
    assert sessions[1].keys == ["open", "drain:1"]
    assert sessions[0].events[0].params == ("blk_1", "c1") and sessions[0].events[0].timestamp == 0.0


def test_slot_sessions_use_the_slot_expression() -> None:
    sessions = sessions_by_slot(LINES, "blockid")
    assert {s.id: s.keys for s in sessions} == {"blk_1": ["open", "close"], "blk_-2": ["open"]}


def test_fixed_sliding_and_count_windows() -> None:
    fixed = sessions_by_window(LINES, 60.0)
    assert [(s.id, len(s.events)) for s in fixed] == [("window-0.000", 2), ("window-60.000", 2)]
    sliding = sessions_by_window(LINES, 60.0, 30.0)
    by_id = {s.id: [e.text for e in s.events] for s in sliding}
    assert by_id["window-30.000"] == ["open blk_-2 for c2", "noise blk_1 copied to blk_-2"]
    assert len(by_id["window-0.000"]) == 2 and len(by_id["window-60.000"]) == 2
    assert [len(s.events) for s in sessions_by_count(LINES, 3)] == [3, 1]


def test_spec_parsing_and_errors() -> None:
    assert parse_spec("blk").pattern == r"blk_-?\d+"
    assert parse_spec("sliding:1m/10s").size == 60.0 and parse_spec("sliding:1m/10s").step == 10.0
    assert parse_spec("count:5").size == 5
    assert parse_spec(r"id=(\w+)").kind == "identifier"
    for bad in ("window:0s", "sliding:60s", "count:x", "(", "(a)(b)"):
        with pytest.raises(SessionSpecError):
            parse_spec(bad)
    assert [s.id for s in make_sessions(LINES, parse_spec(r"for (c\d)"))] == ["c1", "c2"]


def test_key_sequences_round_trip(tmp_path: Path) -> None:
    sessions = sessions_by_identifier(LINES, labels={"blk_-2": 1})
    statements = {"open": OPEN, "close": CLOSE}
    counts = export_key_sequences(sessions, tmp_path, statements, {"drain:1": "noise <*>"})
    assert counts == {"abnormal": 1, "unlabeled": 1}
    vocabulary = json.loads((tmp_path / "vocabulary.json").read_text())["keys"]
    assert vocabulary["1"]["statement"] == "close" and vocabulary["1"]["line"] == 9
    assert vocabulary["2"] == {"statement": "drain:1", "template": "noise <*>", "file": None, "line": None,
                               "level": None}
    assert (tmp_path / "unlabeled.keys").read_text() == "3 2 1\n"
    assert (tmp_path / "normal.keys").read_text() == ""  # an empty part is an empty file
    back = import_key_sequences(tmp_path)
    assert [(s.id, s.label, s.keys) for s in back] == [("blk_-2", 1, ["open", "drain:1"]),
                                                       ("blk_1", None, ["open", "drain:1", "close"])]
    assert back[1].events[0].params == ("blk_1", "c1")


def test_raw_deeplog_files_and_bad_keys(tmp_path: Path, datasets_dir: Path) -> None:
    sequences = read_key_file(datasets_dir / "deeplog-hdfs" / "hdfs_train")
    assert len(sequences) == 4855 and sequences[0][:3] == ["5", "5", "5"]
    bad = tmp_path / "bad.keys"
    bad.write_text("1 2 x\n")
    with pytest.raises(KeySequenceError, match=r"bad\.keys:1: keys must be integers"):
        read_key_file(bad)
