"""``anomalygen evaluate``: detectors on real and real+synthetic data, under one protocol."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TYPE_CHECKING

from anomalygen.command import Command, UsageError

if TYPE_CHECKING:
    from anomalygen.detectors.evaluation.augment import AugmentPlan

CLASSICAL = ("bigram", "pca", "invariants", "logclustering", "iforest", "logreg", "svm", "dtree")

DESCRIPTION = """\
Train and evaluate log anomaly detectors by name on a dataset, optionally with synthetic sessions
added to the training data (the real+synthetic arm), at several real-data fractions and seeds.

Protocol: sessions are split by session (normal 60/20/20 train/validation/test, anomalies to
test, test anomalies identical to a training session dropped); unsupervised thresholds are placed
on held-out normal sessions only (never on test labels); supervised models train on a slice of the
anomalies that is removed from their test set. Figures are mean ± std over seeds: FPR, recall,
precision and F1 raw and at the real prior (HDFS 16,838 : 553,366), AUROC, seconds.

With --augment-from REPO, the real+synthetic arm's sessions are generated per seed and fraction
from that arm's own real training slice only (no leakage): the slice is written as a key-session
file and `anomalygen run REPO --structure SLICE --vocabulary V --logs L...` runs on it into
OUT/augment/<hash>/ (reused when the slice and settings repeat). The report says what each arm's
generator saw.

Writes results.csv, results_per_seed.csv, report.md, f1_by_model.png and roc.png into --out.
"""

EPILOG = """\
examples:
  anomalygen evaluate --dataset deeplog-hdfs --models pca,invariants,bigram --seeds 0,1,2
  anomalygen evaluate --dataset sessions --data-dir out/real/sequences --synthetic out/demo \\
      --models classical --fractions 0.01,0.1,1 --json
  anomalygen evaluate --dataset sessions --data-dir out/real --synthetic out/demo --models classical \\
      --unseen-statements WriteBlockHandler.handle-f7136e7b   # a log that never showed a retried write
  anomalygen evaluate --dataset deeplog-hdfs --augment-from hadoop-0.18.2/src/hdfs \\
      --augment-logs HDFS_2k.log --models classical,ngram --fractions 0.01,0.1 --seeds 0,1,2
