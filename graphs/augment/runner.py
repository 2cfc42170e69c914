"""Drive the augment graph for the CLI: start or resume a run, show progress, report the outcome.

A run's checkpoints live in ``OUT/.checkpoints.sqlite`` under its run id (the LangGraph thread).
``resume`` inspects the thread's last checkpoint: a pending review interrupt is answered, a run
that stopped mid-way (crash, Ctrl-C) continues from the stage that did not finish, and a finished
run just reports its outcome again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Any

from anomalygen.graphs.augment.graph import STAGES, build_graph, sqlite_checkpointer, thread
from anomalygen.graphs.augment.nodes import PipelineError
from anomalygen.graphs.augment.toolkit import Toolkit
from langgraph.types import Command as GraphCommand

from anomalygen.command import UsageError
from anomalygen.console import progress, stderr


class Runner:
    def __init__(self, out: FilePath, *, quiet: bool = False,
                 toolkit_factory: Callable[[], Toolkit] | None = None) -> None:
        self.out = out
        self.quiet = quiet
        # Looked up at call time so tests can swap the module's ``Toolkit`` under the CLI.
        self.toolkit_factory: Callable[[], Toolkit] = toolkit_factory or (lambda: Toolkit())

    def start(self, settings: dict[str, Any]) -> dict[str, Any]:
        run_id = settings["run_id"]
        stderr.print(f"run [bold]{run_id}[/] -> {self.out}  (resume with --resume {run_id})", highlight=False)
        return self._drive(settings["run_id"], {"settings": settings})

    def resume(self, run_id: str, *, approved: bool = True, repo: str | None = None) -> dict[str, Any]:
        if not (self.out / ".checkpoints.sqlite").is_file():
            raise UsageError(f"no checkpoints in {self.out}: was the run started with this --out?")
        with sqlite_checkpointer(self.out) as saver:
            snapshot = build_graph(self.toolkit_factory(), saver).get_state(thread(run_id))
        if not snapshot.values:
            raise UsageError(f"no run {run_id!r} in {self.out / '.checkpoints.sqlite'}")
        settings = snapshot.values["settings"]
        if repo is not None and FilePath(repo).resolve() != FilePath(settings["repo"]):
            raise UsageError(f"run {run_id} was started on {settings['repo']}, not {repo}")
        if snapshot.interrupts:
            return self._drive(run_id, GraphCommand(resume={"approved": approved}))
        if snapshot.next:
            stderr.print(f"resuming run {run_id} at stage {', '.join(snapshot.next)}", highlight=False)
            return self._drive(run_id, None)
        return self._outcome(run_id, snapshot.values, snapshot.interrupts)

    def _drive(self, run_id: str, graph_input: Any) -> dict[str, Any]:
        toolkit = self.toolkit_factory()
        config = thread(run_id)
        with sqlite_checkpointer(self.out) as saver:
            graph = build_graph(toolkit, saver)
            try:
                with progress(self.quiet) as bar:
                    task = bar.add_task("augment", total=len(STAGES))
                    for chunk in graph.stream(graph_input, config, stream_mode="updates", durability="sync"):
                        for stage, update in chunk.items():
                            if stage.startswith("__"):
                                continue
                            bar.advance(task)
                            seconds = (update or {}).get("timings", {}).get(stage)
                            if not self.quiet:
                                took = f" ({seconds:.1f}s)" if seconds is not None else ""
                                stderr.print(f"  [green]✓[/] {stage}{took}", highlight=False)
            except PipelineError as exc:
                raise UsageError(str(exc)) from exc
            except BaseException:
                stderr.print(f"[yellow]run {run_id} stopped; finished stages are saved: "
                             f"anomalygen run --out {self.out} --resume {run_id}[/]", highlight=False)
                raise
            snapshot = graph.get_state(config)
        return self._outcome(run_id, snapshot.values, snapshot.interrupts)

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
