"""read_real_logs streams: its record equals the one computed from every line and session in memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.tools.java import load_program
from anomalygen.tools.logs.labels import load_labels
from anomalygen.tools.logs.match import match_file, observed_parameters
from anomalygen.tools.logs.sessions import make_sessions, parse_spec
from anomalygen.tools.synth.compose.sessions import MAX_PRECEDENCE_EVENTS, learn_precedence
from anomalygen.tools.synth.labels.rules import anomalous_only
from anomalygen.tools.synth.params.cluster import PeerReuse
from anomalygen.tools.synth.params.plan import MAX_OBSERVED_PER_SLOT
from anomalygen.tools.synth.real_logs import MAX_SESSIONS, read_real_logs

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "blockstore"
LOG = EXAMPLE / "logs" / "blockstore.log"
LABELS = EXAMPLE / "logs" / "labels.csv"


@pytest.mark.parametrize("session_by", ["auto", "sliding:2s/1s"])
def test_the_streamed_record_equals_the_one_computed_in_memory(tmp_path: Path, session_by: str) -> None:
    program = load_program(EXAMPLE)
    real = read_real_logs(program, [str(LOG)], "auto", session_by, str(LABELS), spool_dir=str(tmp_path))
    lines = list(match_file(program, [LOG], "auto"))
    spec = parse_spec("blk" if session_by == "auto" else session_by)
    sessions = make_sessions(lines, spec, load_labels(str(LABELS)))
    known = program.log_statements
    sequences = [[e.statement for e in s.events if e.statement in known] for s in sessions]
    matched = [line for line in lines if line.statement is not None]
    assert real["session_spec"]["kind"] == spec.kind and real["sessions"] == len(sessions) > 1
    assert (real["lines"], real["matched"]) == (len(lines), len(matched))
    assert real["covered"] == sorted({line.statement.id for line in matched if line.statement})
    assert real["precedence"] == [(a, b, n) for (a, b), n in sorted(learn_precedence(sequences).items())]
    assert real["first_orders"] == [seq[:MAX_PRECEDENCE_EVENTS] for seq in sequences[:MAX_SESSIONS]]
    assert real.get("first_labels") == [s.label for s in sessions[:MAX_SESSIONS]]
    assert real["labelled_sessions"] == sum(1 for s in sessions if s.label is not None)
    expected_only = anomalous_only((s.label, seq) for s, seq in zip(sessions, sequences, strict=True))
    assert real["anomalous_only"] == sorted(expected_only)
    observed = observed_parameters(matched, limit=MAX_OBSERVED_PER_SLOT)
    assert real["observed"] == {sid: [list(row) for row in rows] for sid, rows in sorted(observed.items())}
    reuse = PeerReuse()
    for session in sessions:
        reuse.new_session()
        for event in session.events:
            if event.statement in known:
                reuse.add(event.statement, event.params)
    assert real.get("peer_reuse") == [reuse.reused, reuse.possible]
    if session_by == "auto":  # a block's datanodes are printed again within its session
        assert 0 < reuse.reused < reuse.possible
    assert list(tmp_path.iterdir()) == []  # the spool leaves nothing in the output folder