"""


def _default_data_dir() -> Path | None:
    for root in (Path(__file__).resolve().parent.parent, Path.cwd()):
        candidate = root.parent / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
    return None


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("--dataset", default="deeplog-hdfs",
                        help="deeplog-hdfs | adfa-ld | synthetic | sessions (default: deeplog-hdfs)")
    parser.add_argument("--models", default="classical",
                        help="comma-separated detector names, each optionally with constructor "
                             "parameters: pca[threshold_mode=q-statistic;n_components=0.99]; "
                             "'classical' = " + ",".join(CLASSICAL))
    parser.add_argument("--synthetic", type=Path, metavar="DIR",
                        help="key-sequence folder (or `anomalygen run` output) of synthetic sessions: "
                             "adds the real+synthetic arm")
    parser.add_argument("--augment-from", type=Path, metavar="REPO",
                        help="source repository of the system: generate each real+synthetic arm's "
                             "sessions from that arm's own real training slice (adds the arm)")
    parser.add_argument("--augment-logs", type=Path, nargs="+", default=[], metavar="FILE",
                        help="raw logs the generator may also learn from (e.g. HDFS_2k.log)")
    parser.add_argument("--augment-vocabulary", type=Path, metavar="FILE",
                        help="the dataset's event vocabulary (loghub templates CSV or vocabulary.json; "
                             "default: loghub/HDFS/HDFS_templates.csv of the datasets folder for "
                             "deeplog-hdfs, the folder's vocabulary.json for sessions)")
    parser.add_argument("--augment-sessions", type=int, metavar="N",
                        help="synthetic sessions generated per arm (default: the run's own)")
    parser.add_argument("--augment-timeout", type=float, default=3600.0, metavar="S",
                        help="seconds one generation may take (default 3600)")
    parser.add_argument("--fractions", default="1",
                        help="real training fractions, e.g. 0.01,0.1,1 (default 1)")
    parser.add_argument("--seeds", default="0,1,2", help="seeds, e.g. 0,1,2 (default)")
    parser.add_argument("--data-dir", type=Path, metavar="DIR",
                        help="datasets folder (default ../shared/datasets when present); for "
                             "--dataset sessions/synthetic, the key-sequence folder itself")
    parser.add_argument("--contamination", type=float, metavar="Q",
                        help="override: thresholds at the 1-Q quantile of normal validation scores "
                             "(default: each detector's own, 0 = the maximum)")
    parser.add_argument("--supervised-share", type=float, default=0.1, metavar="S",
                        help="share of anomalous sessions supervised models train on (default 0.1)")
    parser.add_argument("--test-limit", type=int, metavar="N",
                        help="score at most N test sessions per class (seeded sample) to keep slow "
                             "models tractable on CPU; figures then carry extra sampling error")
    parser.add_argument("--unseen-statements", metavar="IDS", default="",
                        help="comma-separated statement ids the real training log is made never to "
                             "show: normal sessions printing them are tested only, and 'FPR unseen' "
                             "is the false-alarm rate on them (the coverage gap synthetic data fills)")
    parser.add_argument("--out", type=Path, default=Path("out/evaluate"),
                        help="output folder (default out/evaluate)")
    parser.add_argument("--json", action="store_true", help="print the result rows as one JSON list")


def _numbers(text: str, kind: type[float] | type[int], flag: str) -> list[float] | list[int]:
    try:
        values = [kind(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"{flag} must be a comma-separated list of numbers, got {text!r}") from None
    if not values:
        raise UsageError(f"{flag} is empty")
    return values


def _split_specs(text: str) -> list[str]:
    """Split on commas outside ``[...]`` (parameters are separated by ``;`` inside brackets)."""
    parts: list[str] = []
    depth, current = 0, ""
    for char in text:
        depth += (char == "[") - (char == "]")
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [p.strip() for p in [*parts, current] if p.strip()]


def _models(text: str) -> tuple[str, ...]:
    from anomalygen.detectors import registry
    from anomalygen.detectors.evaluation.evaluate import parse_model_spec
    from anomalygen.detectors.registry import available

    names: list[str] = []
    for part in _split_specs(text):
        names.extend(CLASSICAL if part == "classical" else [part])
    # Declared names whose module is missing are not the user's mistake: the harness reports
    # them as rows with an error, so only names nobody declared are refused here.
    known = set(available()) | set(registry._MODULES)
    try:
        unknown = [n for n in names if parse_model_spec(n)[0] not in known]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if unknown:
        raise UsageError(
            f"unknown model(s) {', '.join(unknown)}; available: {', '.join(available())}, classical"
        )
    if not names:
        raise UsageError("--models is empty")
    for spec in names:
        _check_parameters(spec)
    return tuple(dict.fromkeys(names))


def _check_parameters(spec: str) -> None:
    """A misspelt parameter is the user's mistake; a detector that fails to import is reported
    later as a row of the results, so only constructor errors are caught here."""
    from anomalygen.detectors.evaluation.evaluate import parse_model_spec
    from anomalygen.detectors.registry import get_detector

    name, params = parse_model_spec(spec)
    if not params:
        return
    for key, value in params.items():  # nan and inf are no setting of any detector
        if isinstance(value, float) and not math.isfinite(value):
            raise UsageError(f"model {spec!r}: {key}={value} is not a finite number")
    try:
        get_detector(name, **params)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"model {spec!r}: {exc}") from None
    except ImportError:
        return


def _augment_plan(args: argparse.Namespace, data_dir: Path) -> AugmentPlan | None:
    """The --augment-* flags, checked; None without --augment-from."""
    from anomalygen.detectors.evaluation.augment import AugmentPlan
    from anomalygen.detectors.evaluation.rekey import read_event_vocabulary

    if args.augment_from is None:
        if args.augment_logs or args.augment_vocabulary or args.augment_sessions is not None:
            raise UsageError("--augment-logs, --augment-vocabulary and --augment-sessions need "
                             "--augment-from REPO")
        return None
    if args.synthetic is not None:
        raise UsageError("give --synthetic DIR or --augment-from REPO, not both")
    if args.dataset not in ("deeplog-hdfs", "sessions"):
        raise UsageError(f"--augment-from works on key-session datasets (deeplog-hdfs, sessions), "
                         f"not {args.dataset}")
    if not args.augment_from.is_dir():
        raise UsageError(f"--augment-from {args.augment_from} is not a folder")
    for log in args.augment_logs:
        if not log.is_file():
            raise UsageError(f"--augment-logs {log} does not exist or is not a file")
    if args.augment_sessions is not None and args.augment_sessions < 1:
        raise UsageError("--augment-sessions must be at least 1")
    if not args.augment_timeout > 0:
        raise UsageError("--augment-timeout must be positive")
    vocabulary = args.augment_vocabulary or _default_vocabulary(args.dataset, data_dir)
    try:
        read_event_vocabulary(vocabulary)
    except ValueError as exc:
        raise UsageError(f"--augment-vocabulary: {exc}") from None
    return AugmentPlan(repo=args.augment_from.resolve(), logs=tuple(p.resolve() for p in args.augment_logs),
                       vocabulary=vocabulary.resolve(), sessions=args.augment_sessions,
                       timeout=args.augment_timeout)


def _default_vocabulary(dataset: str, data_dir: Path) -> Path:
    """The vocabulary the dataset's own keys are written in."""
    if dataset == "deeplog-hdfs":
        return data_dir / "loghub" / "HDFS" / "HDFS_templates.csv"
    from anomalygen.detectors.datasets.session_file import resolve_folder

    try:
        return resolve_folder(data_dir) / "vocabulary.json"
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from anomalygen.console import emit_json, progress, stderr
    from anomalygen.detectors.datasets.base import available_datasets
    from anomalygen.detectors.evaluation.evaluate import EvaluationPlan, aggregate, evaluate
    from anomalygen.detectors.evaluation.report import rich_table, write_csv, write_markdown

    if args.dataset not in available_datasets():
        raise UsageError(f"unknown dataset {args.dataset!r}; available: {', '.join(available_datasets())}")
    data_dir = args.data_dir or (_default_data_dir() if args.dataset in ("deeplog-hdfs", "adfa-ld") else None)
    if data_dir is None:
        raise UsageError(f"--data-dir is required for --dataset {args.dataset}")
    if not data_dir.exists():
        raise UsageError(f"--data-dir {data_dir} does not exist")
    fractions = tuple(float(f) for f in _numbers(args.fractions, float, "--fractions"))
    if any(not 0.0 < f <= 1.0 for f in fractions):
        raise UsageError(f"--fractions must lie in (0, 1], got {args.fractions}")
    if args.contamination is not None and not 0.0 <= args.contamination < 1.0:
        raise UsageError("--contamination must lie in [0, 1)")
    if not 0.0 < args.supervised_share < 1.0:
        raise UsageError("--supervised-share must lie in (0, 1)")
    if args.test_limit is not None and args.test_limit < 1:
        raise UsageError("--test-limit must be at least 1")
    if args.synthetic is not None and not args.synthetic.exists():
        raise UsageError(f"--synthetic {args.synthetic} does not exist")
    augment = _augment_plan(args, data_dir)
    plan = EvaluationPlan(
        dataset=args.dataset,
        models=_models(args.models),
        data_dir=data_dir,
        seeds=tuple(int(s) for s in _numbers(args.seeds, int, "--seeds")),
        fractions=fractions,
        synthetic_dir=args.synthetic,
        contamination=args.contamination,
        supervised_share=args.supervised_share,
        test_limit=args.test_limit,
        unseen_statements=frozenset(s.strip() for s in args.unseen_statements.split(",") if s.strip()),
        augment=augment,
        out=args.out,
    )
    total = len(plan.seeds) * len(plan.fractions) * len(plan.arms) * len(plan.models)
    with progress() as bar:
        task = bar.add_task("evaluating", total=total)
        started = [0]

        def report_progress(message: str) -> None:
            """Called as each run starts: the runs before it are done."""
            if bar.disable:  # not a terminal: one plain line per run instead of a bar
                stderr.print(f"[dim]{message}[/]", highlight=False)
            bar.update(task, description=message, completed=started[0])
            started[0] += 1

        try:
            results = evaluate(plan, progress=report_progress)
        except (FileNotFoundError, ValueError) as exc:  # bad dataset or synthetic folder: the user's to fix
            raise UsageError(str(exc)) from None
    rows = aggregate(results)
    context = {"dataset": plan.dataset, "data": str(plan.data_dir), "seeds": list(plan.seeds),
               "fractions": list(plan.fractions), "synthetic": str(plan.synthetic_dir or "-"),
               "contamination": "detector default" if plan.contamination is None else plan.contamination,
               "supervised share": plan.supervised_share, "test limit": plan.test_limit or "none",
               "unseen statements": ", ".join(sorted(plan.unseen_statements)) or "none"}
    if augment is not None:
        logs = ", ".join(map(str, augment.logs)) or "none"
        context["synthetic"] = (f"generated per arm from its own real slice: {augment.repo}, logs {logs}, "
                                f"vocabulary {augment.vocabulary}")
    write_csv(rows, results, args.out)
    report = write_markdown(rows, results, args.out, context)
    # A pipe or log file reports 80 columns; the table needs more, so widen it off a terminal.
    wide = stderr if stderr.is_terminal else Console(stderr=True, width=max(stderr.width, 150))
    wide.print(rich_table(rows, f"{plan.dataset}: mean ± std over {len(plan.seeds)} seed(s)"))
    stderr.print(f"report: {report}", highlight=False)
    if args.json:
        emit_json(rows)
    return 0


EVALUATE = Command(
    name="evaluate",
    summary="train and evaluate log anomaly detectors on real and real+synthetic data",
    configure=configure,
    run=run,
    description=DESCRIPTION,
)
