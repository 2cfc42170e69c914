"""Long tools that write files: run_augmentation (the augment graph) and evaluate (detectors).

Both ask for approval first (unless ``--yes``), write only under the workspace's output folder,
report progress as events while they run, and stop at the next stage boundary when the user
cancels (an augment run is checkpointed, so it can be resumed by its run id).
"""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from anomalygen.agent.tools.spec import ToolResult, ToolSpec
from anomalygen.agent.workspace import StepCancelledError, ToolError, Workspace


def _in_background(ws: Workspace, name: str, work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread; wait for it unless the user cancels (it then finishes unattended)."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # handed back to the waiting tool call
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"agent-{name}", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.1)
        ws.check_cancelled()
    if "error" in box:
        raise box["error"]
    return box["result"]


class AugmentArgs(BaseModel):
    sessions: int | None = Field(
        None, ge=1, le=5000, description="synthetic sessions (default: one per path)"
    )
    seed: int = Field(0, ge=0)
    entries: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="entry methods (Class.method) to start paths from; default: all",
    )
    use_logs: bool = Field(True, description="learn parameters and levels from the user's logs")


def _run_args(ws: Workspace, args: AugmentArgs, out: str) -> argparse.Namespace:
    from anomalygen.graphs.augment.cli import configure

    parser = argparse.ArgumentParser(add_help=False)
    configure(parser)
    argv = [str(ws.repo), "--out", out, "--seed", str(args.seed), "--llm", ws.llm["name"]]
    if args.sessions:
        argv += ["--sessions", str(args.sessions)]
    for entry in args.entries:
        argv += ["--entry", entry]
    if args.use_logs and ws.logs:
        argv += ["--logs", *map(str, ws.logs)]
    options = ws.llm.get("options", {})
    if ws.llm["name"] == "openai":
        argv += [
            "--llm-base-url",
            str(options.get("base_url")),
            "--llm-structured-output",
            str(options.get("structured_output", "json_schema")),
        ]
        if options.get("model"):
            argv += ["--llm-model", str(options["model"])]
    return parser.parse_args(argv)


def run_augmentation(ws: Workspace, args: AugmentArgs) -> ToolResult:
    from anomalygen.command import UsageError
    from anomalygen.graphs.augment.cli import new_settings
    from anomalygen.graphs.augment.runner import Runner

    run_name = time.strftime("%Y%m%d-%H%M%S")
    out = ws.output_dir("runs", run_name)
    try:
        settings = new_settings(_run_args(ws, args, str(out)), out)
    except (UsageError, SystemExit) as exc:
        raise ToolError(f"cannot start the run: {exc}") from None

    def on_event(event: Any) -> None:  # the augment runner's RunEvent
        ws.emit(
            str(event.kind),
            {
                "stage": event.stage,
                "message": event.message,
                "counts": dict(event.counts),
                "seconds": event.seconds,
            },
        )
        if ws.cancel.is_set() and event.kind == "stage-finished":
            raise StepCancelledError(f"run {settings['run_id']} stopped after {event.stage}")

    runner = Runner(out, on_event=on_event)
    try:
        outcome = _in_background(ws, "augment", lambda: runner.start(settings))
    except UsageError as exc:
        raise ToolError(str(exc)) from None
    ws.memory.setdefault("runs", {})[settings["run_id"]] = str(out)
    coverage = outcome.get("coverage", {})
    text = (
        f"run {outcome['run_id']} {outcome['status']}: {outcome.get('sessions', 0)} synthetic sessions, "
        f"{outcome.get('lines', 0)} lines, written to {out}\n"
        f"statement coverage: {coverage}\n"
        f"verdicts: {outcome.get('verdicts')}\ncontext consistency: "
        f"{outcome.get('consistency', {}).get('score')}\n"
        f"pass run_id={outcome['run_id']} to evaluate to train detectors on it"
    )
    return ToolResult(text, {"outcome": outcome})


