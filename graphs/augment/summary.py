"""Summaries of a run's state: what the review interrupt shows, and the export stage's writer.

``export_all`` writes the whole output folder: the dataset files (tools/synth/export), the trace
check over what was written, ``report.md`` with its plots, and ``run.json``. Everything but
``run.json`` is a function of the inputs and the seed.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path as FilePath
from typing import Any

from anomalygen.graphs.augment.state import AugmentState
from anomalygen.records import LogStatement
from anomalygen.tools.synth.export.dataset import ExportResult, export, export_paths, write_text
from anomalygen.tools.synth.export.keyed import GivenVocabulary
from anomalygen.tools.synth.export.report import write_report
from anomalygen.tools.synth.export.trace import check_export
from anomalygen.tools.synth.model import SynthSession

USAGE_KEYS = ("calls", "requests", "prompt_tokens", "completion_tokens", "total_tokens", "cache_hits",
              "retries", "failures")


def total_usage(state: AugmentState) -> dict[str, int]:
    """LLM usage summed over stages (survives a resume, unlike a backend's in-process counters)."""
    totals = dict.fromkeys(USAGE_KEYS, 0)
    for stage in (state.get("usage") or {}).values():
        for key in USAGE_KEYS:
            totals[key] += int(stage.get(key, 0))
    return totals


def coverage(state: AugmentState, sessions: list[SynthSession]) -> dict[str, Any]:
    synthetic = {e.statement for s in sessions for e in s.events}
    logs = state.get("logs")
    real = set(logs["covered"]) if logs else None
    result: dict[str, Any] = {"total": state["scan"]["log_statements"], "synthetic": len(synthetic),
                              "real": None, "union": len(synthetic), "gained": len(synthetic)}
    if real is not None:
        result.update(real=len(real), union=len(real | synthetic), gained=len(synthetic - real))
    return result


def counts(state: AugmentState, sessions: list[SynthSession]) -> dict[str, Any]:
    labels = Counter(s.label for s in sessions)
    result = {
        "log_statements_in_source": state["scan"]["log_statements"],
        "entry_points": len(state.get("entries", [])),
        "paths_enumerated": len(state["paths"]),
        "paths_kept": len(state["kept"]),
        "synthetic_sessions": len(sessions),
        "normal_sessions": labels.get(0, 0),
        "anomalous_sessions": labels.get(1, 0),
        "lines_exported": sum(len(s.events) for s in sessions),
    }
    logs = state.get("logs")
    if logs:
        result.update(real_log_lines=logs["lines"], real_lines_matched=logs["matched"],
                      real_sessions=logs["sessions"])
    return result


def review_summary(state: AugmentState) -> dict[str, Any]:
    """What a reviewer sees before export: counts, verdicts, labels, consistency, one sample session."""
    sessions = [SynthSession.from_dict(s) for s in state["sessions"]]
    statements = {sid: LogStatement.from_dict(d) for sid, d in state["statements"].items()}
    sample = []
    if sessions:
        from anomalygen.tools.synth.render import render

        for event in sessions[0].events[:8]:
            statement = statements[event.statement]
            sample.append(f"{statement.level.value} {render(statement.template, event.params)}")
    return {"counts": counts(state, sessions), "coverage": coverage(state, sessions),
            "verdicts": _verdict_rows(state), "consistency": state["consistency"]["bound"],
            "sample_session": sample}


def _verdict_rows(state: AugmentState) -> list[dict[str, Any]]:
    tally = Counter((v["kind"], v["source"]) for v in state["verdicts"])
    return [{"kind": k, "source": s, "count": n} for (k, s), n in sorted(tally.items())]


def _keys_summary(result: ExportResult) -> dict[str, Any]:
    """How ``sequences/`` is keyed: in the run's statements, or in a given vocabulary."""
    if result.in_vocabulary is None:
        return {"keyed_in": "statements"}
    return {"keyed_in": "vocabulary", "lines_in_vocabulary": result.in_vocabulary,
            "lines_outside": result.lines - result.in_vocabulary,
            "statements_outside": len(result.outside_vocabulary)}


def export_all(state: AugmentState, out_dir: FilePath, llm: dict[str, Any]) -> dict[str, Any]:
    settings = state["settings"]
    sessions = [SynthSession.from_dict(s) for s in state["sessions"]]
    statements = {sid: LogStatement.from_dict(d) for sid, d in state["statements"].items()}
    verdicts = {v["path_id"]: v for v in state["verdicts"]}
    given = GivenVocabulary.from_structure(state.get("structure"))
    result = export(out_dir, sessions, statements, verdicts, given)
    paths_file = export_paths(out_dir, state["paths"], verdicts)
    trace = check_export(out_dir, statements)
    stats = state.get("stats") or {}
    label_stats = {k: v for k, v in stats.get("labels", {}).items() if not isinstance(v, dict)}
    sources = stats.get("labels", {}).get("final_sources", {})
    label_stats.update({f"final label from {k}": v for k, v in sources.items()})
    parameter_stats = stats.get("parameters", {})
    fallbacks = {"verify (symbolic-fallback verdicts)": stats.get("verify", {}).get("fallbacks", 0),
                 "parameters (failed proposal requests)": parameter_stats.get("failures", 0),
                 "labels (rules-fallback)": stats.get("labels", {}).get("llm_failures", 0)}
    summary = {
        "repo": FilePath(settings["repo"]).name,
        "counts": counts(state, sessions),
        "verdicts": _verdict_rows(state),
        "fallbacks": sum(fallbacks.values()),
        "fallbacks_by_stage": fallbacks,
        "coverage": coverage(state, sessions),
        "consistency": state["consistency"]["bound"],
        "consistency_unbound": state["consistency"]["unbound"],
        "params": parameter_stats.get("sources", {}),
        "values": stats.get("sessions", {}).get("values", {}),
        "labels": label_stats,
        "trace": {"lines": trace.lines, "traced": trace.traced, "problems": trace.problems},
        "keys": _keys_summary(result),
        "llm": {"backend": llm.get("backend", settings["llm"]["name"]), "model": llm.get("model", ""),
                "usage": total_usage(state)},
    }
    files = [*result.files, str(paths_file.relative_to(out_dir.resolve())),
             *write_report(out_dir, summary, [len(s.events) for s in sessions])]
    run_info = {
        "run_id": settings["run_id"],
        "seed": settings["seed"],
        "settings": {k: v for k, v in settings.items() if k != "label_rules"},
        "label_rules": settings["label_rules"],
        "timings": state.get("timings", {}),
        "usage": {"total": summary["llm"]["usage"], "by_stage": state.get("usage", {})},
        "stats": stats,
        "summary": summary,
    }
    write_text(out_dir, "run.json", json.dumps(run_info, indent=2, default=str) + "\n")
    files.append("run.json")
    return {"files": sorted(files), "lines": result.lines, "sessions": result.sessions,
            "vocabulary": result.vocabulary, "summary": summary}
