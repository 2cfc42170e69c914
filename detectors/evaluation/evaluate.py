"""The evaluation harness: any registered detector, by name, under one protocol.

Protocol (also in docs/detectors.md):

1. Per seed, the dataset is split by session (``datasets.splitting``): normal sessions 60/20/20
   into train / validation / test, anomalous sessions to test, test anomalies identical to a
   training session dropped (counted).
2. Per real-data fraction and arm (``arms``), the model is built fresh, ``fit`` on its
   training set, then ``calibrate``-d on the validation normal sessions: thresholds come from
   normal training data only, never from test labels. Supervised models keep their own boundary.
3. Scores on the test normal and anomalous sessions give FPR (also on test normals whose exact
   sequence never occurs in training, ``fpr_novel``), recall, raw precision/F1, precision/F1 at
   the real prior when the dataset has one, AUROC, and seconds (fit + calibrate + score).
4. Per (model, arm, fraction), figures are averaged over seeds with their standard deviation.

The real+synthetic arm takes a fixed synthetic folder (``synthetic_dir``), or, with ``augment``,
sessions generated per seed and fraction from that arm's own real training slice (``augment``):
then no synthetic session has seen a validation or test session, nor the rest of the training set.

A model whose module is missing, or that fails, becomes a row with ``error`` set, not a crash.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from anomalygen.detectors.base import BaseDetector, EventSequence
from anomalygen.detectors.datasets.base import DatasetSplit, load_dataset
from anomalygen.detectors.datasets.splitting import session_key
from anomalygen.detectors.evaluation.arms import (
    REAL,
    REAL_SYNTHETIC,
    SupervisedSlice,
    SyntheticSessions,
    hold_out_statements,
    load_synthetic,
    prints_any,
    subsample,
    supervised_slice,
    training_set,
)
from anomalygen.detectors.evaluation.augment import AugmentPlan, GeneratorInput, generate
from anomalygen.detectors.evaluation.metrics import Scores, auroc, rates, roc_points, sanitize
from anomalygen.detectors.evaluation.rekey import EventVocabulary, read_event_vocabulary
from anomalygen.detectors.registry import get_detector
from anomalygen.detectors.support.params import parse_items


def parse_model_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """``"pca"`` -> ("pca", {}); ``"pca[threshold_mode=q-statistic;n_components=0.99]"`` -> the
    detector name and constructor parameters (ints, floats, true/false, null, else strings)."""
    name, _, rest = spec.strip().partition("[")
    params: dict[str, Any] = {}
    if rest:
        if not rest.endswith("]"):
            raise ValueError(f"model spec {spec!r}: expected name[key=value;...]")
        items = filter(None, (p.strip() for p in rest[:-1].split(";")))
        params = parse_items(items, f"model spec {spec!r}")
    return name.strip(), params


METRICS = ("fpr", "fpr_novel", "fpr_unseen", "recall", "precision", "f1", "precision_prior", "f1_prior",
           "auroc", "seconds")


@dataclass(frozen=True, slots=True)
class EvaluationPlan:
    """What to evaluate. ``data_dir`` is the datasets folder (deeplog-hdfs, adfa-ld) or the
    key-sequence folder itself (sessions, synthetic)."""

    dataset: str
    models: tuple[str, ...]
    """Model specs: a registered name, optionally with parameters, ``pca[term_weighting=tf-idf]``."""
    data_dir: Path
    seeds: tuple[int, ...] = (0, 1, 2)
    fractions: tuple[float, ...] = (1.0,)
    synthetic_dir: Path | None = None
    contamination: float | None = None
    """Override of every unsupervised detector's ``contamination`` (None: its own default)."""
    supervised_share: float = 0.1
    test_limit: int | None = None
    """Score at most this many test sessions of each class (a seeded sample), for slow models on
    CPU; the rates then carry extra sampling error. None: the whole test split."""
    model_params: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Detector name -> constructor parameters; a model spec's own ``[k=v]`` parameters win."""
    unseen_statements: frozenset[str] = frozenset()
    """Statement ids the real training log is made never to show (``hold_out_statements``)."""
    augment: AugmentPlan | None = None
    """Generate each real+synthetic arm's sessions from its own real slice (instead of synthetic_dir)."""
    out: Path = Path("out/evaluate")
    """Output folder; generated synthetic sessions are cached under it."""

    @property
    def arms(self) -> tuple[str, ...]:
        synthetic = self.synthetic_dir is not None or self.augment is not None
        return (REAL, REAL_SYNTHETIC) if synthetic else (REAL,)


