"""`anomalygen match`, `coverage` and `sessions` end to end, on real logs, and their usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anomalygen.cli import main
from anomalygen.tools.logs import import_key_sequences

Capture = pytest.CaptureFixture[str]
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "blockstore"


def _run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_match_with_templates_prints_json_lines(capsys: Capture, datasets_dir: Path) -> None:
    hdfs = datasets_dir / "loghub" / "HDFS"
    code, out, _ = _run(capsys, "match", "--templates", str(hdfs / "HDFS_2k.log_templates.csv"),
                        str(hdfs / "HDFS_2k.log"), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2000
    assert rows[0]["line_no"] == 1 and rows[0]["statement"] == "E10" and rows[0]["line"] == 11
    assert rows[0]["params"] == ["1", "38865049064139660"] and rows[0]["file"] == "HDFS_2k.log_templates.csv"


def test_coverage_and_report_on_the_example_service(capsys: Capture, tmp_path: Path) -> None:
    if not (EXAMPLE / "logs" / "blockstore.log").is_file():
        pytest.skip("examples/blockstore not present")
    code, out, _ = _run(capsys, "coverage", str(EXAMPLE), str(EXAMPLE / "logs" / "blockstore.log"), "--json",
                        "--report", str(tmp_path / "report"))
    assert code == 0
    summary = json.loads(out)
    assert summary["lines_total"] == summary["read"]["entries"] > 10_000
    assert summary["line_match_rate"] >= 0.99  # the layout comes from the example's log4j2.xml
    assert 0 < summary["statements_seen"] < summary["statements_total"]
    assert summary["class_agreement"] >= 0.99 and summary["lines_approximate"] == 0
    assert {"by_package", "by_class", "by_level", "top_unseen"} <= summary.keys()
    markdown = (tmp_path / "report" / "coverage.md").read_text()
    assert "![coverage](coverage.png)" in markdown
    assert (tmp_path / "report" / "coverage.png").stat().st_size > 1000


def test_sessions_write_a_labeled_key_sequence_folder(capsys: Capture, tmp_path: Path) -> None:
    if not (EXAMPLE / "logs" / "labels.csv").is_file():
        pytest.skip("examples/blockstore not present")
    out_dir = tmp_path / "seq"
    code, out, _ = _run(capsys, "sessions", str(EXAMPLE), str(EXAMPLE / "logs" / "blockstore.log"),
                        "--by", "blk", "--labels", str(EXAMPLE / "logs" / "labels.csv"),
                        "--out", str(out_dir), "--json")
    assert code == 0
    result = json.loads(out)
    labels = (EXAMPLE / "logs" / "labels.csv").read_text().splitlines()[1:]
    anomalous = sum(1 for row in labels if row.endswith(",1"))
    assert result["parts"].get("abnormal", 0) == anomalous
    assert result["parts"]["normal"] == len(labels) - anomalous
    sessions = import_key_sequences(out_dir)
    assert len(sessions) == result["sessions"] and all(s.events for s in sessions)
    vocabulary = json.loads((out_dir / "vocabulary.json").read_text())["keys"]
    assert all(entry["file"].endswith(".java") for entry in vocabulary.values())


@pytest.mark.parametrize(("argv", "message"), [
    (["match", "--format", "%d %q %m", "--templates", "{csv}", "{log}"], "unsupported conversion %q"),
    (["match", "--templates", "{csv}", "{missing}"], "does not exist"),
    (["match", "--templates", "{bad_csv}", "{log}"], "templates CSV needs columns EventId, EventTemplate"),
    (["match", "--format", "zookeeper", "--templates", "{csv}", "{log}"],
     "format 'zookeeper' matches no line"),
    (["coverage", "{missing}", "{log}"], "is not a directory"),
    (["match", "{log}"], "give REPO and at least one log file"),
    (["coverage", "{tmp}", "{log}"], "no .java files"),
    (["coverage", "--templates", "{csv}", "{log}", "--report", "{bad_csv}"], "cannot write the report"),
    (["sessions", "--templates", "{csv}", "{log}", "--by", "sliding:5s", "--out", "{tmp}"],
     "bad sliding window"),
])
def test_usage_errors_exit_2_with_one_clear_line(capsys: Capture, tmp_path: Path,
                                                 datasets_dir: Path, argv: list[str], message: str) -> None:
    hdfs = datasets_dir / "loghub" / "HDFS"
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("Id,Template\nE1,x\n")
    (tmp_path / "out").mkdir()
    names = {"csv": hdfs / "HDFS_templates.csv", "log": hdfs / "HDFS_2k.log", "missing": tmp_path / "nope",
             "bad_csv": bad_csv, "tmp": tmp_path / "out"}
    code, out, err = _run(capsys, *[a.format(**names) for a in argv])
    assert code == 2 and out == ""
    assert message in " ".join(err.split())


def test_help_explains_the_no_source_shape(capsys: Capture) -> None:
    with pytest.raises(SystemExit):
        main(["match", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--templates CSV" in text and "JSON Lines" in text


def test_match_file_reads_a_programs_configured_layout() -> None:
    """Given a Program, ``auto`` also tries the layouts of the repository's log4j/logback files."""
    from dataclasses import dataclass, field

    from anomalygen.records import LogStatement
    from anomalygen.tools.logs import match_file
    from anomalygen.tools.logs.discover import discover_layouts

    if not (EXAMPLE / "src" / "main" / "resources" / "log4j2.xml").is_file():
        pytest.skip("examples/blockstore not present")

    @dataclass
    class FakeProgram:  # the two attributes match_file reads from a tools.java Program
        root: str
        log_statements: dict[str, LogStatement] = field(default_factory=dict)

    assert discover_layouts(EXAMPLE) == ["%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%t] %c{1}: %m%n"]
    program = FakeProgram(str(EXAMPLE))
    first = next(iter(match_file(program, EXAMPLE / "logs" / "blockstore.log")))  # type: ignore[arg-type]
    assert first.entry.logger == "BlockStoreServer" and first.entry.level == "INFO"


def test_match_on_a_repository_prefers_the_superclass_of_the_logged_class(
    capsys: Capture, tmp_path: Path
) -> None:
    repo = tmp_path / "repo" / "p"
    repo.mkdir(parents=True)
    header = "package p;\nimport org.slf4j.Logger;\nimport org.slf4j.LoggerFactory;\n"
    (repo / "Base.java").write_text(header + """abstract class Base {
  protected final Logger logger = LoggerFactory.getLogger(getClass());
  void begin(String name) { logger.info("Creating new transaction with name [" + name + "]"); }
}
class Jdbc extends Base { }
""")
    (repo / "Other.java").write_text(header + """class Other {
  private static final Logger LOG = LoggerFactory.getLogger(Other.class);
  void begin(String name) { LOG.info("Creating new transaction with name [" + name + "]"); }
}
""")
    log = tmp_path / "app.log"  # a getClass() logger names the runtime subclass, and no method
    log.write_text("2026-11-23 20:00:00,000 INFO [main] p.Jdbc: Creating new transaction with name [tx]\n")
    assert main(["match", str(tmp_path / "repo"), str(log), "--format", "%d %p [%t] %c: %m%n", "--json"]) == 0
    [line] = [json.loads(raw) for raw in capsys.readouterr().out.splitlines()]
    assert line["file"] == "p/Base.java" and line["resolved_by"] == "superclass"
