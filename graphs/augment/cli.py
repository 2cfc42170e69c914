"""``anomalygen run``: the whole augmentation job, headless, checkpointed and resumable."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from rich.markup import escape

from anomalygen.command import Command, UsageError, count_or_auto
from anomalygen.console import emit_json, stderr
from anomalygen.records import Level
from anomalygen.tools.java.scope import add_scope_arguments
from anomalygen.tools.synth.vocabulary import VocabularyError, load_vocabulary

if TYPE_CHECKING:
    from anomalygen.graphs.augment.state import LLMSettings, RunSettings
    from anomalygen.graphs.events import RunEvent

DESCRIPTION = """\
Run the augmentation pipeline on a Java repository and export a labeled synthetic log dataset:

  scan -> [logs] -> paths -> verify -> parameters -> sessions -> labels -> [review] -> export

Every exported line is a source log statement's template with its slots filled, with provenance
(file:line, entry point, path, verdict). OUT receives sessions.jsonl, structured.csv, sequences/
(key-sequence dataset), report.md with plots, and run.json. Checkpoints go to
OUT/.checkpoints.sqlite: after a crash or Ctrl-C, `anomalygen run --out OUT --resume RUN_ID`
continues without redoing finished stages. With --review the run stops before export and shows a
summary; resume it with --resume RUN_ID (add --reject to end it without exporting).
"""

EPILOG = """\
examples:
  anomalygen run examples/blockstore --out out/demo --llm none --seed 7
  anomalygen run .cache/corpus/zookeeper-3.8.0 --out out/zk \\
      --logs ../shared/datasets/loghub/Zookeeper/Zookeeper_2k.log --llm mock --json
  anomalygen run --out out/zk --resume 3f2a9c1b7d4e
