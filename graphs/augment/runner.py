"""Drive the augment graph: start or resume a run, report its progress as events, return the outcome.

A run's checkpoints live in ``OUT/.checkpoints.sqlite`` under its run id (the LangGraph thread).
``resume`` inspects the thread's last checkpoint: a pending review interrupt is answered, a run
that stopped mid-way (crash, Ctrl-C) continues from the stage that did not finish, and a finished
run just reports its outcome again. The runner never prints: the CLI, the chat and the TUI each
render its ``RunEvent``s (``graphs/events``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path as FilePath
from typing import Any

from langgraph.types import Command as GraphCommand

from anomalygen.command import UsageError
from anomalygen.graphs.augment.graph import CHECKPOINT_DB, build_graph, sqlite_checkpointer, thread
from anomalygen.graphs.augment.nodes import PipelineError
from anomalygen.graphs.augment.state import RunSettings
from anomalygen.graphs.augment.toolkit import Toolkit
from anomalygen.graphs.events import EventSink, RunEvent, ignore
from anomalygen.outdir import OutputDir


def stage_counts(stage: str, update: Mapping[str, Any]) -> dict[str, int]:
    """What a finished stage produced, for progress displays."""
    if stage == "scan":
        return {"log_statements": update["scan"]["log_statements"], "files": update["scan"]["files"]}
    if stage == "logs":
        # either part may be absent: --structure without --logs reads key sessions only
        counted: dict[str, int] = {}
        if "logs" in update:
            real = update["logs"]
            counted.update(lines=real["lines"], matched=real["matched"], sessions=real["sessions"])
        if "structure" in update:
            counted["key_sessions"] = len(update["structure"]["sessions"])
        return counted
    if stage == "paths":
        return {"entries": len(update["entries"]), "paths": len(update["paths"])}
    if stage == "verify":
        return {"kept": len(update["kept"]), "dropped": len(update["verdicts"]) - len(update["kept"])}
    if stage in ("sessions", "labels"):
        sessions = {"sessions": len(update["sessions"])}
        if stage == "labels":
            sessions["anomalous"] = sum(1 for s in update["sessions"] if s.get("label") == 1)
        return sessions
    if stage == "export":
        return {"sessions": update["export"]["sessions"], "lines": update["export"]["lines"]}
    return {}


class Runner:
    def __init__(self, out: FilePath, *, on_event: EventSink = ignore,
                 toolkit_factory: Callable[[], Toolkit] | None = None) -> None:
        self.out = out
        self.on_event = on_event
        # Looked up at call time so tests can swap the module's ``Toolkit`` under the CLI.
        self.toolkit_factory: Callable[[], Toolkit] = toolkit_factory or (lambda: Toolkit())

    def start(self, settings: RunSettings) -> dict[str, Any]:
        run_id = settings["run_id"]
        self.on_event(RunEvent("run-started", run_id, message=f"run {run_id} -> {self.out}"))
        return self._drive(run_id, {"settings": settings})

    def resume(self, run_id: str, *, approved: bool = True, repo: str | None = None) -> dict[str, Any]:
        if not (self.out / CHECKPOINT_DB).is_file():
            raise UsageError(f"no checkpoints in {self.out}: was the run started with this --out?")
        with OutputDir(self.out).claim(), sqlite_checkpointer(self.out) as saver:
            try:
                snapshot = build_graph(self.toolkit_factory(), saver).get_state(thread(run_id))
            except sqlite3.DatabaseError as exc:
                raise UsageError(f"{self.out / CHECKPOINT_DB} is not a checkpoint database: {exc}") from exc
        if not snapshot.values:
            raise UsageError(f"no run {run_id!r} in {self.out / CHECKPOINT_DB}")
        settings = snapshot.values["settings"]
        if repo is not None and FilePath(repo).resolve() != FilePath(settings["repo"]):
            raise UsageError(f"run {run_id} was started on {settings['repo']}, not {repo}")
        if snapshot.interrupts:
            return self._drive(run_id, GraphCommand(resume={"approved": approved}))
        if snapshot.next:
            self.on_event(RunEvent("run-started", run_id,
                                   message=f"resuming run {run_id} at stage {', '.join(snapshot.next)}"))
            return self._drive(run_id, None)
        return self._outcome(run_id, snapshot.values, snapshot.interrupts)

    def _drive(self, run_id: str, graph_input: Any) -> dict[str, Any]:
        toolkit = self.toolkit_factory()
        toolkit.on_event, toolkit.run_id = self.on_event, run_id
        config = thread(run_id)
        with OutputDir(self.out).claim(), sqlite_checkpointer(self.out) as saver:
            graph = build_graph(toolkit, saver)
            try:
                for chunk in graph.stream(graph_input, config, stream_mode="updates", durability="sync"):
                    for stage, update in chunk.items():
                        if stage.startswith("__") or not update:
                            continue
                        self.on_event(RunEvent("stage-finished", run_id, stage,
                                               counts=stage_counts(stage, update),
                                               seconds=update.get("timings", {}).get(stage)))
            except PipelineError as exc:
                raise UsageError(str(exc)) from exc
            except sqlite3.DatabaseError as exc:
                raise UsageError(f"{self.out / CHECKPOINT_DB} is not a checkpoint database: {exc}") from exc
            except BaseException:
                self.on_event(RunEvent("warning", run_id, message=(
                    f"run {run_id} stopped; finished stages are saved: "
                    f"anomalygen run --out {self.out} --resume {run_id}")))
                raise
            snapshot = graph.get_state(config)
        outcome = self._outcome(run_id, snapshot.values, snapshot.interrupts)
        self.on_event(RunEvent("run-finished", run_id, message=outcome["status"]))
        return outcome

    def _outcome(self, run_id: str, values: dict[str, Any], interrupts: Any) -> dict[str, Any]:
        if interrupts:
            return {"run_id": run_id, "status": "awaiting-review", "out": str(self.out),
                    "review": interrupts[0].value}
        if "export" not in values:
            return {"run_id": run_id, "status": "rejected", "out": str(self.out)}
        summary = values["export"]["summary"]
        return {
            "run_id": run_id,
            "status": "done",
            "out": str(self.out),
            "files": values["export"]["files"],
            "sessions": values["export"]["sessions"],
            "lines": values["export"]["lines"],
            "counts": summary["counts"],
            "verdicts": summary["verdicts"],
            "fallbacks": summary["fallbacks"],
            "coverage": summary["coverage"],
            "consistency": summary["consistency"],
            "consistency_unbound": summary["consistency_unbound"],
            "trace": {k: v for k, v in summary["trace"].items() if k != "problems"},
            "usage": summary["llm"]["usage"],
            "timings": values.get("timings", {}),
        }
