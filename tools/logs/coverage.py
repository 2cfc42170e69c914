"""Coverage of source log statements by runtime logs: seen / total by package, class and level.

``CoverageCounter`` is fed matched lines one at a time (constant memory apart from one counter per
statement and a bounded sample of unmatched lines) and summarised against the full statement set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from anomalygen.records import LogStatement
from anomalygen.tools.logs.fallback import FallbackClusters
from anomalygen.tools.logs.hints import class_path, class_score
from anomalygen.tools.logs.match import MatchedLine

UNMATCHED_SAMPLE = 50


def package_of(type_name: str) -> str:
    """``org.a.b.Outer.Inner`` -> ``org.a.b``; ``(none)`` for statements without a type (templates CSV)."""
    if not type_name:
        return "(none)"
    segments = type_name.split(".")
    for i, segment in enumerate(segments):
        if segment[:1].isupper():
            return ".".join(segments[:i]) or "(default)"
    return ".".join(segments[:-1]) or "(default)"


@dataclass(slots=True)
class CoverageCounter:
    lines_total: int = 0
    lines_matched: int = 0
    lines_loose: int = 0
    lines_approximate: int = 0
    lines_ambiguous: int = 0
    """Template-matched lines that no evidence about the line settled (``MatchedLine.ambiguous``):
    mapped to the likeliest statement, counted apart from exact ones."""
    lines_with_class: int = 0
    """Matched lines whose location/logger field names a class (ZooKeeper ``Class@line``, ``%c``) and
    whose statement has an enclosing type (statements from a templates CSV have none)."""
    class_exact: int = 0
    """Template-matched lines whose statement's class is exactly the class the line names (approximate
    matches are left out: they are chosen within that class, so agreeing says nothing)."""
    class_outer: int = 0
    """... or its outermost class (a nested class, or a logger named after the outer class)."""
    seen: Counter[str] = field(default_factory=Counter)
    seen_exact: Counter[str] = field(default_factory=Counter)
    """Statements seen through a template match (not an approximate one)."""
    unmatched: list[dict[str, Any]] = field(default_factory=list)

    def add(self, line: MatchedLine) -> None:
        self.lines_total += 1
        hint = line.entry.source_class or line.entry.logger
        if line.statement is None:
            if len(self.unmatched) < UNMATCHED_SAMPLE:
                self.unmatched.append({"path": line.entry.path, "line_no": line.entry.line_no,
                                       "cluster": line.cluster, "text": line.entry.text[:300]})
            return
        self.lines_matched += 1
        self.lines_loose += line.loose
        self.lines_approximate += line.approximate
        self.lines_ambiguous += bool(line.ambiguous)
        self.seen[line.statement.id] += 1
        if not line.approximate:
            self.seen_exact[line.statement.id] += 1
        if hint and line.statement.type_name and not line.approximate:
            self.lines_with_class += 1
            score = class_score(hint, line.statement.type_name)
            self.class_exact += score == 2
            self.class_outer += score >= 1

    def feed(self, lines: Iterable[MatchedLine]) -> Iterable[MatchedLine]:
        """Count lines while passing them on (so one pass can both count and write)."""
        for line in lines:
            self.add(line)
            yield line


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _breakdown(statements: Iterable[LogStatement], seen: Mapping[str, int], key: Any) -> list[dict[str, Any]]:
    total: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    for statement in statements:
        name = key(statement)
        total[name] += 1
        if seen.get(statement.id):
            hit[name] += 1
            lines[name] += seen[statement.id]
    rows = [{"name": n, "total": total[n], "seen": hit[n], "share": _share(hit[n], total[n]),
             "lines": lines[n]} for n in total]
    return sorted(rows, key=lambda r: (-r["seen"], -r["total"], r["name"]))


def summarise(counter: CoverageCounter, statements: Mapping[str, LogStatement],
              clusters: FallbackClusters | None = None, top: int = 20) -> dict[str, Any]:
    """The coverage document (``coverage --json``)."""
    every = list(statements.values())
    seen = counter.seen
    seen_ids = [s for s in seen if s in statements]
    lines_per_class: Counter[str] = Counter()
    for statement_id, count in seen.items():
        lines_per_class[class_path(statements[statement_id].type_name)] += count
    unseen = [s for s in every if not seen.get(s.id)]
    # unseen statements of the classes the logs exercise most are the likeliest gaps to look at first
    unseen.sort(key=lambda s: (-lines_per_class[class_path(s.type_name)], -s.level.severity, s.file, s.line))
    return {
        "statements_total": len(every),
        "statements_seen": len(seen_ids),
        "statements_seen_exact": sum(1 for s in counter.seen_exact if s in statements),
        "statement_coverage": _share(len(seen_ids), len(every)),
        "lines_total": counter.lines_total,
        "lines_matched": counter.lines_matched,
        "line_match_rate": _share(counter.lines_matched, counter.lines_total),
        "lines_exact": counter.lines_matched - counter.lines_approximate - counter.lines_ambiguous,
        "lines_approximate": counter.lines_approximate,
        "lines_loose": counter.lines_loose,
        "lines_ambiguous": counter.lines_ambiguous,
        "lines_unmatched": counter.lines_total - counter.lines_matched,
        "lines_with_class": counter.lines_with_class,
        "class_agreement": _share(counter.class_exact, counter.lines_with_class),
        "class_agreement_outer": _share(counter.class_outer, counter.lines_with_class),
        "by_level": _breakdown(every, seen, lambda s: s.level.value),
        "by_package": _breakdown(every, seen, lambda s: package_of(s.type_name)),
        "by_class": _breakdown(every, seen, lambda s: s.type_name or "(none)")[:top * 5],
        "top_seen": [{"statement": sid, "lines": n, "file": statements[sid].file,
                      "line": statements[sid].line, "template": statements[sid].template}
                     for sid, n in seen.most_common(top)],
        "top_unseen": [{"statement": s.id, "file": s.file, "line": s.line, "level": s.level.value,
                        "template": s.template} for s in unseen[:top]],
        "unmatched_clusters": clusters.top(top) if clusters is not None else [],
        "unmatched_sample": counter.unmatched,
    }