"""


def configure(parser: argparse.ArgumentParser) -> None:
    from anomalygen.llm.openai_backend import DIALECTS
    from anomalygen.llm.options import add_llm_arguments

    parser.epilog = EPILOG
    parser.add_argument("repo", nargs="?", help="Java repository root (optional with --resume)")
    parser.add_argument("--out", required=True, help="output folder; nothing is written outside it")
    parser.add_argument("--seed", type=int, default=0, help="seed for every random choice (default 0)")
    parser.add_argument("--logs", nargs="+", default=[], metavar="FILE",
                        help="real log files: observed parameter values, interleavings, coverage gained")
    parser.add_argument("--log-format", "--format", dest="log_format", default="auto",
                        help="auto, hdfs, zookeeper, jul, json, or a log4j layout such as "
                             "'%%d %%p [%%t] %%c: %%m'")
    parser.add_argument("--log-labels", metavar="CSV",
                        help="labels of the real log's sessions (id,label; loghub's anomaly_label.csv): "
                             "a statement real sessions print only when anomalous labels a synthetic "
                             "session anomalous")
    parser.add_argument("--min-level", default="auto", metavar="LEVEL",
                        help="leave statements below LEVEL out of synthetic sessions: auto (the least "
                             "severe level the real logs show, e.g. no DEBUG lines when they hold INFO "
                             "and up; keep all without logs), none, or TRACE..FATAL")
    parser.add_argument("--vocabulary", metavar="FILE",
                        help="an event vocabulary (a loghub templates CSV such as HDFS_templates.csv, or a "
                             "vocabulary.json): --structure sessions are read in it and the exported "
                             "sequences/ are keyed in it (loghub's Ek is key k; statements outside it are "
                             "keyed after its last key)")
    parser.add_argument("--structure", action="append", default=[], metavar="KEYS",
                        help="real normal sessions as key sequences in --vocabulary, one session a line "
                             "(DeepLog's hdfs_train); repeatable. Synthetic sessions recombine their "
                             "structure with new valid paths from the source")
    parser.add_argument("--anomaly-share", default="auto", metavar="S|auto",
                        help="share of anomalous synthetic sessions: a number in [0, 1], or auto (with "
                             "real logs or structure, the real labelled or failing rate, else 0.03; with "
                             "neither, every kept path drives sessions in turn)")
    parser.add_argument("--session-by", default="auto",
                        help="how real logs form sessions: auto, blk, zk-session, slot:NAME, window:60s...")
    parser.add_argument("--entry", action="append", default=[], metavar="C.m",
                        help="entry point to start paths from (repeatable; default: discovered)")
    add_scope_arguments(parser)
    parser.add_argument("--limit", type=count_or_auto, default=None, metavar="N|auto",
                        help="most paths enumerated; auto (default): 1000, or as many as it takes to "
                             "reach every reachable log statement once")
    parser.add_argument("--max-depth", type=int, default=3, help="call inlining depth (default 3)")
    parser.add_argument("--per-entry", type=int, default=50, help="most paths per entry point (default 50)")
    parser.add_argument("--sessions", type=int, default=None,
                        help="synthetic sessions to compose (default: one per kept path)")
    parser.add_argument("--label-rules", metavar="FILE", help="label rules as TOML ([labels] table) or JSON")
    parser.add_argument("--failure-words", help="comma-separated failure wording (overrides the rules file)")
    parser.add_argument("--failure-levels", help="comma-separated failure levels (default ERROR,FATAL)")
    parser.add_argument("--no-recovery-aware", action="store_true",
                        help="label a failure anomalous even when a later retry succeeded")
    parser.add_argument("--max-llm-requests", type=int, default=200,
                        help="cap on LLM requests per stage for proposals and label refinement (default 200)")
    parser.add_argument("--review", action="store_true", help="stop before export and show a summary")
    parser.add_argument("--resume", metavar="RUN_ID", help="continue the run RUN_ID from its last checkpoint")
    parser.add_argument("--reject", action="store_true",
                        help="with --resume of a reviewed run: end it without exporting")
    parser.add_argument("--json", action="store_true", help="print one JSON summary on stdout")
    add_llm_arguments(parser)
    parser.add_argument("--llm-dialect", dest="llm_structured_output", choices=DIALECTS,
                        help="alias of --llm-structured-output")


def _label_rules(args: argparse.Namespace) -> dict[str, Any]:
    from anomalygen.tools.synth.labels.rules import LabelRules

    try:
        rules = LabelRules.from_file(FilePath(args.label_rules)) if args.label_rules else LabelRules()
        data = rules.to_dict()
        if args.failure_words:
            data["words"] = [w.strip() for w in args.failure_words.split(",") if w.strip()]
        if args.failure_levels:
            data["levels"] = [w.strip() for w in args.failure_levels.split(",") if w.strip()]
        if args.no_recovery_aware:
            data["recovery_aware"] = False
        return LabelRules.from_mapping(data).to_dict()
    except (OSError, ValueError) as exc:
        raise UsageError(f"label rules: {exc}") from exc


def _llm_settings(args: argparse.Namespace, out: FilePath) -> LLMSettings:
    """Backend name and options without the API key (checkpoints must not hold credentials)."""
    from anomalygen.llm.options import backend_from_args

    backend_from_args(args, cache_dir=str(out / ".llm-cache"))  # validates the flags: UsageError on bad ones
    options: dict[str, Any] = {}
    if args.llm == "openai":
        options = {"base_url": args.llm_base_url, "model": args.llm_model,
                   "structured_output": args.llm_structured_output, "timeout": args.llm_timeout,
                   "max_retries": args.llm_retries, "max_tokens": args.llm_max_tokens,
                   "temperature": args.llm_temperature,
                   "cache_dir": args.llm_cache or str(out / ".llm-cache")}
    return {"name": args.llm, "options": options}


def _anomaly_share(text: str) -> float | None:
    if text.strip().lower() == "auto":
        return None
    try:
        share = float(text)
    except ValueError:
        share = float("nan")
    if not 0.0 <= share <= 1.0:  # also refuses nan
        raise UsageError(f"--anomaly-share {text!r}: use auto or a number between 0 and 1")
    return share


def new_settings(args: argparse.Namespace, out: FilePath) -> RunSettings:
    if not args.repo:
        raise UsageError("give a repository (or --resume RUN_ID to continue a run)")
    repo = FilePath(args.repo).resolve()
    if not repo.is_dir():
        raise UsageError(f"repository {args.repo!r} is not a directory")
    logs = []
    for name in args.logs:
        path = FilePath(name).resolve()
        if not path.is_file():
            raise UsageError(f"log file {name!r} does not exist or is not a file")
        logs.append(str(path))
    log_labels = None
    if args.log_labels:
        if not logs:
            raise UsageError("--log-labels labels the sessions of --logs: give the log files too")
        labels_path = FilePath(args.log_labels).resolve()
        if not labels_path.is_file():
            raise UsageError(f"labels file {args.log_labels!r} does not exist or is not a file")
        log_labels = str(labels_path)
    min_level = args.min_level.strip().lower()
    if min_level not in ("auto", "none"):
        try:
            min_level = Level.parse(min_level).value
        except ValueError:
            raise UsageError(f"--min-level {args.min_level!r}: use auto, none or a level "
                             "(TRACE, DEBUG, INFO, WARN, ERROR, FATAL)") from None
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be at least 1 (or auto)")
    for flag in ("max_depth", "per_entry", "max_llm_requests"):
        if getattr(args, flag) < 1:
            raise UsageError(f"--{flag.replace('_', '-')} must be at least 1")
    if args.sessions is not None and args.sessions < 1:
        raise UsageError("--sessions must be at least 1")
    vocabulary = None
    if args.vocabulary:
        vocabulary_path = FilePath(args.vocabulary).resolve()
        if not vocabulary_path.is_file():  # a FIFO or device would block the read below
            raise UsageError(f"--vocabulary {args.vocabulary!r} does not exist or is not a regular file")
        vocabulary = str(vocabulary_path)
        try:  # before the run starts: a wrong file is the user's mistake, not a failed stage
            load_vocabulary(vocabulary_path)
        except VocabularyError as exc:
            raise UsageError(f"--vocabulary: {exc} (a loghub templates CSV or a vocabulary.json)") from None
    if args.structure and vocabulary is None:
        raise UsageError("--structure sessions are keys of a vocabulary: give --vocabulary too")
    structure = []
    for name in args.structure:
        path = FilePath(name).resolve()
        if not path.is_file():
            raise UsageError(f"--structure {name!r} does not exist or is not a file")
        structure.append(str(path))
    anomaly_share = _anomaly_share(args.anomaly_share)
    return {
        "run_id": uuid.uuid4().hex[:12], "repo": str(repo), "out": str(out), "seed": args.seed,
        "llm": _llm_settings(args, out), "logs": logs, "log_format": args.log_format,
        "log_labels": log_labels, "min_level": min_level, "vocabulary": vocabulary, "structure": structure,
        "anomaly_share": anomaly_share,
        "session_by": args.session_by, "entries": list(args.entry), "limit": args.limit,
        "scope": {"include": list(args.include), "exclude": list(args.exclude),
                  "defaults": not args.no_default_excludes},
        "max_depth": args.max_depth, "per_entry": args.per_entry, "sessions": args.sessions,
        "label_rules": _label_rules(args), "review": args.review, "concurrency": args.llm_concurrency,
        "max_llm_requests": args.max_llm_requests,
    }


def run(args: argparse.Namespace) -> int:
    from anomalygen.graphs.augment.runner import Runner

    out = FilePath(args.out).resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out!r} exists and is not a folder")
    if args.reject and not args.resume:
        raise UsageError("--reject only applies with --resume RUN_ID")
    runner = Runner(out, on_event=print_event if not args.json else quiet_event)
    if args.resume:
        outcome = runner.resume(args.resume, approved=not args.reject, repo=args.repo)
    else:
        outcome = runner.start(new_settings(args, out))
    if outcome["status"] == "awaiting-review" and not args.json and sys.stdin.isatty():
        answer = input("export this dataset? [Y/n] ").strip().lower()
        outcome = runner.resume(outcome["run_id"], approved=answer in ("", "y", "yes"))
    if args.json:
        emit_json(outcome)
    else:
        _print_outcome(outcome)
    return 0


def print_event(event: RunEvent) -> None:
    """The run's progress on stderr, one line per event."""
    if event.kind == "run-started":
        stderr.print(f"{escape(event.message)}  (resume with --resume {event.run_id})", highlight=False)
    elif event.kind == "stage-finished":
        took = f" ({event.seconds:.1f}s)" if event.seconds is not None else ""
        stderr.print(f"  [green]✓[/] {event.stage}{took}", highlight=False)
    elif event.kind == "warning":
        where = f"{event.stage}: " if event.stage else ""
        stderr.print(f"[yellow]{escape(where + event.message)}[/]", highlight=False)