@dataclass(slots=True)
class RunResult:
    """One model, arm, fraction and seed."""

    model: str
    arm: str
    fraction: float
    seed: int
    metrics: dict[str, float] = field(default_factory=dict)
    n_train: int = 0
    n_test_normal: int = 0
    n_test_anomalous: int = 0
    duplicates_removed: int = 0
    nan_scores: int = 0
    threshold: float = float("nan")
    roc: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    """(false-positive rates, true-positive rates) on the test split, for the ROC plot."""
    error: str | None = None
    generator: GeneratorInput | None = None
    """What the generator of this arm's synthetic sessions saw (generated arms only)."""

    def row(self) -> dict[str, Any]:
        """Plain JSON data; a figure that does not exist (failed run, no novel normals) is None,
        never NaN, which strict JSON readers reject."""
        return {
            "model": self.model, "arm": self.arm, "fraction": self.fraction, "seed": self.seed,
            **{m: _finite_or_none(self.metrics.get(m)) for m in METRICS},
            "n_train": self.n_train, "n_test_normal": self.n_test_normal,
            "n_test_anomalous": self.n_test_anomalous,
            "n_test_normal_novel": int(self.metrics.get("n_test_normal_novel", 0)),
            "n_test_normal_unseen": int(self.metrics.get("n_test_normal_unseen", 0)),
            "duplicates_removed": self.duplicates_removed,
            "nan_scores": self.nan_scores, "threshold": _finite_or_none(self.threshold), "error": self.error,
            **generator_columns(self.generator),
        }


GENERATOR_COLUMNS = ("generator_sessions", "generator_lines", "generator_keys", "generator_seed",
                     "generator_vocabulary", "generator_logs", "synthetic_normal", "synthetic_anomalous")


def generator_columns(generator: GeneratorInput | None) -> dict[str, Any]:
    """The generator's input as result columns (None for arms that generated nothing)."""
    if generator is None:
        return dict.fromkeys(GENERATOR_COLUMNS)
    return {"generator_sessions": generator.sessions, "generator_lines": generator.lines,
            "generator_keys": generator.keys, "generator_seed": generator.seed,
            "generator_vocabulary": generator.vocabulary, "generator_logs": generator.logs,
            "synthetic_normal": generator.synthetic_normal,
            "synthetic_anomalous": generator.synthetic_anomalous}


Progress = Callable[[str], None]


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and np.isfinite(value) else None


def _build(plan: EvaluationPlan, spec: str, seed: int, templates: dict[str, str]) -> BaseDetector:
    """The detector of ``spec``, seeded per run, given the dataset's template texts when it
    takes them (semantic detectors) and the user did not pass its own."""
    name, params = parse_model_spec(spec)
    params = {**plan.model_params.get(name, {}), **params}
    detector = get_detector(name, **params)
    known = detector.get_params()
    if "seed" in known and "seed" not in params:
        detector.seed = seed  # type: ignore[attr-defined]
    if "templates" in known and "templates" not in params and templates:
        detector.templates = templates  # type: ignore[attr-defined]
    if plan.contamination is not None and not detector.supervised:
        detector.contamination = plan.contamination
    return detector


