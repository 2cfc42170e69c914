"""The augment graph's nodes: thin wrappers that read state, call a tool, return a state update.

Each node returns only the fields its stage produces, as plain data, so the checkpoint after a
node is everything a resumed run needs to skip it. Timings and LLM usage are recorded per stage.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path as FilePath
from typing import Any, Protocol

from anomalygen.graphs.augment.state import AugmentState, RunSettings
from anomalygen.graphs.augment.summary import export_all, review_summary
from anomalygen.graphs.augment.toolkit import Toolkit
from anomalygen.tools.synth.compose_retry import retry_sources
from anomalygen.tools.synth.consistency import measure
from anomalygen.tools.synth.label_refine import refine
from anomalygen.tools.synth.labels import (
    REAL_ANOMALY_REASON,
    LabelRules,
    failure_level_lines,
    failure_reasons,
    label_sessions,
    retry_lines,
)
from anomalygen.tools.synth.model import SynthSession
from anomalygen.tools.synth.params import ParameterPlan, SessionFiller, build_plan
from anomalygen.tools.synth.proposals import propose
from anomalygen.tools.synth.sessions import ComposeSettings, compose, fill, learn_entry_order
from langgraph.types import interrupt

from anomalygen.records import Level, LogStatement, Path, Verdict, VerdictKind


class Node(Protocol):
    def __call__(self, state: AugmentState) -> dict[str, Any]: ...



def silenced(statements: dict[str, LogStatement], observed: str | None, setting: str) -> frozenset[str]:
    """Statements below the deployment's log level. ``setting``: ``auto`` (the least severe level
    the real logs show; nothing without real logs), ``none`` (keep every statement) or a level."""
    if setting == "none" or (setting == "auto" and observed is None):
        return frozenset()
    threshold = Level.parse(observed if setting == "auto" and observed is not None else setting)
    return frozenset(sid for sid, st in statements.items() if st.level.severity < threshold.severity)


class PipelineError(ValueError):
    """The input cannot give a useful run (no log statements, no paths): a clear message, exit 2."""


@contextmanager
def _usage(toolkit: Toolkit, settings: RunSettings, stage: str, update: dict[str, Any]) -> Iterator[None]:
    """Record the stage's wall time and the LLM usage it spent into ``update``."""
    backend = toolkit.backend(settings["llm"])
    before = backend.usage.to_dict()
    started = time.perf_counter()
    yield
    after = backend.usage.to_dict()
    update["timings"] = {stage: round(time.perf_counter() - started, 3)}
    update["usage"] = {stage: {k: after[k] - before.get(k, 0) for k in after}}


def _statements(state: AugmentState) -> dict[str, LogStatement]:
    return {sid: LogStatement.from_dict(d) for sid, d in state["statements"].items()}


def _kept_paths(state: AugmentState) -> list[Path]:
    kept = set(state["kept"])
    return [Path.from_dict(p) for p in state["paths"] if p["id"] in kept]


