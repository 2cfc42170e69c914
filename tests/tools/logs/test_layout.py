"""log4j / logback layouts compiled to formats."""

from __future__ import annotations

import pytest

from anomalygen.tools.logs import FormatError, compile_layout, resolve_format


def test_zookeeper_layout_reads_the_loghub_line() -> None:
    fmt = compile_layout("%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n")
    line = ("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774]"
            " - Notification time out: 3200")
    match = fmt.regex.fullmatch(line)
    assert match is not None
    assert match["cls"] == "FastLeaderElection" and match["srcline"] == "774"
    assert match["thread"] == "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181"
    assert fmt.parse_time is not None and fmt.parse_time(match["timestamp"]) == pytest.approx(1438191704.747)


def test_logback_pattern_with_padding_mdc_and_custom_date() -> None:
    fmt = compile_layout("%d{yyyy-MM-dd'T'HH:mm:ss.SSS} [%thread] %-5level %logger{36} %X{req} - %msg%n")
    line = "2024-03-01T10:00:00.250 [pool-1-thread-2] WARN  com.acme.Store req=7 - disk full"
    match = fmt.regex.fullmatch(line)
    assert match is not None
    assert (match["thread"], match["level"], match["logger"], match["message"]) == (
        "pool-1-thread-2", "WARN", "com.acme.Store", "disk full")
    assert fmt.parse_time is not None and fmt.parse_time(match["timestamp"]) == pytest.approx(1709287200.25)


def test_simple_layout_message_may_contain_colons() -> None:
    match = resolve_format("%d %p [%t] %c: %m").regex.fullmatch(  # type: ignore[union-attr]
        "2024-01-02 10:00:00,123 INFO [main] com.x.Y: key: value")
    assert match is not None and match["logger"] == "com.x.Y" and match["message"] == "key: value"


def test_bad_layouts_are_clear_errors() -> None:
    with pytest.raises(FormatError, match="no message conversion"):
        compile_layout("%d %p")
    with pytest.raises(FormatError, match="unsupported conversion %highlight"):
        compile_layout("%highlight(%p) %m")
    with pytest.raises(FormatError, match="unsupported date letter"):
        compile_layout("%d{QQ} %m")
    with pytest.raises(FormatError, match="unknown log format"):
        resolve_format("syslog")
