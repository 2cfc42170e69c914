"""``OUT/report.md`` and its plots, from the run's summary (plain data, see ``graphs.augment``).

The report holds only things that are a function of the inputs and the seed (no clock times), so
two runs with one seed produce byte-identical reports; stage timings go to ``run.json`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path as FilePath
from typing import Any

from anomalygen.outdir import atomic_file
from anomalygen.tools.synth.export.dataset import inside, write_text


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "n/a"


def _plot_bars(out_dir: FilePath, name: str, title: str, labels: Sequence[str],
               values: Sequence[float]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.2), dpi=100)
    bars = ax.bar(list(labels), list(values), color="#4C72B0")
    ax.bar_label(bars, fmt="%g")
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=15)
    fig.tight_layout()
    target = inside(out_dir, name)
    # No Software/date metadata: the PNG must be byte-identical for one seed.
    with atomic_file(target) as handle:  # never half written, never through a link
        fig.savefig(handle, format="png", metadata={"Software": None})
    plt.close(fig)
    return name


def _plot_lengths(out_dir: FilePath, lengths: Sequence[int]) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.2), dpi=100)
    ax.hist(list(lengths) or [0], bins=min(30, max(1, len(set(lengths)))), color="#55A868")
    ax.set_title("Synthetic session length (lines)")
    ax.set_xlabel("lines per session")
    ax.set_ylabel("sessions")
    fig.tight_layout()
    with atomic_file(inside(out_dir, "session_lengths.png")) as handle:
        fig.savefig(handle, format="png", metadata={"Software": None})
    plt.close(fig)
    return "session_lengths.png"


def write_report(out_dir: FilePath, summary: Mapping[str, Any], session_lengths: Sequence[int]) -> list[str]:
    """Write report.md and its PNGs; returns the file names written (relative to ``out_dir``)."""
    counts = summary["counts"]
    coverage = summary["coverage"]
    lines = [f"# anomalygen run report: {summary['repo']}", ""]
    lines += ["## Counts", ""]
    lines += _table(["what", "count"], [(k.replace("_", " "), v) for k, v in counts.items()])
    lines += ["## Verdicts", "", "How each kept or dropped path was judged (source: symbolic, llm, "
              "symbolic-fallback when the LLM failed and the z3 result stands).", ""]
    lines += _table(["verdict", "source", "paths"],
                    [(v["kind"], v["source"], v["count"]) for v in summary["verdicts"]])
    lines += [f"LLM fallbacks recorded: {summary['fallbacks']}", ""]
    by_stage = summary.get("fallbacks_by_stage", {})
    if summary["fallbacks"] and by_stage:
        lines += _table(["stage", "fallbacks"], list(by_stage.items()))
    total = coverage["total"]
    lines += ["## Coverage of source log statements", ""]
    rows = [("synthetic data", coverage["synthetic"], _pct(coverage["synthetic"], total))]
    if coverage.get("real") is not None:
        rows.insert(0, ("real logs", coverage["real"], _pct(coverage["real"], total)))
        rows.append(("real + synthetic", coverage["union"], _pct(coverage["union"], total)))
        rows.append(("gained beyond the real logs", coverage["gained"], _pct(coverage["gained"], total)))
    rows.append(("all statements in the source", total, "100.0%"))
    lines += _table(["covered by", "statements", "share"], rows)
    consistency = summary["consistency"]
    unbound = summary.get("consistency_unbound")
    lines += ["## Context consistency", "",
              "Share of the sessions that print a value twice or more (an identifier, a peer of a run, "
              "an object's size, any variable printed twice in one run of a path) where every such value "
              "agrees on every line. For comparison, filling each line's slots on its own, as AnomalyGen's "
              "reference implementation does, scores 0.33 on its HDFS example.", ""]
    consistency_rows: list[tuple[str, int, int, str]] = [
        ("session-bound values (this run)", consistency["shared"], consistency["consistent"],
         f"{consistency['score']:.3f}")]
    if unbound:
        consistency_rows.append(("unbound baseline (each slot drawn alone)", unbound["shared"],
                                 unbound["consistent"], f"{unbound['score']:.3f}"))
    lines += _table(["values", "sessions sharing ids", "consistent", "score"], consistency_rows)
    lines += ["## Parameters", "",
              "Where slot values come from (one row per slot of a statement on a kept path).", ""]
    lines += _table(["source", "slots"], list(summary["params"].items()))
    values = summary.get("values") or {}
    if values:
        lines += ["Printed values no real line and no type explains (an LLM's guess, a token made from the "
                  "slot's name): " f"{values['invented_share']:.1%}. Hosts a session prints again "
                  "(a block's datanodes in every line of it): "
                  f"{values['peer_reuse_synthetic']:.1%} of the synthetic sessions' host values, "
                  f"{values['peer_reuse_real']:.1%} in the real logs.", ""]
    lines += ["## Labels", ""]
    lines += _table(["what", "count"], list(summary["labels"].items()))
    trace = summary["trace"]
    lines += ["## Provenance", "",
              f"{trace['traced']} of {trace['lines']} exported lines trace to a source log statement "
              "(statement exists, file:line and level match, text = template with its slots filled).", ""]
    for problem in trace.get("problems", [])[:10]:
        lines.append(f"- {problem}")
    llm = summary["llm"]
    lines += ["## LLM usage", "", f"Backend `{llm['backend']}`, model `{llm['model']}`.", ""]
    lines += _table(["counter", "value"], list(llm["usage"].items()))
    plots = [
        _plot_bars(out_dir, "coverage.png", "Log statements covered",
                   [r[0] for r in rows_for_plot(coverage)], [r[1] for r in rows_for_plot(coverage)]),
        _plot_bars(out_dir, "labels.png", "Synthetic sessions by label",
                   ["normal", "anomalous"],
                   [counts.get("normal_sessions", 0), counts.get("anomalous_sessions", 0)]),
        _plot_lengths(out_dir, session_lengths),
    ]
    lines += ["## Plots", ""] + [f"![{p}]({p})" for p in plots] + [""]
    write_text(out_dir, "report.md", "\n".join(lines))
    return ["report.md", *plots]


def rows_for_plot(coverage: Mapping[str, Any]) -> list[tuple[str, int]]:
    rows = [("synthetic", int(coverage["synthetic"]))]
    if coverage.get("real") is not None:
        rows = [("real", int(coverage["real"])), *rows, ("union", int(coverage["union"]))]
    return [*rows, ("source total", int(coverage["total"]))]
