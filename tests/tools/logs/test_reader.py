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


_JETTY_LINES = [  # Jetty 9.4.57's StdErrLog, as printed by a real `java -jar start.jar`
    "2026-11-23 17:34:32.616:INFO::main: Logging initialized @789ms to org.eclipse.jetty.util.log.StdErrLog",
    "2026-11-23 17:34:33.162:INFO:oejs.Server:main: jetty-9.4.57.v20241219; built: unknown; git: unknown",
    "2026-11-23 17:35:11.532:INFO:oejs.session:JettyShutdownThread: node0 Stopped scavenging",
]


def test_jettys_own_format_is_detected_root_logger_included(tmp_path: Path) -> None:
    log = tmp_path / "jetty.out"
    log.write_text("\n".join(_JETTY_LINES) + "\n", encoding="utf-8")
    stats = ReadStats()
    entries = list(read_entries(log, stats=stats))
    assert [(e.logger, e.thread) for e in entries] == [
        ("", "main"), ("oejs.Server", "main"), ("oejs.session", "JettyShutdownThread")]
    assert entries[0].message == "Logging initialized @789ms to org.eclipse.jetty.util.log.StdErrLog"
    assert stats.malformed_lines == 0


def test_a_configured_bare_message_layout_does_not_shadow_a_structured_one(tmp_path: Path) -> None:
    log = tmp_path / "jetty.out"
    log.write_text("\n".join(_JETTY_LINES) + "\n", encoding="utf-8")
    # Jetty's own repository configures "%msg%n" somewhere: it matches every line, reads nothing
    entries = list(read_entries(log, layouts=["%msg%n"]))
    assert [e.level for e in entries] == ["INFO", "INFO", "INFO"]
    assert entries[1].message.startswith("jetty-9.4.57")


def test_log4j2_and_logback_default_output_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "app.log"  # what both print with no configuration file at all
    log.write_text("17:00:00.123 [main] INFO  com.acme.App - Started in 2 s\n"
                   "17:00:01.004 [pool-1-thread-2] ERROR com.acme.Store - disk full: /data\n",
                   encoding="utf-8")
    entries = list(read_entries(log))
    assert [(e.level, e.logger, e.thread, e.message) for e in entries] == [
        ("INFO", "com.acme.App", "main", "Started in 2 s"),
        ("ERROR", "com.acme.Store", "pool-1-thread-2", "disk full: /data"),
    ]


def test_spring_boot_console_output_is_detected_with_its_offset(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text(
        "2024-01-15T10:30:00.123+01:00  INFO 12345 --- [           main] "
        "com.example.demo.DemoApplication         : Started DemoApplication in 2.5 seconds\n"
        "2024-01-15T10:30:01.000Z  WARN 12345 --- [nio-8080-exec-1] "
        "o.s.web.servlet.PageNotFound             : No mapping for GET /favicon.ico\n",
        encoding="utf-8")
    entries = list(read_entries(log))
    assert [(e.level, e.thread, e.logger, e.message) for e in entries] == [
        ("INFO", "main", "com.example.demo.DemoApplication", "Started DemoApplication in 2.5 seconds"),
        ("WARN", "nio-8080-exec-1", "o.s.web.servlet.PageNotFound", "No mapping for GET /favicon.ico"),
    ]
    assert entries[0].timestamp == pytest.approx(1705311000.123)  # 09:30 UTC
    assert entries[1].timestamp == pytest.approx(1705314601.0)  # 10:30:01 UTC
