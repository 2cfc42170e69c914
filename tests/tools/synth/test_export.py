import csv
import json

import pytest

from anomalygen.records import Level, LogStatement
from anomalygen.tools.synth.compose.sessions import ComposeSettings, compose, fill
from anomalygen.tools.synth.export.dataset import UnsafeOutputPathError, export, inside
from anomalygen.tools.synth.export.trace import check_export
from anomalygen.tools.synth.labels.rules import LabelRules, label_sessions
from anomalygen.tools.synth.model import SynthSession
from anomalygen.tools.synth.params.plan import SessionFiller, build_plan
from tests.tools.synth.handbuilt import BY_ID, PATHS, STATEMENTS

KEPT = [p for p in PATHS if p.id != "p-mon-dead"]


def _sessions() -> list[SynthSession]:
    plan = build_plan(STATEMENTS)
    composed = compose(KEPT, plan, lambda p: p.through_catch, ComposeSettings(seed=2, sessions=25))
    filled = fill(composed, SessionFiller(plan, 2))
    return label_sessions(filled, {p.id: p for p in KEPT}, BY_ID, LabelRules())


def test_export_layout_and_trace(tmp_path):
    sessions = _sessions()
    verdicts = {p.id: {"kind": "feasible", "source": "symbolic"} for p in KEPT}
    result = export(tmp_path, sessions, BY_ID, verdicts)
    assert set(result.files) >= {"sessions.jsonl", "structured.csv", "sequences/vocabulary.json",
                                 "sequences/normal.keys", "sequences/abnormal.keys",
                                 "sequences/sessions.jsonl"}
    records = [json.loads(line) for line in (tmp_path / "sessions.jsonl").read_text().splitlines()]
    assert len(records) == result.lines == sum(len(s.events) for s in sessions)
    for key in ("session", "text", "level", "statement", "file", "line", "entry", "path", "verdict", "label"):
        assert key in records[0]
    rows = list(csv.DictReader((tmp_path / "structured.csv").open()))
    assert len(rows) == len(records) and rows[0]["EventId"] == records[0]["statement"]
    keys = (tmp_path / "sequences/normal.keys").read_text().splitlines()
    keys += (tmp_path / "sequences/abnormal.keys").read_text().splitlines()
    assert len(keys) == len(sessions)
    trace = check_export(tmp_path, BY_ID)
    assert trace.ok and trace.traced == len(records)


def test_trace_catches_an_invented_line(tmp_path):
    export(tmp_path, _sessions(), BY_ID, {})
    path = tmp_path / "sessions.jsonl"
    lines = path.read_text().splitlines()
    record = json.loads(lines[0])
    record["text"] = "a line no statement prints"
    lines[0] = json.dumps(record)
    other = json.loads(lines[1])
    other["line"] = 9999
    lines[1] = json.dumps(other)
    path.write_text("\n".join(lines) + "\n")
    trace = check_export(tmp_path, BY_ID)
    assert not trace.ok and trace.traced == len(lines) - 2
    assert "text" in trace.problems[0] and "line" in trace.problems[1]


def test_export_refuses_unknown_statements(tmp_path):
    sessions = _sessions()
    with pytest.raises(ValueError, match="no known log statement"):
        export(tmp_path, sessions, {k: v for k, v in BY_ID.items() if k != "Client.java:10"}, {})


def test_writes_stay_inside_the_output_folder(tmp_path):
    with pytest.raises(UnsafeOutputPathError):
        inside(tmp_path, "..", "escape.txt")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sessions.jsonl").symlink_to(tmp_path / "victim.txt")
    with pytest.raises(UnsafeOutputPathError):
        export(tmp_path / "out", _sessions(), BY_ID, {})
    assert not (tmp_path / "victim.txt").exists()


def test_hostile_template_text_is_only_data(tmp_path):
    # Source text is untrusted: a template that looks like a path or markup is written as a value.
    evil = LogStatement("Evil.java:1", "../../etc/passwd", 1, Level.INFO, "../../{} $(rm -rf /) ```", ())
    from anomalygen.tools.synth.model import SynthEvent, SynthSession

    session = SynthSession("s", (SynthEvent("Evil.java:1", "p", "e", ("x",)),), ("p",), {}, 0, 0)
    export(tmp_path, [session], {"Evil.java:1": evil}, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sequences", "sessions.jsonl", "structured.csv"]
    assert check_export(tmp_path, {"Evil.java:1": evil}).ok