def quiet_event(event: RunEvent) -> None:
    """With --json only a stopped run is worth a line on stderr (it says how to resume)."""
    if event.kind == "warning" and not event.stage:
        print_event(event)


def _print_outcome(outcome: dict[str, Any]) -> None:
    run_id = outcome["run_id"]
    if outcome["status"] == "awaiting-review":
        _print_review(outcome["review"])
        stderr.print(f"[yellow]awaiting review:[/] resume with --resume {run_id} (add --reject to discard)")
        return
    if outcome["status"] == "rejected":
        stderr.print(f"run {run_id} ended by the reviewer; nothing exported")
        return
    stderr.print(f"[green]run {run_id} done[/]: {outcome['sessions']} sessions, {outcome['lines']} lines -> "
                 f"{outcome['out']}")
    stderr.print(f"coverage: {outcome['coverage']}  consistency: {outcome['consistency']['score']}  "
                 f"traced lines: {outcome['trace']['traced']}/{outcome['trace']['lines']}")


def _print_review(review: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title="review before export", show_header=False)
    for key, value in review["counts"].items():
        table.add_row(key.replace("_", " "), str(value))
    coverage = review["coverage"]
    table.add_row("statements covered (synthetic / source)", f"{coverage['synthetic']} / {coverage['total']}")
    if coverage.get("real") is not None:
        table.add_row("gained beyond the real logs", str(coverage["gained"]))
    table.add_row("context consistency", f"{review['consistency']['score']:.3f}")
    for verdict in review["verdicts"]:
        table.add_row(f"verdict {verdict['kind']} ({verdict['source']})", str(verdict["count"]))
    stderr.print(table)
    stderr.print("first session:", highlight=False)
    for line in review["sample_session"]:
        stderr.print(f"  {line}", highlight=False, markup=False)


RUN = Command(
    name="run",
    summary="the whole augmentation job on a repository, exported to --out (resumable)",
    configure=configure,
    run=run,
    description=DESCRIPTION,
)