def run_model(
    detector: BaseDetector,
    train: list[EventSequence],
    labels: list[int],
    validation_normal: list[EventSequence],
    test_normal: list[EventSequence],
    test_anomalous: list[EventSequence],
    prior: tuple[int, int] | None,
    unseen: frozenset[str] = frozenset(),
) -> tuple[dict[str, float], Scores]:
    """Fit, calibrate on normal validation data, score the test split; the figures and scores.
    ``fpr_unseen``: the false-positive rate on normal test sessions printing an ``unseen`` statement."""
    start = time.perf_counter()
    detector.fit(train, labels if detector.supervised else None)
    detector.calibrate(validation_normal)
    normal, nan_normal = sanitize(detector.decision_function(test_normal))
    anomalous, nan_anomalous = sanitize(detector.decision_function(test_anomalous))
    seconds = time.perf_counter() - start
    scores = Scores(normal, anomalous, float(detector.threshold_), nan_normal + nan_anomalous)
    metrics = rates(scores, prior)
    seen = {session_key(s) for s in train}
    novel = np.asarray([session_key(s) not in seen for s in test_normal], dtype=bool)
    metrics["fpr_novel"] = float(np.mean(normal[novel] > scores.threshold)) if novel.any() else float("nan")
    metrics["n_test_normal_novel"] = float(novel.sum())
    held = np.asarray([prints_any(s, unseen) for s in test_normal], dtype=bool)
    metrics["fpr_unseen"] = float(np.mean(normal[held] > scores.threshold)) if held.any() else float("nan")
    metrics["n_test_normal_unseen"] = float(held.sum())
    metrics["auroc"] = auroc(scores)
    metrics["seconds"] = seconds
    return metrics, scores


def evaluate(plan: EvaluationPlan, progress: Progress | None = None) -> list[RunResult]:
    """Every (seed, fraction, arm, model) run of ``plan``."""
    say = progress or (lambda _msg: None)
    results: list[RunResult] = []
    vocabulary = read_event_vocabulary(plan.augment.vocabulary) if plan.augment is not None else None
    for seed in plan.seeds:
        split = load_dataset(plan.dataset, plan.data_dir, seed)
        if plan.unseen_statements:
            split = hold_out_statements(split, plan.unseen_statements)
        if plan.test_limit is not None:
            split.test_normal = limit(split.test_normal, plan.test_limit, seed)
            split.test_anomalous = limit(split.test_anomalous, plan.test_limit, seed)
        fixed = load_synthetic(plan.synthetic_dir, split) if plan.synthetic_dir is not None else None
        slice_cache: dict[int, SupervisedSlice] = {}
        for fraction in plan.fractions:
            normal = subsample(split.train, fraction, seed)
            synthetic, generator, failure = fixed, None, None
            if plan.augment is not None and vocabulary is not None:
                say(f"seed {seed} · {fraction:g} real · generating synthetic sessions from {len(normal)}")
                try:
                    synthetic, generator = generated_synthetic(plan, vocabulary, split, normal, seed,
                                                               fraction)
                except Exception as exc:  # the real arm's figures still stand
                    failure = f"synthetic generation failed: {type(exc).__name__}: {exc}"
            for arm in plan.arms:
                for name in plan.models:
                    say(f"seed {seed} · {fraction:g} real · {arm} · {name}")
                    result = RunResult(name, arm, fraction, seed)
                    if arm == REAL_SYNTHETIC:
                        result.generator = generator
                    try:
                        if arm == REAL_SYNTHETIC and failure:
                            raise RuntimeError(failure)
                        _run(plan, result, split, normal, synthetic, slice_cache)
                    except Exception as exc:  # one model's failure must not lose the others' figures
                        result.error = f"{type(exc).__name__}: {exc}"
                    results.append(result)
    return results


def generated_synthetic(
    plan: EvaluationPlan, vocabulary: EventVocabulary, split: DatasetSplit, normal: list[EventSequence],
    seed: int, fraction: float,
) -> tuple[SyntheticSessions, GeneratorInput]:
    """Synthetic sessions generated from ``normal`` (this arm's real slice) alone, in the real
    data's event ids, and the record of what their generator saw."""
    assert plan.augment is not None
    run_dir, generator = generate(plan.augment, vocabulary, normal, seed, fraction, plan.out)
    synthetic = load_synthetic(run_dir, split, vocabulary)
    generator = replace(generator, synthetic_normal=len(synthetic.normal),
                        synthetic_anomalous=len(synthetic.anomalous))
    return synthetic, generator


