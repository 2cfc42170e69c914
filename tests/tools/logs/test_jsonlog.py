"""JSON Lines logs: the encoders' field names, multi-line messages and stack traces, detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.tools.logs import ReadStats, read_entries
from anomalygen.tools.logs.jsonlog import decode

LOGSTASH = {"@timestamp": "2024-05-01T10:15:30.123+02:00", "@version": "1",
            "message": "Started in 3.2 seconds", "logger_name": "com.acme.Application",
            "thread_name": "main", "level": "INFO", "level_value": 20000,
            "caller_class_name": "com.acme.Application", "caller_method_name": "main",
            "caller_line_number": 12}
ECS = {"@timestamp": "2024-07-30T08:41:10.561Z", "log.level": "ERROR", "process.pid": 67455,
       "process.thread.name": "http-nio-8080-exec-1", "log.logger": "com.acme.Orders",
       "message": "Order 7 failed", "error.type": "java.lang.IllegalStateException",
       "error.stack_trace": "java.lang.IllegalStateException: boom\n"
                            "\tat com.acme.Orders.place(Orders.java:40)",
       "ecs.version": "8.11"}
GELF = {"version": "1.1", "short_message": "Order 7 failed", "timestamp": 1722328870.561, "level": 3,
        "_process_thread_name": "main", "_log_logger": "com.acme.Orders",
        "full_message": "Order 7 failed\njava.lang.IllegalStateException: boom"}
LOG4J2 = {"instant": {"epochSecond": 1795463208, "nanoOfSecond": 449037785}, "thread": "main",
          "level": "DEBUG", "loggerName": "org.s.DataSourceTransactionManager",
          "message": "Creating new transaction\nsecond line",
          "source": {"class": "org.s.AbstractPlatformTransactionManager", "method": "getTransaction",
                     "file": "AbstractPlatformTransactionManager.java", "line": 371}}


def test_logstash_encoder_fields() -> None:
    fields = decode(json.dumps(LOGSTASH))
    assert fields is not None
    assert (fields["message"], fields["level"], fields["logger"], fields["thread"]) == (
        "Started in 3.2 seconds", "INFO", "com.acme.Application", "main")
    assert (fields["cls"], fields["method"], fields["srcline"]) == ("com.acme.Application", "main", 12)
    assert fields["timestamp"] == pytest.approx(1714551330.123)  # 08:15:30.123 UTC: the offset is honoured


def test_ecs_dotted_keys_flat_or_nested_and_the_stack_trace() -> None:
    flat = decode(json.dumps(ECS))
    nested = decode(json.dumps({"@timestamp": ECS["@timestamp"], "message": ECS["message"],
                                "log": {"level": "ERROR", "logger": "com.acme.Orders"},
                                "error": {"stack_trace": ECS["error.stack_trace"]}}))
    assert flat is not None and nested is not None
    for fields in (flat, nested):
        assert (fields["level"], fields["logger"]) == ("ERROR", "com.acme.Orders")
        assert fields["message"] == "Order 7 failed"
        assert fields["extra"] == ["java.lang.IllegalStateException: boom",
                                   "\tat com.acme.Orders.place(Orders.java:40)"]
    assert flat["thread"] == "http-nio-8080-exec-1"


def test_gelf_syslog_level_seconds_and_full_message() -> None:
    fields = decode(json.dumps(GELF))
    assert fields is not None
    assert (fields["level"], fields["logger"], fields["thread"]) == ("ERROR", "com.acme.Orders", "main")
    assert fields["timestamp"] == pytest.approx(1722328870.561)
    assert fields["extra"] == ["java.lang.IllegalStateException: boom"]  # not the message twice


def test_log4j2_json_layout_instant_source_and_a_multi_line_message() -> None:
    fields = decode(json.dumps(LOG4J2))
    assert fields is not None
    assert fields["timestamp"] == pytest.approx(1795463208.449037785)
    assert (fields["cls"], fields["method"], fields["srcline"]) == (
        "org.s.AbstractPlatformTransactionManager", "getTransaction", 371)
    assert (fields["message"], fields["extra"]) == ("Creating new transaction", ["second line"])


@pytest.mark.parametrize("stamp", ["1e400", str(10**400), '"not a time"', '"9999999-01-01T00:00:00"',
                                   "true", '{"epochSecond": "x"}'])
def test_a_time_that_cannot_be_read_is_none_not_an_error(stamp: str) -> None:
    fields = decode('{"timestamp": ' + stamp + ', "message": "m"}')
    assert fields is not None and fields["timestamp"] is None and fields["message"] == "m"


@pytest.mark.parametrize("line", ['{"level": "INFO"}', "[1, 2]", "plain text", '{"message": "x"',
                                  "[" * 100_000, '{"msg": ""}'])
def test_what_is_not_a_json_log_event(line: str) -> None:
    assert decode(line) is None  # no message, not an object, not JSON, cut, absurdly nested, empty


def test_a_json_log_file_is_detected_and_read_with_its_stray_lines(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    plain = {"time": "2024-05-01T10:15:31Z", "level": "info", "msg": "bye"}
    lines = [json.dumps(LOGSTASH), "context ready", json.dumps(ECS), '{"message": "cut o', json.dumps(plain)]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = ReadStats()
    entries = list(read_entries(log, stats=stats))  # no --format: JSON Lines is detected
    assert [(e.message, e.level, e.malformed) for e in entries] == [
        ("Started in 3.2 seconds", "INFO", False), ("Order 7 failed", "ERROR", False),
        ('{"message": "cut o', None, True), ("bye", "info", False)]
    assert entries[0].extra == ["context ready"]  # a program's own stderr line continues the event above
    assert entries[1].extra[0].startswith("java.lang.IllegalStateException")
    assert (stats.entries, stats.continuation_lines, stats.malformed_lines) == (4, 1, 1)
    assert entries[0].source_method == "main" and entries[0].source_line == 12
    assert list(read_entries(log, "json"))[3].message == "bye"  # and by name
