from collections import Counter
from pathlib import Path
from typing import cast

import pytest

from anomalygen.graphs.augment.graph import after_labels, after_review, after_scan
from anomalygen.graphs.augment.runner import Runner
from anomalygen.graphs.augment.state import AugmentState, RunSettings
from tests.graphs.augment.fakes import InjectedCrashError, handbuilt_toolkit, settings

OUTPUT_FILES = ("sessions.jsonl", "structured.csv", "report.md", "sequences/vocabulary.json",
                "sequences/normal.keys", "sequences/abnormal.keys", "sequences/sessions.jsonl",
                "coverage.png", "labels.png", "session_lengths.png")


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUT_FILES}


def _run(tmp_path: Path, name: str, *extra: str,
         crash_at: set[str] | None = None) -> tuple[Runner, RunSettings, Counter[str], Path]:
    out = tmp_path / name
    calls: Counter[str] = Counter()
    pending = set(crash_at or ())
    runner = Runner(out, toolkit_factory=lambda: handbuilt_toolkit(calls, pending))
    return runner, settings(tmp_path, out, *extra), calls, out


def test_routing_functions(tmp_path):
    plain = cast(AugmentState, {"settings": settings(tmp_path, tmp_path / "o")})
    assert after_scan(plain) == "paths" and after_labels(plain) == "export"
    with_logs = cast(AugmentState, {"settings": {**plain["settings"], "logs": ["a.log"], "review": True}})
    assert after_scan(with_logs) == "logs" and after_labels(with_logs) == "review"
    assert after_review(cast(AugmentState, {"review": {"approved": False}})) == "__end__"
    assert after_review(cast(AugmentState, {"review": {"approved": True}})) == "export"


def test_two_runs_with_one_seed_are_byte_identical(tmp_path):
    llm = "mock"  # examples/blockstore runs cover `none` too (test_run_blockstore.py)
    runner_a, settings_a, _, out_a = _run(tmp_path, "a", "--llm", llm, "--seed", "7")
    runner_b, settings_b, _, out_b = _run(tmp_path, "b", "--llm", llm, "--seed", "7")
    first, second = runner_a.start(settings_a), runner_b.start(settings_b)
    assert first["status"] == second["status"] == "done"
    assert _outputs(out_a) == _outputs(out_b)
    assert first["consistency"]["score"] == 1.0
    assert first["trace"]["lines"] == first["trace"]["traced"] == first["lines"] > 0
    # one path was judged infeasible and must not appear in the data
    assert b"p-mon-dead" not in (out_a / "sessions.jsonl").read_bytes()
    assert first["usage"]["calls"] > 0
    runner_c, settings_c, _, out_c = _run(tmp_path, "c", "--llm", llm, "--seed", "8")
    runner_c.start(settings_c)
    assert (out_c / "sessions.jsonl").read_bytes() != (out_a / "sessions.jsonl").read_bytes()


@pytest.mark.parametrize("stage", ["verify", "sessions", "export"])
def test_a_crashed_run_resumes_to_the_same_output_without_redoing_work(tmp_path, stage):
    clean_runner, clean_settings, _, clean_out = _run(tmp_path, "clean", "--llm", "mock", "--seed", "3")
    clean_runner.start(clean_settings)

    runner, run_settings, calls, out = _run(tmp_path, "crashed", "--llm", "mock", "--seed", "3",
                                            crash_at={stage})
    with pytest.raises(InjectedCrashError):
        runner.start(run_settings)
    assert not (out / "report.md").exists()
    finished_before = dict(calls)
    outcome = runner.resume(run_settings["run_id"])
    assert outcome["status"] == "done"
    assert _outputs(out) == _outputs(clean_out)
    # stages that finished before the crash ran exactly once; the crashed one ran again
    order = ["scan", "paths", "verify", "parameters", "sessions", "labels", "export"]
    for done in order[: order.index(stage)]:
        assert calls[done] == 1, done
    assert calls[stage] == finished_before[stage] + 1 == 2


def test_review_interrupts_before_export_and_resume_continues(tmp_path):
    runner, run_settings, calls, out = _run(tmp_path, "reviewed", "--review", "--seed", "1")
    outcome = runner.start(run_settings)
    assert outcome["status"] == "awaiting-review"
    assert outcome["review"]["counts"]["synthetic_sessions"] > 0 and outcome["review"]["sample_session"]
    assert not (out / "sessions.jsonl").exists()
    done = runner.resume(run_settings["run_id"], approved=True)
    assert done["status"] == "done" and (out / "sessions.jsonl").exists()
    assert calls["labels"] == 1  # nothing before the interrupt was redone
    again = runner.resume(run_settings["run_id"])  # a finished run just reports itself
    assert again["files"] == done["files"]


def test_rejected_review_exports_nothing(tmp_path):
    runner, run_settings, _, out = _run(tmp_path, "rejected", "--review")
    runner.start(run_settings)
    assert runner.resume(run_settings["run_id"], approved=False)["status"] == "rejected"
    assert not (out / "sessions.jsonl").exists()


def test_fallbacks_are_recorded_when_the_llm_fails(tmp_path, monkeypatch):
    from anomalygen.llm.base import LLMBackend, LLMError

    class Unreachable(LLMBackend):
        name = "unreachable"

        def complete(self, messages, schema=None):
            self.usage.add(calls=1, failures=1)
            raise LLMError("connection refused", kind="unavailable")

    runner, run_settings, _, out = _run(tmp_path, "faulty", "--llm", "mock")
    factory = runner.toolkit_factory

    def with_unreachable():
        toolkit = factory()
        toolkit.make_backend = lambda llm: Unreachable()
        return toolkit

    runner.toolkit_factory = with_unreachable
    outcome = runner.start(run_settings)
    assert outcome["status"] == "done"
    assert outcome["fallbacks"] > 0 and outcome["usage"]["failures"] > 0
    assert "rules-fallback" in (out / "report.md").read_text()


def test_stage_counts_of_the_logs_stage_with_key_sessions_and_no_log() -> None:
    from anomalygen.graphs.augment.runner import stage_counts

    # run --vocabulary V --structure KEYS without --logs: the stage read key sessions only
    assert stage_counts("logs", {"structure": {"sessions": [["22", "5"], ["22"]]}}) == {"key_sessions": 2}
    both = stage_counts("logs", {"logs": {"lines": 10, "matched": 9, "sessions": 3},
                                 "structure": {"sessions": [["22"]]}})
    assert both == {"lines": 10, "matched": 9, "sessions": 3, "key_sessions": 1}
