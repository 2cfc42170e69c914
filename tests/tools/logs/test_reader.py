"""The streaming reader on real loghub files and on every kind of bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from anomalygen.tools.logs import LogReadError, ReadStats, read_entries
from anomalygen.tools.logs.reader import HEADER_PROBE

ZK_LINE = ("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774]"
           " - Notification time out: 3200")
ZK_WARN = ("2015-07-29 19:04:29,079 - WARN  [SendWorker:188978561024:QuorumCnxManager$SendWorker@679] - "
           "Interrupted while waiting for message on queue")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_zookeeper_fields(tmp_path: Path) -> None:
    path = _write(tmp_path, "zk.log", (ZK_LINE + "\n" + ZK_WARN + "\n").encode())
    first, second = list(read_entries(path, "zookeeper"))
    assert first.message == "Notification time out: 3200"
    assert first.thread == "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181"
    assert (first.source_class, first.source_line, first.level) == ("FastLeaderElection", 774, "INFO")
    assert first.timestamp == pytest.approx(1438191704.747)
    assert second.source_class == "QuorumCnxManager$SendWorker"
    assert second.line_no == 2


def test_real_files_auto_detected(datasets_dir: Path) -> None:
    for name, logger in (("HDFS/HDFS_2k.log", "dfs.DataNode$PacketResponder"),
                         ("Zookeeper/Zookeeper_2k.log", None)):
        stats = ReadStats()
        entries = list(read_entries(datasets_dir / "loghub" / name, stats=stats))
        assert len(entries) == 2000 and stats.entries == 2000
        assert stats.malformed_lines == 0 and stats.orphan_lines == 0
        assert entries[0].logger == logger
        assert all(e.timestamp is not None for e in entries)


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    path = tmp_path / "zk.log.gz"
    with gzip.open(path, "wb") as fh:
        fh.write((ZK_LINE + "\n").encode() * 3)
    assert [e.message for e in read_entries(path)] == ["Notification time out: 3200"] * 3


def test_stack_trace_lines_attach_to_their_entry(tmp_path: Path) -> None:
    trace = "java.io.IOException: boom\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)\n"
    path = _write(tmp_path, "zk.log", (ZK_WARN + "\n" + trace + "\n" + ZK_LINE + "\n").encode())
    stats = ReadStats()
    first, second = list(read_entries(path, "zookeeper", stats=stats))
    assert first.extra == ["java.io.IOException: boom", "\tat a.B.c(B.java:1)", "\tat a.B.d(B.java:2)"]
    assert second.extra == [] and second.line_no == 6
    assert stats.continuation_lines == 3 and stats.empty_lines == 1


def test_undecodable_bytes_are_replaced_and_counted(tmp_path: Path) -> None:
    raw = ZK_LINE.encode().replace(b"3200", b"32\xff\xfe00") + b"\n" + ZK_LINE.encode() + b"\n"
    stats = ReadStats()
    entries = list(read_entries(_write(tmp_path, "zk.log", raw), "zookeeper", stats=stats))
    assert entries[0].message == "Notification time out: 32\ufffd\ufffd00"
    assert stats.undecodable_lines == 1 and stats.replaced_chars == 2


def test_overlong_line_is_cut_and_the_rest_skipped(tmp_path: Path) -> None:
    long_line = ZK_LINE + "x" * 5000
    path = _write(tmp_path, "zk.log", (long_line + "\n" + ZK_WARN + "\n").encode())
    stats = ReadStats()
    first, second = list(read_entries(path, "zookeeper", stats=stats, max_line=1024))
    assert first.truncated and len(first.text) == 1024
    assert second.message.startswith("Interrupted") and second.line_no == 2
    assert stats.overlong_lines == 1


def test_truncated_header_is_malformed_not_a_continuation(tmp_path: Path) -> None:
    cut = ZK_LINE[:40]  # the writer died mid-line: "2015-07-29 17:41:44,747 - INFO  [QuorumP"
    path = _write(tmp_path, "zk.log", (ZK_LINE + "\n" + cut).encode())
    stats = ReadStats()
    entries = list(read_entries(path, "zookeeper", stats=stats))
    assert len(entries) == 2 and entries[1].malformed and entries[1].text == cut
    assert entries[0].extra == []
    assert stats.malformed_lines == 1 and stats.unterminated_last_line == 1


def test_headerless_lines_at_the_top_are_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, "zk.log", ("\tat a.B.c(B.java:1)\n" + ZK_LINE + "\n").encode())
    stats = ReadStats()
    entries = list(read_entries(path, "zookeeper", stats=stats))
    assert [e.malformed for e in entries] == [True, False] and stats.orphan_lines == 1


def test_format_matching_no_line_names_format_and_sample(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.log", b"hello world\nsecond line\n")
    with pytest.raises(LogReadError, match=r"format 'hdfs' matches no line.*'hello world'"):
        list(read_entries(path, "hdfs"))
    with pytest.raises(LogReadError, match=r"no known format .*'hello world'"):
        list(read_entries(path))


def test_format_error_stops_early_on_a_big_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.log", b"nothing to see\n" * (HEADER_PROBE * 5))
    stats = ReadStats()
    with pytest.raises(LogReadError, match="first 1000"):
        list(read_entries(path, "zookeeper", stats=stats))
    assert stats.physical_lines == HEADER_PROBE


def test_empty_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(LogReadError, match="is empty"):
        list(read_entries(_write(tmp_path, "empty.log", b""), "hdfs"))
    with pytest.raises(LogReadError, match="is empty"):
        list(read_entries(_write(tmp_path, "blank.log", b"\n\n  \n")))
    with pytest.raises(LogReadError, match="cannot read"):
        list(read_entries(tmp_path / "missing.log", "hdfs"))
    with pytest.raises(LogReadError, match="is a directory"):
        list(read_entries(tmp_path))


def test_corrupt_gzip_is_a_clear_error(tmp_path: Path) -> None:
    data = gzip.compress((ZK_LINE + "\n").encode() * 50)
    path = _write(tmp_path, "bad.log.gz", data[: len(data) // 2])
    with pytest.raises(LogReadError, match="unreadable after line"):
        list(read_entries(path, "zookeeper"))
