"""`anomalygen run` on ZooKeeper 3.8.0's real source with loghub's real ZooKeeper log."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from anomalygen.cli import main
from anomalygen.graphs.augment import runner as runner_module
from anomalygen.graphs.augment.toolkit import Toolkit
from anomalygen.tools.java import load_program
from anomalygen.tools.synth.render import matches_template, render

pytestmark = [pytest.mark.corpus, pytest.mark.datasets, pytest.mark.slow]


@pytest.fixture(scope="module")
def zk_program(zookeeper_src):
    return load_program(zookeeper_src)


@pytest.fixture(scope="module")
def zk_run(zookeeper_src, zk_program, datasets_dir, tmp_path_factory) -> tuple[Path, dict[str, Any]]:
    # One scan serves the run and the checks (the 2-core machine pays ~15 s per ZooKeeper scan).
    patch = pytest.MonkeyPatch()
    patch.setattr(runner_module, "Toolkit", lambda: Toolkit(load_program=lambda root, scope: zk_program))
    out = tmp_path_factory.mktemp("zk") / "out"
    log = datasets_dir / "loghub" / "Zookeeper" / "Zookeeper_2k.log"
    argv = ["run", str(zookeeper_src), "--out", str(out), "--logs", str(log), "--llm", "none",
            "--seed", "1", "--limit", "400", "--json"]
    import contextlib
    import io

    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            assert main(argv) == 0
    finally:
        patch.undo()
    return out, json.loads(buffer.getvalue())


def test_every_exported_line_traces_to_a_real_source_log_statement(zk_run, zk_program, zookeeper_src):
    out, summary = zk_run
    statements = zk_program.log_statements  # the source scan, not anything the run stored
    lines = (out / "sessions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == summary["lines"] > 1000
    for raw in lines:
        record = json.loads(raw)
        statement = statements[record["statement"]]
        assert (record["file"], record["line"], record["level"]) == (
            statement.file, statement.line, statement.level.value)
        assert record["text"] == render(statement.template, record["params"])
        assert matches_template(record["text"], statement.template)
        assert (zookeeper_src / record["file"]).is_file()


def test_report_shows_coverage_gained_beyond_the_real_log(zk_run):
    out, summary = zk_run
    coverage = summary["coverage"]
    assert coverage["real"] >= 30  # statements the 2k-line real log exercises
    # more than the real log shows again, from normal paths mostly: failing paths drive sessions
    # only at the real log's failing rate (its client hang-ups are routine, not failures)
    assert coverage["gained"] > coverage["real"]
    counts = summary["counts"]
    assert counts["anomalous_sessions"] <= 0.1 * counts["synthetic_sessions"]
    assert coverage["union"] == coverage["real"] + coverage["gained"]
    assert summary["consistency"]["score"] == 1.0 and summary["consistency"]["shared"] > 50
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "gained beyond the real logs" in report and "coverage.png" in report
    assert summary["trace"]["traced"] == summary["trace"]["lines"]


def test_synthetic_peers_are_the_real_logs_machines(zk_run, datasets_dir):
    out, _ = zk_run
    ip = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
    real = set(ip.findall((datasets_dir / "loghub" / "Zookeeper" / "Zookeeper_2k.log").read_text()))
    synthetic = set(ip.findall((out / "sessions.jsonl").read_text(encoding="utf-8")))
    # one run prints one cluster: the real log's 30 peer IPs, not one new address per session
    assert synthetic and synthetic <= real - {"0.0.0.0"}