class EvaluateArgs(BaseModel):
    models: str = Field(
        "pca,invariants,logclustering",
        max_length=300,
        description="comma-separated detector names (pca, invariants, logclustering, "
        "bigram, deeplog, ngram, grammar, ...)",
    )
    run_id: str | None = Field(None, max_length=40, description="a finished run_augmentation run")
    dataset: str = Field(
        "synthetic",
        description="'synthetic' (the run's own sessions) or 'deeplog-hdfs' "
        "(real HDFS sessions, with the run's as the real+synthetic arm)",
    )
    seeds: int = Field(1, ge=1, le=3)
    test_limit: int = Field(2000, ge=50, le=100_000)


def evaluate(ws: Workspace, args: EvaluateArgs) -> ToolResult:
    from pathlib import Path

    from anomalygen.detectors.evaluation.evaluate import EvaluationPlan, aggregate
    from anomalygen.detectors.evaluation.evaluate import evaluate as run_evaluation
    from anomalygen.detectors.evaluation.report import write_csv, write_markdown

    runs: dict[str, str] = ws.memory.get("runs", {})
    run_dir = Path(runs[args.run_id]) if args.run_id in runs else None
    if args.run_id and run_dir is None:
        raise ToolError(f"unknown run {args.run_id!r}: start one with run_augmentation")
    if args.dataset == "synthetic":
        if run_dir is None:
            raise ToolError("dataset 'synthetic' needs run_id of a finished run_augmentation")
        plan_data, synthetic = run_dir / "sequences", None
    elif args.dataset == "deeplog-hdfs":
        shared = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"
        if not (shared / "deeplog-hdfs").is_dir():
            raise ToolError("the DeepLog HDFS dataset is not available on this machine")
        plan_data, synthetic = shared, (run_dir / "sequences" if run_dir else None)
    else:
        raise ToolError("dataset must be 'synthetic' or 'deeplog-hdfs'")
    models = tuple(m.strip() for m in args.models.split(",") if m.strip())
    if not models:
        raise ToolError("name at least one detector")
    plan = EvaluationPlan(
        dataset=args.dataset,
        models=models,
        data_dir=plan_data,
        seeds=tuple(range(args.seeds)),
        synthetic_dir=synthetic,
        test_limit=args.test_limit,
    )

    def progress(message: str) -> None:
        ws.emit("stage-started", {"stage": "evaluate", "message": message, "counts": {}})
        if ws.cancel.is_set():
            raise StepCancelledError("evaluation stopped")

    try:
        results = _in_background(ws, "evaluate", lambda: run_evaluation(plan, progress=progress))
    except (FileNotFoundError, ValueError, KeyError) as exc:
        raise ToolError(f"evaluation failed: {exc}") from None
    rows = aggregate(results)
    out = ws.output_dir("evaluate", time.strftime("%Y%m%d-%H%M%S"))
    write_csv(rows, results, out)
    report = write_markdown(rows, results, out, {"dataset": args.dataset, "run": args.run_id or "-"})
    lines = [f"{len(rows)} results ({args.dataset}, {args.seeds} seed(s)); report: {report}"]
    for row in rows:
        cells = ", ".join(
            f"{m} {row.get(f'{m}_mean'):.3f}"
            for m in ("f1", "recall", "fpr", "auroc")
            if isinstance(row.get(f"{m}_mean"), float)
        )
        lines.append(f"- {row['model']} [{row['arm']}]: {cells or row.get('error')}")
    return ToolResult(
        "\n".join(lines), {"rows": [{k: v for k, v in r.items() if k != "per_seed"} for r in rows]}
    )


TOOLS = [
    ToolSpec(
        "run_augmentation",
        "Generate labeled synthetic log sessions from the source (the whole "
        "augmentation pipeline) into the output folder. Takes minutes.",
        AugmentArgs,
        run_augmentation,
        approval="runs the augmentation pipeline for minutes and writes a dataset into the output folder",
    ),
    ToolSpec(
        "evaluate",
        "Train and evaluate anomaly detectors on a run's synthetic sessions, or on real HDFS "
        "sessions with and without them.",
        EvaluateArgs,
        evaluate,
        approval="trains detectors (can take minutes) and writes a report into the output folder",
    ),
]