def make_nodes(toolkit: Toolkit) -> dict[str, Node]:
    def scan(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("scan")
        settings = state["settings"]
        update: dict[str, Any] = {}
        with _usage(toolkit, settings, "scan", update):
            try:
                program = toolkit.program(settings["repo"])
            except ValueError as exc:  # tools/java: missing root, no .java file (SourceRootError)
                raise PipelineError(str(exc)) from exc
            if not program.log_statements:
                raise PipelineError(f"no log statements found under {settings['repo']}: "
                                    "nothing to synthesize")
            update["scan"] = {"files": len(program.files), "methods": len(program.methods),
                              "log_statements": len(program.log_statements),
                              "parse_errors": len(program.parse_errors), "skipped": len(program.skipped)}
        return update

    def logs(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("logs")
        from anomalygen.graphs.augment.real_logs import read_real_logs
        from anomalygen.tools.logs.reader import LogReadError

        settings = state["settings"]
        update: dict[str, Any] = {}
        with _usage(toolkit, settings, "logs", update):
            try:
                update["logs"] = read_real_logs(toolkit.program(settings["repo"]), settings["logs"],
                                                settings["log_format"], settings["session_by"],
                                                settings.get("log_labels"))
            except (OSError, ValueError, LogReadError) as exc:  # no line matches the format, bad --session-by
                raise PipelineError(f"reading real logs: {exc}") from exc
        return update

    def paths(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("paths")
        settings = state["settings"]
        update: dict[str, Any] = {}
        with _usage(toolkit, settings, "paths", update):
            program = toolkit.program(settings["repo"])
            entries: list[str] = []
            for spec in settings["entries"]:
                resolved = toolkit.resolve_entry(program, spec)
                if not resolved:
                    raise PipelineError(f"--entry {spec!r} names no method in {settings['repo']}")
                entries.extend(m for m in resolved if m not in entries)
            entries = entries or toolkit.discover_entries(program)
            found = toolkit.enumerate_paths(program, entries, settings["limit"], settings["max_depth"],
                                            settings["per_entry"])
            if not found:
                raise PipelineError("no execution path from the entry points prints a log statement")
            used = sorted({sid for p in found for sid in p.statements})
            update.update(entries=sorted(entries), paths=[p.to_dict() for p in found],
                          statements={sid: program.log_statements[sid].to_dict() for sid in used})
        return update

    def verify(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("verify")
        settings = state["settings"]
        update: dict[str, Any] = {}
        with _usage(toolkit, settings, "verify", update):
            all_paths = [Path.from_dict(p) for p in state["paths"]]
            verdicts = toolkit.verify_paths(toolkit.program(settings["repo"]), all_paths,
                                            toolkit.backend(settings["llm"]), settings["concurrency"])
            by_path = {v.path_id: v for v in verdicts}
            # A path the verifier skipped keeps an explicit undecided verdict rather than vanishing.
            ordered = [by_path.get(p.id) or Verdict(p.id, VerdictKind.UNDECIDED, "none", "not verified")
                       for p in all_paths]
            update["verdicts"] = [v.to_dict() for v in ordered]
            update["kept"] = [v.path_id for v in ordered if v.kind is not VerdictKind.INFEASIBLE]
            update["stats"] = {"verify": {
                "fallbacks": sum(v.source == "symbolic-fallback" for v in ordered),
                "infeasible": sum(v.kind is VerdictKind.INFEASIBLE for v in ordered)}}
        return update

    def parameters(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("parameters")
        settings = state["settings"]
        update: dict[str, Any] = {}
        with _usage(toolkit, settings, "parameters", update):
            statements = _statements(state)
            on_kept = {sid for p in _kept_paths(state) for sid in p.statements}
            observed = (state.get("logs") or {}).get("observed", {})
            plan = build_plan([statements[s] for s in sorted(on_kept)], observed)
            outcome = propose(plan.needing_proposals(), statements, toolkit.backend(settings["llm"]),
                              concurrency=settings["concurrency"],
                              max_statements=settings["max_llm_requests"])
            plan = plan.with_proposals(outcome.values)
            update["plan"] = plan.to_dict()
            update["stats"] = {"parameters": {"requests": outcome.requests, "failures": outcome.failures,
                                              "rejected": outcome.rejected, "sources": plan.source_counts()}}
        return update

    def sessions(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("sessions")
        settings = state["settings"]
        update: dict[str, Any] = {}
        with _usage(toolkit, settings, "sessions", update):
            statements = _statements(state)
            plan = ParameterPlan.from_dict(state["plan"])
            rules = LabelRules.from_mapping(settings["label_rules"])
            real = state.get("logs") or {}
            precedence = {(a, b): n for a, b, n in real.get("precedence", [])}
            kept = _kept_paths(state)
            entry_order = learn_entry_order(real.get("first_orders", []), kept)
            silent = silenced(statements, real.get("min_level"), settings.get("min_level", "auto"))

            def failing(path: Path) -> bool:
                return bool(failure_reasons(path, statements, rules))

            callees = toolkit.program(settings["repo"]).callee_index()
            retries = retry_sources(kept, retry_lines(statements, rules),
                                    failure_level_lines(statements, rules),
                                    lambda method: callees.get(method, ()), failing)
            composed = compose(kept, plan, failing,
                               ComposeSettings(seed=settings["seed"], sessions=settings["sessions"],
                                               silent=silent),
                               precedence, entry_order, retries)
            bound = fill(composed, SessionFiller(plan, settings["seed"]))
            unbound = fill(composed, SessionFiller(plan, settings["seed"], bind=False))

            def events(items: list[SynthSession]) -> Iterator[list[tuple[str, tuple[str, ...]]]]:
                return ([(e.statement, e.params) for e in s.events] for s in items)

            update["sessions"] = [s.to_dict() for s in bound]
            update["stats"] = {"sessions": {"silent_statements": len(silent)}}
            update["consistency"] = {"bound": measure(plan, events(bound)).to_dict(),
                                     "unbound": measure(plan, events(unbound)).to_dict()}
        return update

    def labels(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("labels")
        settings = state["settings"]
        update: dict[str, Any] = {}
        with _usage(toolkit, settings, "labels", update):
            statements = _statements(state)
            paths_by_id = {p.id: p for p in _kept_paths(state)}
            rules = LabelRules.from_mapping(settings["label_rules"])
            items = [SynthSession.from_dict(s) for s in state["sessions"]]
            seen_only_in_anomalies = frozenset((state.get("logs") or {}).get("anomalous_only", []))
            labeled = label_sessions(items, paths_by_id, statements, rules, seen_only_in_anomalies)
            outcome = refine(labeled, statements, toolkit.backend(settings["llm"]),
                             concurrency=settings["concurrency"], max_sessions=settings["max_llm_requests"])
            update["sessions"] = [s.to_dict() for s in outcome.sessions]
            recovered = sum(1 for s in outcome.sessions
                            if s.rule_label == 0 and any("recovered" in r for r in s.reasons))
            update["stats"] = {"labels": {
                "rule_anomalous": sum(s.rule_label == 1 for s in outcome.sessions),
                "rule_normal": sum(s.rule_label == 0 for s in outcome.sessions),
                "recovered_by_retry": recovered,
                "relabelled_by_real_anomalies": sum(
                    1 for s in labeled
                    if s.rule_label == 1 and any(REAL_ANOMALY_REASON in r for r in s.reasons)),
                "llm_requests": outcome.requests, "llm_changed": outcome.changed,
                "llm_failures": outcome.failures,
                "final_sources": dict(sorted(Counter(s.label_source for s in outcome.sessions).items()))}}
        return update

    def review(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("review")
        # interrupt() suspends the run here; its return value is what `--resume` passes back.
        decision = interrupt(review_summary(state))
        approved = bool(decision.get("approved", True)) if isinstance(decision, dict) else bool(decision)
        return {"review": {"approved": approved}}

    def export(state: AugmentState) -> dict[str, Any]:
        toolkit.starting("export")
        settings = state["settings"]
        update: dict[str, Any] = {}
        with _usage(toolkit, settings, "export", update):
            update["export"] = export_all(state, FilePath(settings["out"]),
                                          toolkit.backend(settings["llm"]).describe())
        return update

    return {"scan": scan, "logs": logs, "paths": paths, "verify": verify, "parameters": parameters,
            "sessions": sessions, "labels": labels, "review": review, "export": export}
