"""The coverage report: Rich tables on stderr and a Markdown file with a bar chart (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from anomalygen.console import plain
from anomalygen.outdir import atomic_file

CHART = "coverage.png"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def print_tables(summary: dict[str, Any], console: Console, rows: int = 15) -> None:
    head = Table(title="Log statement coverage", show_header=False)
    seen, total = summary["statements_seen"], summary["statements_total"]
    head.add_row("statements seen / total", f"{seen} / {total} ({_pct(summary['statement_coverage'])})")
    matched, lines = summary["lines_matched"], summary["lines_total"]
    head.add_row("lines matched / total", f"{matched} / {lines} ({_pct(summary['line_match_rate'])})")
    head.add_row("exact / ambiguous (a guess among statements the line cannot tell apart) / approximate "
                 "(other code version)",
                 f"{summary['lines_exact']} / {summary['lines_ambiguous']} / {summary['lines_approximate']}")
    head.add_row("loose-type matches", str(summary["lines_loose"]))
    if summary["lines_with_class"]:
        head.add_row("class named by the line = statement's class", _pct(summary["class_agreement"]))
    console.print(head)
    for key, title in (("by_level", "level"), ("by_package", "package"), ("by_class", "class")):
        table = Table(title=f"Coverage by {title}")
        for column in (title, "seen", "total", "share", "lines"):
            table.add_column(column, justify="left" if column == title else "right")
        for row in summary[key][:rows]:
            table.add_row(plain(row["name"]), str(row["seen"]), str(row["total"]), _pct(row["share"]),
                          str(row["lines"]))
        console.print(table)
    if summary["unmatched_clusters"]:
        table = Table(title="Lines no statement matched (Drain3 clusters)")
        for column in ("cluster", "lines", "template"):
            table.add_column(column)
        for row in summary["unmatched_clusters"][:rows]:
            # log text is untrusted: its [markup] and escape sequences are shown, never applied
            table.add_row(plain(row["cluster"]), str(row["count"]), plain(row["template"][:100]))
        console.print(table)


def _chart(summary: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    packages = summary["by_package"][:12]
    levels = summary["by_level"]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [3, 1]})
    for ax, rows, title in ((axes[0], packages, "by package"), (axes[1], levels, "by level")):
        names = [r["name"].rsplit(".", 2)[-2:] for r in rows]
        labels = [".".join(n) for n in names]
        positions = range(len(rows))
        ax.barh(list(positions), [r["total"] for r in rows], color="#d9d9d9", label="statements")
        ax.barh(list(positions), [r["seen"] for r in rows], color="#2b8cbe", label="seen in logs")
        ax.set_yticks(list(positions), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"Log statements {title}")
        ax.set_xlabel("statements")
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    with atomic_file(Path(path)) as handle:  # never half written, never through a link
        fig.savefig(handle, format="png", dpi=110)
    plt.close(fig)


def write_markdown(summary: dict[str, Any], out_dir: str | Path, sources: list[str]) -> Path:
    """Write ``coverage.md`` and ``coverage.png`` into ``out_dir``; returns the Markdown path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _chart(summary, out / CHART)
    lines = [
        "# Log statement coverage", "",
        f"Logs: {', '.join(f'`{s}`' for s in sources)}", "",
        "| measure | value |", "|---|---|",
        f"| statements seen / total | {summary['statements_seen']} / {summary['statements_total']} "
        f"({_pct(summary['statement_coverage'])}) |",
        f"| lines matched / total | {summary['lines_matched']} / {summary['lines_total']} "
        f"({_pct(summary['line_match_rate'])}) |",
        f"| lines matched exactly / ambiguously (a guess among statements the line cannot tell apart) / "
        f"approximately (other code version) | {summary['lines_exact']} / {summary['lines_ambiguous']} / "
        f"{summary['lines_approximate']} |",
        f"| statements seen through a template match | {summary['statements_seen_exact']} |",
        f"| matches that ignored a slot's declared type | {summary['lines_loose']} |",
    ]
    if summary["lines_with_class"]:
        lines.append(f"| line's class = statement's class | {_pct(summary['class_agreement'])} |")
    lines += ["", f"![coverage]({CHART})", ""]
    for key, title in (("by_level", "level"), ("by_package", "package"), ("by_class", "class")):
        lines += [f"## By {title}", "", f"| {title} | seen | total | share | lines |",
                  "|---|---:|---:|---:|---:|"]
        lines += [f"| `{r['name']}` | {r['seen']} | {r['total']} | {_pct(r['share'])} | {r['lines']} |"
                  for r in summary[key][:30]]
        lines.append("")
    lines += ["## Top unseen statements", "", "| statement | level | template |", "|---|---|---|"]
    lines += [f"| `{r['file']}:{r['line']}` | {r['level']} | `{_cell(r['template'])}` |"
              for r in summary["top_unseen"]]
    lines += ["", "## Lines no statement matched (Drain3 clusters)", "", "| cluster | lines | template |",
              "|---|---:|---|"]
    lines += [f"| {r['cluster']} | {r['count']} | `{_cell(r['template'])}` |"
              for r in summary["unmatched_clusters"]]
    path = out / "coverage.md"
    with atomic_file(path) as handle:
        handle.write(("\n".join(lines) + "\n").encode())
    return path


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ")[:160]