def _run(
    plan: EvaluationPlan,
    result: RunResult,
    split: DatasetSplit,
    normal: list[EventSequence],
    synthetic: SyntheticSessions | None,
    slice_cache: dict[int, SupervisedSlice],
) -> None:
    templates = dict(split.vocabulary)
    if synthetic is not None and result.arm == REAL_SYNTHETIC:
        templates.update(synthetic.templates)
    detector = _build(plan, result.model, result.seed, templates)
    sliced: SupervisedSlice | None = None
    if detector.supervised:
        if result.seed not in slice_cache:
            slice_cache[result.seed] = supervised_slice(split, plan.supervised_share, result.seed)
        sliced = slice_cache[result.seed]
    training = training_set(normal, result.fraction, result.seed, arm=result.arm, supervised=sliced,
                            synthetic=synthetic)
    test_anomalous = sliced.test_anomalous if sliced else split.test_anomalous
    metrics, scores = run_model(detector, training.sequences, training.labels, split.validation_normal,
                                split.test_normal, test_anomalous, split.prior, plan.unseen_statements)
    result.metrics = metrics
    result.threshold = scores.threshold
    result.nan_scores = scores.nan_count
    result.roc = roc_points(scores)
    result.n_train = len(training.sequences)
    result.n_test_normal = len(split.test_normal)
    result.n_test_anomalous = len(test_anomalous)
    result.duplicates_removed = split.duplicates_removed + (sliced.duplicates_removed if sliced else 0)


def limit(sequences: list[EventSequence], count: int, seed: int) -> list[EventSequence]:
    """A seeded sample of at most ``count`` sequences, in their original order."""
    if count < 1:
        raise ValueError(f"test limit must be >= 1, got {count}")
    if len(sequences) <= count:
        return sequences
    chosen = np.sort(np.random.default_rng(seed + 104729).choice(len(sequences), size=count, replace=False))
    return [sequences[i] for i in chosen]


def aggregate(results: list[RunResult]) -> list[dict[str, Any]]:
    """Mean and standard deviation over seeds per (model, arm, fraction), in first-seen order."""
    groups: dict[tuple[str, str, float], list[RunResult]] = {}
    for r in results:
        groups.setdefault((r.model, r.arm, r.fraction), []).append(r)
    rows: list[dict[str, Any]] = []
    for (model, arm, fraction), runs in groups.items():
        ok = [r for r in runs if r.error is None]
        row: dict[str, Any] = {"model": model, "arm": arm, "fraction": fraction,
                               "seeds": [r.seed for r in ok], "n_seeds": len(ok)}
        for metric in METRICS:
            values = np.asarray([r.metrics[metric] for r in ok], dtype=np.float64)
            finite = values[np.isfinite(values)]
            row[metric] = float(finite.mean()) if finite.size else None
            row[f"{metric}_std"] = float(finite.std()) if finite.size else None
        for count in ("n_train", "n_test_normal", "n_test_anomalous", "duplicates_removed", "nan_scores"):
            row[count] = int(np.mean([getattr(r, count) for r in ok])) if ok else 0
        for count in ("n_test_normal_novel", "n_test_normal_unseen"):
            row[count] = int(np.mean([r.metrics[count] for r in ok])) if ok else 0
        generators = [r.generator for r in runs if r.generator is not None]
        for column, attribute in (("generator_sessions", "sessions"), ("generator_lines", "lines"),
                                  ("synthetic_normal", "synthetic_normal")):
            row[column] = int(np.mean([getattr(g, attribute) for g in generators])) if generators else None
        errors = sorted({r.error for r in runs if r.error})
        row["error"] = "; ".join(errors) if errors else None
        row["per_seed"] = [r.row() for r in runs]
        rows.append(row)
    return rows
