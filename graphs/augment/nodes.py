"""The augment graph's nodes: thin wiring that reads state, calls one tool function, returns an update.

Each node returns only the fields its stage produces, as plain data, so the checkpoint after a
node is everything a resumed run needs to skip it. ``_stage`` adds what every stage shares: the
stage-started notice, its wall time and the LLM usage it spent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Any, Protocol

from langgraph.types import interrupt

from anomalygen.graphs.augment.state import AugmentState
from anomalygen.graphs.augment.summary import export_all, review_summary
from anomalygen.graphs.augment.toolkit import Toolkit
from anomalygen.records import LogStatement, Path, Verdict, VerdictKind
from anomalygen.tools.java.model import Program
from anomalygen.tools.logs.reader import LogReadError
from anomalygen.tools.synth import (
    LabelRules,
    ParameterPlan,
    SynthSession,
    VocabularyError,
    label_all,
    plan_parameters,
    read_real_logs,
    read_structure,
    repeated_statements,
    synthesize_sessions,
)


class Node(Protocol):
    def __call__(self, state: AugmentState) -> dict[str, Any]: ...


StageBody = Callable[[AugmentState, Toolkit], dict[str, Any]]


class PipelineError(ValueError):
    """The input cannot give a useful run (no log statements, no paths): a clear message, exit 2."""


def _stage(name: str, body: StageBody, toolkit: Toolkit) -> Node:
    def node(state: AugmentState) -> dict[str, Any]:
        toolkit.starting(name)
        backend = toolkit.backend(state["settings"]["llm"])
        before = backend.usage.to_dict()
        started = time.perf_counter()
        update = body(state, toolkit)
        after = backend.usage.to_dict()
        update["timings"] = {name: round(time.perf_counter() - started, 3)}
        update["usage"] = {name: {k: after[k] - before.get(k, 0) for k in after}}
        return update

    return node


def _statements(state: AugmentState) -> dict[str, LogStatement]:
    return {sid: LogStatement.from_dict(d) for sid, d in state["statements"].items()}


def _kept_paths(state: AugmentState) -> list[Path]:
    kept = set(state["kept"])
    return [Path.from_dict(p) for p in state["paths"] if p["id"] in kept]


def scan(state: AugmentState, toolkit: Toolkit) -> dict[str, Any]:
    repo = state["settings"]["repo"]
    try:
        program = toolkit.program(repo, state["settings"].get("scope"))
    except ValueError as exc:  # tools/java: missing root, no .java file (SourceRootError)
        raise PipelineError(str(exc)) from exc
    if not program.log_statements:
        raise PipelineError(f"no log statements found under {repo}: nothing to synthesize")
    return {"scan": {"files": len(program.files), "methods": len(program.methods),
                     "log_statements": len(program.log_statements),
                     "parse_errors": len(program.parse_errors), "skipped": len(program.skipped)}}


def logs(state: AugmentState, toolkit: Toolkit) -> dict[str, Any]:
    settings = state["settings"]
    program = toolkit.program(settings["repo"], settings.get("scope"))
    update: dict[str, Any] = {}
    if settings["logs"]:
        try:
            real = read_real_logs(program, settings["logs"], settings["log_format"], settings["session_by"],
                                  settings.get("log_labels"), spool_dir=settings["out"])
        except (OSError, ValueError, LogReadError) as exc:  # no line matches the format, bad --session-by
            raise PipelineError(f"reading real logs: {exc}") from exc
        if not real["matched"]:
            toolkit.warn("logs", f"none of the {real['lines']} real log lines matched a source statement")
        update["logs"] = real
    if settings.get("vocabulary"):
        try:
            structure = read_structure(program.log_statements, settings.get("vocabulary"),
                                       settings.get("structure", []))
        except VocabularyError as exc:
            raise PipelineError(str(exc)) from exc
        if structure["skipped_keys"]:
            toolkit.warn("logs", f"{structure['skipped_keys']} events of the key sessions have a key the "
                                 f"vocabulary lacks: skipped ({structure['skipped_sessions']} sessions "
                                 "left empty)")
        update["structure"] = structure
    return update


def _entries(program: Program, specs: list[str], toolkit: Toolkit) -> list[str]:
    """The methods ``--entry`` names, in order, else the discovered entry points."""
    entries: list[str] = []
    for spec in specs:
        resolved = toolkit.resolve_entry(program, spec)
        if not resolved:
            raise PipelineError(f"--entry {spec!r} names no method in {program.root}")
        entries.extend(m for m in resolved if m not in entries)
    return entries or toolkit.discover_entries(program)


def _unit_entries(state: AugmentState, program: Program) -> list[str]:
    """The methods that print what the real data shows: their own paths are the units real sessions
    are explained by (a NameNode method a client reaches only through RPC is no entry point)."""
    real, structure = state.get("logs"), state.get("structure")
    shown = set(real["covered"] if real else ()) | set(structure["key_of"] if structure else ())
    return sorted({program.log_statements[sid].method for sid in shown
                   if sid in program.log_statements and program.log_statements[sid].method})


def paths(state: AugmentState, toolkit: Toolkit) -> dict[str, Any]:
    settings = state["settings"]
    program = toolkit.program(settings["repo"], settings.get("scope"))
    entries = _entries(program, settings["entries"], toolkit)
    if not settings["entries"]:
        entries += [m for m in _unit_entries(state, program) if m not in entries]
    found = toolkit.enumerate_paths(program, entries, settings["limit"], settings["max_depth"],
                                    settings["per_entry"])
    if not found:
        raise PipelineError("no execution path from the entry points prints a log statement")
    used = sorted({sid for p in found for sid in p.statements})
    return {"entries": sorted(entries), "paths": [p.to_dict() for p in found],
            "statements": {sid: program.log_statements[sid].to_dict() for sid in used}}


def verify(state: AugmentState, toolkit: Toolkit) -> dict[str, Any]:
    settings = state["settings"]
    all_paths = [Path.from_dict(p) for p in state["paths"]]
    program = toolkit.program(settings["repo"], settings.get("scope"))
    backend = toolkit.backend(settings["llm"])
    verdicts = toolkit.verify_paths(program, all_paths, backend, settings["concurrency"])
    by_path = {v.path_id: v for v in verdicts}
    # A path the verifier skipped keeps an explicit undecided verdict rather than vanishing.
    ordered = [by_path.get(p.id) or Verdict(p.id, VerdictKind.UNDECIDED, "none", "not verified")
               for p in all_paths]
    fallbacks = sum(v.source == "symbolic-fallback" for v in ordered)
    if fallbacks:
        toolkit.warn("verify", f"{fallbacks} path(s) kept their symbolic verdict: "
                               "the LLM gave no usable answer")
    return {"verdicts": [v.to_dict() for v in ordered],
            "kept": [v.path_id for v in ordered if v.kind is not VerdictKind.INFEASIBLE],
            "stats": {"verify": {"fallbacks": fallbacks,
                                 "infeasible": sum(v.kind is VerdictKind.INFEASIBLE for v in ordered)}}}


def parameters(state: AugmentState, toolkit: Toolkit) -> dict[str, Any]:
    settings = state["settings"]
    real = state.get("logs")
    repeated = repeated_statements(real["first_orders"] if real else [], state.get("structure"))
    outcome = plan_parameters(_statements(state), _kept_paths(state), real["observed"] if real else {},
                              toolkit.backend(settings["llm"]), concurrency=settings["concurrency"],
                              max_statements=settings["max_llm_requests"], repeated=repeated)
    return {"plan": outcome.plan.to_dict(), "stats": {"parameters": outcome.stats}}


def _rules(state: AugmentState) -> LabelRules:
    """The run's label rules, with what the real log prints routinely."""
    real = state.get("logs")
    return LabelRules.from_mapping(state["settings"]["label_rules"]).with_routine(
        real.get("routine", ()) if real else ())


