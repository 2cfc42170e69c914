"""Evaluation output: a Rich table, CSV files, and a Markdown report with plots.

Plots use matplotlib's Agg backend (no display needed): ``f1_by_model.png`` (F1 at the prior per
model, one bar per arm and fraction) and ``roc.png`` (ROC curves of the first seed).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from anomalygen.detectors.evaluation.augment import GeneratorInput
from anomalygen.detectors.evaluation.evaluate import METRICS, RunResult
from anomalygen.outdir import atomic_file, atomic_text

_SHOWN = ("fpr", "recall", "precision_prior", "f1_prior", "auroc", "seconds")
_LEGEND = (
    "Mean ± standard deviation over seeds. FPR on held-out normal sessions; FPR novel on those whose "
    "exact sequence never occurs in training; FPR unseen on those printing a statement the training "
    "log was made never to show (--unseen-statements); recall on anomalous sessions; P/F1@prior at "
    "the dataset's real anomalous:normal prior (the test split's own ratio when none is known)."
)
_TITLES = {"fpr": "FPR", "recall": "recall", "precision_prior": "P@prior", "f1_prior": "F1@prior",
           "auroc": "AUROC", "seconds": "seconds", "fpr_novel": "FPR novel",
           "fpr_unseen": "FPR unseen"}


def _cell(row: dict[str, Any], metric: str) -> str:
    mean, std = row.get(metric), row.get(f"{metric}_std")
    if mean is None or (isinstance(mean, float) and math.isnan(mean)):
        return "–"
    digits = 1 if metric == "seconds" else 3
    if row.get("n_seeds", 1) > 1 and std is not None:
        return f"{mean:.{digits}f} ± {std:.{digits}f}"
    return f"{mean:.{digits}f}"


def _shown(rows: list[dict[str, Any]]) -> tuple[str, ...]:
    """The columns to show: FPR unseen only in runs that hold statements out."""
    if any(row.get("fpr_unseen") is not None for row in rows):
        return ("fpr", "fpr_unseen", *_SHOWN[1:])
    return _SHOWN


def rich_table(rows: list[dict[str, Any]], title: str) -> Table:
    """Print it on a console at least 140 columns wide: mean ± std cells do not fit in 80."""
    table = Table(title=title)
    shown = _shown(rows)
    for column in ("model", "arm", "real", *(_TITLES[m] for m in shown)):
        table.add_column(column, justify="left" if column in ("model", "arm") else "right")
    for row in rows:
        model = escape(row["model"])  # a spec's [params] is not Rich markup
        if row["error"] and not row["n_seeds"]:
            table.add_row(model, row["arm"], f"{row['fraction']:g}",
                          f"[red]{escape(row['error'][:90])}[/]", *([""] * (len(shown) - 1)))
            continue
        table.add_row(model, row["arm"], f"{row['fraction']:g}", *(_cell(row, m) for m in shown))
    return table


def markdown_table(rows: list[dict[str, Any]]) -> str:
    columns = (*_shown(rows)[:-1], "fpr_novel", "seconds")
    header = ["model", "arm", "real fraction", *(_TITLES[m] for m in columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        if row["error"] and not row["n_seeds"]:
            cells = [row["model"], row["arm"], f"{row['fraction']:g}", f"error: {row['error']}"]
            cells += [""] * (len(header) - len(cells))
        else:
            cells = [row["model"], row["arm"], f"{row['fraction']:g}",
                     *(_cell(row, m) for m in columns)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_csv(rows: list[dict[str, Any]], results: list[RunResult], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    summary = out / "results.csv"
    fields = ["model", "arm", "fraction", "n_seeds"]
    fields += [f for m in METRICS for f in (m, f"{m}_std")]
    fields += ["n_train", "n_test_normal", "n_test_normal_novel", "n_test_normal_unseen", "n_test_anomalous",
               "duplicates_removed", "nan_scores", "generator_sessions", "generator_lines",
               "synthetic_normal", "error"]
    with atomic_text(summary) as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    per_seed = out / "results_per_seed.csv"
    seed_rows = [r.row() for r in results]
    with atomic_text(per_seed) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(seed_rows[0]) if seed_rows else ["model"])
        writer.writeheader()
        writer.writerows(seed_rows)
    return [summary, per_seed]


def plot_f1(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    models = list(dict.fromkeys(r["model"] for r in rows))
    variants = list(dict.fromkeys((r["arm"], r["fraction"]) for r in rows))
    width = 0.8 / max(len(variants), 1)
    fig, ax = plt.subplots(figsize=(max(6.0, 1.2 * len(models)), 4.0))
    for i, (arm, fraction) in enumerate(variants):
        values, errors = [], []
        for model in models:
            key = (model, arm, fraction)
            match = next((r for r in rows if (r["model"], r["arm"], r["fraction"]) == key), None)
            values.append((match or {}).get("f1_prior") or 0.0)
            errors.append((match or {}).get("f1_prior_std") or 0.0)
        positions = [m + (i - (len(variants) - 1) / 2) * width for m in range(len(models))]
        ax.bar(positions, values, width, yerr=errors, capsize=2, label=f"{arm}, {fraction:g} real")
    ax.set_xticks(range(len(models)), models, rotation=30, ha="right")
    ax.set_ylabel("F1 at the prior")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize="small")
    fig.tight_layout()
    with atomic_file(path) as handle:
        fig.savefig(handle, format="png", dpi=120)
    plt.close(fig)


def plot_roc(results: list[RunResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 5.0))
    first_seed = results[0].seed if results else 0
    full = max((r.fraction for r in results), default=1.0)
    for r in results:
        if r.error or r.seed != first_seed or r.fraction != full or not r.roc[0]:
            continue
        style = "-" if r.arm == "real" else "--"
        ax.plot(r.roc[0], r.roc[1], style, label=f"{r.model} ({r.arm}, AUROC {r.metrics['auroc']:.3f})")
    ax.plot([0, 1], [0, 1], ":", color="grey")
    ax.set_xscale("symlog", linthresh=1e-3)
    ax.set_xlabel("false-positive rate (symlog)")
    ax.set_ylabel("recall")
    ax.set_title(f"ROC, seed {first_seed}, {full:g} of the real data")
    if any(not str(line.get_label()).startswith("_") for line in ax.get_lines()):
        ax.legend(fontsize="x-small", loc="lower right")
    fig.tight_layout()
    with atomic_file(path) as handle:
        fig.savefig(handle, format="png", dpi=120)
    plt.close(fig)


def generator_table(results: list[RunResult]) -> str:
    """One row per generated arm: what its generator saw (its real slice, logs, vocabulary, seed)
    and what it produced. Empty when no arm generated its sessions."""
    seen: dict[tuple[int, float], GeneratorInput] = {}
    for r in results:
        if r.generator is not None:
            seen.setdefault((r.seed, r.fraction), r.generator)
    if not seen:
        return ""
    header = ("seed", "real fraction", "slice sessions", "slice lines", "slice keys", "raw logs",
              "vocabulary", "synthetic normal", "synthetic anomalous", "cache", "seconds")
    lines = ["## What each arm's generator saw", "",
             "Each real+synthetic arm's sessions were generated from its own real training slice (the "
             "sessions its real-only twin trains on) and the raw logs below, nothing else.", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (seed, fraction), g in sorted(seen.items()):
        cells = (seed, f"{fraction:g}", g.sessions, g.lines, g.keys, g.logs or "none", g.vocabulary,
                 g.synthetic_normal, g.synthetic_anomalous,
                 f"{g.folder} ({'reused' if g.reused else 'generated'})", f"{g.seconds:.1f}")
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    return "\n".join(lines) + "\n"


def gain_table(rows: list[dict[str, Any]]) -> str:
    """Real+synthetic minus real-only per model and fraction (means over seeds): F1 at the prior in
    points, FPR as a relative change, recall; then the mean F1 gain per fraction. Empty without
    both arms."""
    by_key = {(r["model"], r["arm"], r["fraction"]): r for r in rows if r["n_seeds"]}
    pairs = [(m, f, by_key[(m, "real", f)], mixed) for (m, arm, f), mixed in by_key.items()
             if arm == "real+synthetic" and (m, "real", f) in by_key]
    if not pairs:
        return ""
    lines = ["## Real+synthetic vs real-only", "",
             "| model | real fraction | F1@prior gain (points) | FPR change | recall change |",
             "|---|---|---|---|---|"]
    gains: dict[float, list[float]] = {}
    for model, fraction, real, mixed in pairs:
        gain = 100.0 * ((mixed["f1_prior"] or 0.0) - (real["f1_prior"] or 0.0))
        gains.setdefault(fraction, []).append(gain)
        fpr = "–" if not real["fpr"] else f"{100.0 * (mixed['fpr'] - real['fpr']) / real['fpr']:+.0f}%"
        recall = mixed["recall"] - real["recall"]
        lines.append(f"| {model} | {fraction:g} | {gain:+.2f} | {fpr} | {recall:+.3f} |")
    lines.append("")
    lines += [f"Mean F1@prior gain at {fraction:g} real: {sum(g) / len(g):+.2f} points over {len(g)} "
              "detector(s)." for fraction, g in gains.items()]
    return "\n".join(lines) + "\n"


def write_markdown(
    rows: list[dict[str, Any]], results: list[RunResult], out: Path, context: dict[str, Any]
) -> Path:
    """report.md with the table, the protocol's parameters and the two plots beside it."""
    out.mkdir(parents=True, exist_ok=True)
    plot_f1(rows, out / "f1_by_model.png")
    plot_roc(results, out / "roc.png")
    lines = [f"# Detector evaluation: {context.get('dataset', '')}", ""]
    lines += [f"- {key}: {value}" for key, value in context.items()]
    lines += ["", _LEGEND, "", markdown_table(rows), "",
              gain_table(rows), generator_table(results),
              "![F1 by model](f1_by_model.png)", "", "![ROC curves](roc.png)", ""]
    path = out / "report.md"
    with atomic_text(path) as text:
        text.write("\n".join(lines))
    return path
