"""The explanation as plain text for a person or a model: events, verdicts, nearest path, parting."""

from __future__ import annotations

from collections.abc import Mapping

from anomalygen.records import LogStatement
from anomalygen.tools.explain.explain import Explanation, GroupExplanation, Parting
from anomalygen.tools.explain.flow import EXIT, THROW, Alternative

MAX_TEMPLATE = 90
MAX_ALTERNATIVES = 5


def describe(statement: str, statements: Mapping[str, LogStatement]) -> str:
    """``INFO "template" (File.java:12)`` for a statement id; the ends as they are."""
    if statement in (EXIT, THROW) or not statement:
        return statement or "(start)"
    found = statements.get(statement)
    if found is None:
        return statement
    template = found.template if len(found.template) <= MAX_TEMPLATE else found.template[:MAX_TEMPLATE] + "…"
    return f'{found.level.value} "{template}" ({found.file.rsplit("/", 1)[-1]}:{found.line})'


def _alternative(alt: Alternative, statements: Mapping[str, LogStatement]) -> str:
    when = " && ".join(alt.conditions) if alt.conditions else "always"
    return f"{describe(alt.statement, statements)} when {when}"


def _parting(parting: Parting, statements: Mapping[str, LogStatement]) -> list[str]:
    where = f"after {describe(parting.last_common, statements)}" if parting.last_common else "at the start"
    taken = " && ".join(parting.taken) or "no condition"
    lines = [f"where they part: {where}, the path goes to {describe(parting.path_next, statements)} "
             f"(when {taken}); the session shows {describe(parting.session_next, statements)}, which the "
             f"source {'can' if parting.session_next_possible else 'cannot'} print at this point."]
    if parting.alternatives:
        lines.append("  what the source can do there:")
        lines.extend(f"    - {_alternative(a, statements)}" for a in parting.alternatives[:MAX_ALTERNATIVES])
        if len(parting.alternatives) > MAX_ALTERNATIVES:
            lines.append(f"    - ... {len(parting.alternatives) - MAX_ALTERNATIVES} more")
    return lines


def _group(group: GroupExplanation, by: str, statements: Mapping[str, LogStatement]) -> list[str]:
    counts = {s: sum(t.status == s for t in group.transitions) for s in ("direct", "restart", "none")}
    out = [f"## {by} {group.key}: {len(group.events)} events (log lines {group.lines[0]}-{group.lines[-1]})",
           f"transitions: {counts['direct']} direct, {counts['restart']} between two runs, "
           f"{counts['none']} that no source path allows"]
    for t in group.transitions:
        if t.status != "none":
            continue
        out.append(f"  ✗ line {group.lines[t.index]}: {describe(t.after, statements)} right after "
                   f"{describe(t.before, statements)}")
        if t.allowed:
            options = "; ".join(_alternative(a, statements) for a in t.allowed[:3])
            out.append(f"    the source prints instead: {options}")
    if group.path is None:
        out.append("no complete path of the candidate methods could be aligned with these events")
        return out
    out.append(f"nearest valid path: {group.path['id']} from {group.path['entry']}, edit distance "
               f"{group.distance}, z3: {group.path['feasibility']}")
    marks = {"match": "=", "substituted": "~", "path-only": "+", "log-only": "-"}
    for op in group.ops:
        shown = op["statement"] if op["op"] != "log-only" else group.events[op["event"]]
        if op["op"] == "path-only":
            note = "  (the path prints it, the log does not)"
        elif op["op"] == "log-only":
            note = "  (the log shows it, the path does not)"
        elif op["op"] == "substituted":
            note = f"  (the log shows {describe(group.events[op['event']], statements)} here)"
        else:
            note = ""
        out.append(f"  {marks[op['op']]} {describe(shown, statements)}{note}")
    if group.parting is not None:
        out.extend(_parting(group.parting, statements))
    else:
        out.append("the session follows this path exactly")
    if group.truncated:
        out.append(f"(only the first events were aligned; the group has {len(group.events)})")
    return out


def explanation_text(explanation: Explanation, statements: Mapping[str, LogStatement]) -> str:
    level = (f"log level {explanation.min_level}: statements below it are treated as silent"
             if explanation.min_level else "no level in the log")
    out = [f"session: {explanation.lines} lines, {explanation.matched} matched to source statements; "
           f"grouped by {explanation.grouped_by}; {level}",
           f"transitions no source path allows (callees inlined {explanation.depth} calls deep): "
           f"{len(explanation.impossible)}"]
    for line in explanation.unmatched[:5]:
        out.append(f"  unmatched line {line['line_no']}: {line['text'][:120]}")
    for group in explanation.groups:
        out.append("")
        out.extend(_group(group, explanation.grouped_by, statements))
    return "\n".join(out)
