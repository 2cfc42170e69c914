"""`anomalygen run` on the real demo target, examples/blockstore, through the CLI entry point."""

import json
import re
from pathlib import Path

import pytest

from anomalygen.cli import main
from anomalygen.graphs.augment import runner as runner_module
from anomalygen.graphs.augment.toolkit import Toolkit

BLOCKSTORE = Path(__file__).resolve().parents[3] / "examples" / "blockstore"
SKIP = {"run.json", ".checkpoints.sqlite"}

pytestmark = pytest.mark.skipif(not (BLOCKSTORE / "src").is_dir(), reason="examples/blockstore missing")


def _tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not SKIP & set(p.relative_to(out).parts) and ".llm-cache" not in p.parts}


def _run(out: Path, *extra: str) -> int:
    return main(["run", str(BLOCKSTORE), "--out", str(out), "--seed", "7", *extra])


@pytest.fixture(scope="module")
def mock_run(tmp_path_factory) -> Path:
    """One clean `--llm mock` run, shared by the reproducibility and the resume tests."""
    out: Path = tmp_path_factory.mktemp("blockstore") / "mock"
    assert _run(out, "--llm", "mock") == 0
    return out


@pytest.mark.parametrize("llm", ["none", "mock"])
def test_two_runs_are_byte_identical(tmp_path, capsys, llm, mock_run):
    assert _run(tmp_path / "a", "--llm", llm, "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    if llm == "mock":
        other = mock_run
    else:
        assert _run(tmp_path / "b", "--llm", llm) == 0
        other = tmp_path / "b"
    first, second = _tree(tmp_path / "a"), _tree(other)
    assert first == second and "sessions.jsonl" in first and "sequences/vocabulary.json" in first
    assert summary["status"] == "done" and summary["consistency"]["score"] == 1.0
    assert summary["trace"]["traced"] == summary["trace"]["lines"] == summary["lines"] > 0
    assert summary["coverage"]["synthetic"] > 0
    text = (tmp_path / "a" / "sessions.jsonl").read_text()
    assert "blk_blk_" not in text  # a template's own prefix is never repeated by a generated value
    # one block per session: every block id printed in a session is the same
    blocks: dict[str, set[str]] = {}
    for line in text.splitlines():
        record = json.loads(line)
        blocks.setdefault(record["session"], set()).update(re.findall(r"blk_-?\d+", record["text"]))
    assert all(len(ids) <= 1 for ids in blocks.values())


def _crashing_toolkit(stage: str, error: type[BaseException]):
    pending = {stage}

    def before(name: str) -> None:
        if name in pending:
            pending.discard(name)
            raise error(f"injected at {name}")

    return lambda: Toolkit(before_stage=before)


def test_interrupted_run_resumes_to_the_same_output(tmp_path, capsys, monkeypatch, mock_run):
    # Ctrl-C while the labels stage runs (crashes at other stages: test_graph.py)
    capsys.readouterr()
    monkeypatch.setattr(runner_module, "Toolkit", _crashing_toolkit("labels", KeyboardInterrupt))
    assert _run(tmp_path / "killed", "--llm", "mock") == 130  # the CLI's Ctrl-C exit status
    err = capsys.readouterr().err
    found = re.search(r"--resume ([0-9a-f]{12})", err)
    assert found is not None, err
    run_id = found.group(1)
    assert not (tmp_path / "killed" / "sessions.jsonl").exists()
    assert main(["run", "--out", str(tmp_path / "killed"), "--resume", run_id]) == 0
    assert _tree(tmp_path / "killed") == _tree(mock_run)


def test_usage_errors(tmp_path, capsys):
    assert main(["run", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert main(["run", "--out", str(tmp_path / "o"), "--resume", "nope"]) == 2
    missing_log = str(tmp_path / "x.log")
    assert main(["run", str(BLOCKSTORE), "--out", str(tmp_path / "o"), "--logs", missing_log]) == 2
    empty = tmp_path / "empty"
    (empty / "src").mkdir(parents=True)
    (empty / "src" / "A.java").write_text("class A { void f() { int x = 1; } }")
    assert main(["run", str(empty), "--out", str(tmp_path / "o2")]) == 2
    no_java = tmp_path / "nojava"
    no_java.mkdir()
    (no_java / "notes.txt").write_text("no java here")
    assert main(["run", str(no_java), "--out", str(tmp_path / "o3")]) == 2
    err = capsys.readouterr().err
    assert "no .java files" in err
    assert "not a directory" in err and "no checkpoints" in err and "no log statements" in err


def test_paths_file_keeps_every_verdict_with_its_rationale(mock_run):
    paths = [json.loads(line) for line in (mock_run / "paths.jsonl").read_text().splitlines()]
    assert paths, "paths.jsonl is empty"
    sources = {p["verdict"]["source"] for p in paths}
    assert sources <= {"symbolic", "llm", "symbolic-fallback"} and "llm" in sources
    assert all(p["verdict"]["rationale"] for p in paths)
    used = {json.loads(line)["path"] for line in (mock_run / "sessions.jsonl").read_text().splitlines()}
    assert used <= {p["id"] for p in paths}, "a session line names a path missing from paths.jsonl"


LOG = BLOCKSTORE / "logs" / "blockstore.log"
LABELS = BLOCKSTORE / "logs" / "labels.csv"


@pytest.mark.slow
@pytest.mark.skipif(not LABELS.is_file(), reason="examples/blockstore/logs missing")
def test_real_session_labels_make_synthetic_sessions_with_anomaly_only_statements_anomalous(tmp_path):
    out = tmp_path / "labelled"
    assert _run(out, "--llm", "none", "--logs", str(LOG), "--log-labels", str(LABELS)) == 0
    run = json.loads((out / "run.json").read_text())
    assert run["settings"]["log_labels"] == str(LABELS.resolve())
    # In the real log, giving up on a replica, a failed write, a failed RPC and an under-replicated
    # report occur only in the 39 blocks labelled anomalous.
    sessions: dict[str, list[dict[str, object]]] = {}
    for line in (out / "sessions.jsonl").read_text().splitlines():
        row = json.loads(line)
        sessions.setdefault(str(row["session"]), []).append(row)
    anomaly_only = {"WriteBlockHandler.transferOnce-4f98db76", "WriteBlockHandler.handle-7f093521",
                    "RpcDispatcher.dispatch-cfecca47", "ReplicationMonitor.reportOnce-195ea690"}
    normal = [rows for rows in sessions.values() if rows[0]["label"] == 0]
    assert normal
    assert not any(anomaly_only & {str(r["statement"]) for r in rows} for rows in normal)
    assert run["stats"]["labels"]["relabelled_by_real_anomalies"] > 0


def test_log_labels_need_logs_and_an_existing_file(tmp_path, capsys):
    assert _run(tmp_path / "x", "--llm", "none", "--log-labels", str(LABELS)) == 2
    assert "give the log files too" in capsys.readouterr().err
    assert _run(tmp_path / "y", "--llm", "none", "--logs", str(LOG), "--log-labels",
                str(tmp_path / "missing.csv")) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.skipif(not LOG.is_file(), reason="examples/blockstore/logs missing")
def test_statements_below_the_level_the_real_log_shows_are_left_out(tmp_path):
    # The example's log holds INFO and up: its DEBUG and TRACE statements never print there.
    assert _run(tmp_path / "auto", "--llm", "none", "--logs", str(LOG)) == 0
    levels = {json.loads(line)["level"] for line in (tmp_path / "auto" / "sessions.jsonl").open()}
    assert levels <= {"INFO", "WARN", "ERROR", "FATAL"} and "INFO" in levels
    run = json.loads((tmp_path / "auto" / "run.json").read_text())
    assert run["stats"]["sessions"]["silent_statements"] == 3
    assert _run(tmp_path / "all", "--llm", "none", "--logs", str(LOG), "--min-level", "none") == 0
    levels = {json.loads(line)["level"] for line in (tmp_path / "all" / "sessions.jsonl").open()}
    assert "DEBUG" in levels


def test_a_bad_min_level_is_a_usage_error(tmp_path, capsys):
    assert _run(tmp_path / "x", "--llm", "none", "--min-level", "loud") == 2
    assert "--min-level 'loud'" in capsys.readouterr().err


def test_silenced_statements_follow_the_observed_or_given_level():
    from anomalygen.records import Level, LogStatement
    from anomalygen.tools.synth import silenced

    def statement(sid: str, level: Level) -> LogStatement:
        return LogStatement(id=sid, file="A.java", line=1, level=level, template="t")

    statements = {"d": statement("d", Level.DEBUG), "i": statement("i", Level.INFO),
                  "w": statement("w", Level.WARN)}
    assert silenced(statements, "INFO", "auto") == frozenset({"d"})
    assert silenced(statements, None, "auto") == frozenset()  # no real logs: keep everything
    assert silenced(statements, "INFO", "none") == frozenset()
    assert silenced(statements, None, "WARN") == frozenset({"d", "i"})


def test_exclude_leaves_a_file_out_of_the_scan_and_is_kept_with_the_run(tmp_path, capsys):
    out = tmp_path / "scoped"
    assert _run(out, "--llm", "none", "--exclude", "**/DeleteBlockHandler.java", "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    run = json.loads((out / "run.json").read_text())
    assert run["settings"]["scope"] == {"include": [], "exclude": ["**/DeleteBlockHandler.java"],
                                        "defaults": True}
    files = {json.loads(line)["file"] for line in (out / "sessions.jsonl").read_text().splitlines()}
    assert files and not any(f.endswith("DeleteBlockHandler.java") for f in files)
    assert summary["coverage"]["total"] < 35  # the whole example holds 35 statements


def test_a_wrong_vocabulary_or_key_file_and_zero_sessions_are_usage_errors(tmp_path, capsys):
    junk = tmp_path / "junk.txt"
    junk.write_text("aGVsbG8gd29ybGQ=\nbm90IGtleXM=\n")
    # a vocabulary that is neither a templates CSV nor a vocabulary.json: refused before the run
    assert main(["run", str(BLOCKSTORE), "--out", str(tmp_path / "v"), "--vocabulary", str(junk)]) == 2
    assert not (tmp_path / "v").exists()
    assert main(["run", str(BLOCKSTORE), "--out", str(tmp_path / "s"), "--sessions", "0"]) == 2
    vocabulary = tmp_path / "templates.csv"
    vocabulary.write_text("EventId,EventTemplate\nE1,Receiving block <*> src: <*> dest: <*>\n")
    # key sessions of which no line holds a key of the vocabulary: a wrong file, not a few bad keys
    assert main(["run", str(BLOCKSTORE), "--out", str(tmp_path / "k"), "--llm", "none",
                 "--vocabulary", str(vocabulary), "--structure", str(junk)]) == 2
    err = capsys.readouterr().err
    assert "EventId and EventTemplate" in err and "--sessions must be at least 1" in err
    assert "none of its 2 lines holds a key of the vocabulary" in err