def sessions(state: AugmentState, toolkit: Toolkit) -> dict[str, Any]:
    settings = state["settings"]
    callees = toolkit.program(settings["repo"], settings.get("scope")).callee_index()
    made = synthesize_sessions(_kept_paths(state), _statements(state), ParameterPlan.from_dict(state["plan"]),
                               state.get("logs"), _rules(state),
                               seed=settings["seed"], count=settings["sessions"],
                               min_level=settings.get("min_level", "auto"),
                               callees=lambda method: callees.get(method, ()),
                               structure=state.get("structure"), anomaly_share=settings.get("anomaly_share"))
    if not made.stats["structure"]["used"] and made.stats["real_sessions"]:
        toolkit.warn("sessions", made.stats["structure"]["why"])
    return {"sessions": [s.to_dict() for s in made.sessions], "consistency": made.consistency,
            "stats": {"sessions": made.stats}}


def labels(state: AugmentState, toolkit: Toolkit) -> dict[str, Any]:
    settings = state["settings"]
    real = state.get("logs")
    outcome = label_all([SynthSession.from_dict(s) for s in state["sessions"]], _kept_paths(state),
                        _statements(state), _rules(state),
                        real["anomalous_only"] if real else (), toolkit.backend(settings["llm"]),
                        concurrency=settings["concurrency"], max_sessions=settings["max_llm_requests"])
    return {"sessions": [s.to_dict() for s in outcome.sessions], "stats": {"labels": outcome.stats}}


def export(state: AugmentState, toolkit: Toolkit) -> dict[str, Any]:
    settings = state["settings"]
    described = toolkit.backend(settings["llm"]).describe()
    return {"export": export_all(state, FilePath(settings["out"]), described)}


def review(state: AugmentState) -> dict[str, Any]:
    # interrupt() suspends the run here; its return value is what `--resume` passes back.
    decision = interrupt(review_summary(state))
    approved = bool(decision.get("approved", True)) if isinstance(decision, dict) else bool(decision)
    return {"review": {"approved": approved}}


_BODIES: dict[str, StageBody] = {"scan": scan, "logs": logs, "paths": paths, "verify": verify,
                                 "parameters": parameters, "sessions": sessions, "labels": labels,
                                 "export": export}


def make_nodes(toolkit: Toolkit) -> dict[str, Node]:
    def review_node(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("review")
        return review(state)

    return {**{name: _stage(name, body, toolkit) for name, body in _BODIES.items()}, "review": review_node}
