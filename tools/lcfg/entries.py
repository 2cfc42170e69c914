"""Entry points: where executions that print logs start.

Discovered automatically, ranked by kind and then by how many log statements they can reach:

1. ``run()``/``call()`` of types that are (transitively, through in-repo classes) a Thread, Runnable
   or Callable, anonymous classes included;
2. ``public static void main(String[])``;
3. handler methods (``process*``, ``handle*``, ``on*``, ``do[A-Z]*``, ``service``, ``receive*``,
   ``dispatch*``) of classes implementing an interface;
4. methods and lambda bodies with no in-repo caller.

Only methods that can reach a log statement qualify. Code under test folders is ranked after
everything else (a running system does not execute its tests). ``resolve_entry`` maps a user's
``Class.method`` (simple or qualified, any overload, or a full method id) to method ids.
"""

from __future__ import annotations

import re
from collections import deque

from anomalygen.tools.java.model import MethodInfo, Program
from anomalygen.tools.lcfg.analysis import TEST_DIR, Analysis, analysis_for

TASK_TYPES = frozenset({"Thread", "Runnable", "Callable", "TimerTask", "java.lang.Thread",
                        "java.lang.Runnable",
                        "java.util.concurrent.Callable", "java.util.TimerTask"})
HANDLER = re.compile(r"^(process|handle|on[A-Z]|do[A-Z]|service$|receive|dispatch)")
REACH_DEPTH = 3
KIND_NAMES = ("task", "main", "handler", "root")


def _base(name: str) -> str:
    """``Foo<Bar>`` -> ``Foo``; keeps qualification."""
    return name.split("<", 1)[0].strip()


def _simple(name: str) -> str:
    return _base(name).rsplit(".", 1)[-1]


def _task_types(program: Program) -> set[str]:
    """In-repo types that are a Thread/Runnable/Callable, directly or through in-repo supertypes."""
    by_simple: dict[str, list[str]] = {}
    for full, info in program.types.items():
        by_simple.setdefault(info.simple_name, []).append(full)
    tasks: set[str] = set()
    changed = True
    while changed:
        changed = False
        for full, info in program.types.items():
            if full in tasks:
                continue
            supers = [s for s in (info.superclass, *info.interfaces) if s]
            for sup in supers:
                base = _base(sup)
                if base in TASK_TYPES or _simple(base) in TASK_TYPES or base in tasks or any(
                        t in tasks for t in by_simple.get(_simple(base), ())):
                    tasks.add(full)
                    changed = True
                    break
    return tasks


def entry_kind(program: Program, method: MethodInfo, tasks: set[str], callers: set[str]) -> int | None:
    """0 task, 1 main, 2 handler, 3 root, None when not an entry."""
    if method.name in ("run", "call") and method.arity == 0 and method.type_name in tasks:
        return 0
    if method.name == "main" and "static" in method.modifiers and method.arity == 1:
        return 1
    owner = program.types.get(method.type_name)
    if owner is not None and owner.interfaces and HANDLER.match(method.name) \
            and "private" not in method.modifiers:
        return 2
    if not callers:
        return 3
    return None


def reachable_logs(analysis: Analysis, method: str, depth: int = REACH_DEPTH) -> int:
    """Distinct log statements within ``depth`` calls of ``method`` (a ranking signal)."""
    seen = {method}
    queue = deque([(method, 0)])
    logs: set[str] = set()
    while queue:
        cur, d = queue.popleft()
        logs.update(analysis.own_logs.get(cur, ()))
        if d >= depth:
            continue
        for callee in analysis.callees.get(cur, ()):
            if callee in analysis.reach and callee not in seen:
                seen.add(callee)
                queue.append((callee, d + 1))
    return len(logs)


def ranked_entries(program: Program) -> list[tuple[str, int, int]]:
    """(method id, kind, reachable log count) for every discovered entry, best first."""
    analysis = analysis_for(program)
    tasks = _task_types(program)
    found: list[tuple[bool, int, int, str]] = []
    for mid in sorted(analysis.reach):
        method = program.methods.get(mid)
        if method is None or method.body is None:
            continue
        callers = {c for c in analysis.callers.get(mid, ()) if c != mid}
        kind = entry_kind(program, method, tasks, callers)
        if kind is None:
            continue
        count = reachable_logs(analysis, mid)
        found.append((bool(TEST_DIR.search(method.file)), kind, -count, mid))
    found.sort()
    return [(mid, kind, -neg) for _, kind, neg, mid in found]


def discover_entries(program: Program, limit: int | None = None) -> list[str]:
    """Entry method ids, best first; test code only when the repository has nothing else."""
    ranked = ranked_entries(program)
    main = [mid for mid, _, _ in ranked if not TEST_DIR.search(program.methods[mid].file)]
    chosen = main or [mid for mid, _, _ in ranked]
    return chosen[:limit] if limit is not None else chosen


def fallback_entries(program: Program, reached: set[str], entries: set[str]) -> list[str]:
    """Methods owning log statements (outside test code) that no entry reached within the inlining
    depth: each becomes an entry of its own, so its statements still get paths."""
    analysis = analysis_for(program)
    if entries and all(TEST_DIR.search(program.methods[m].file) for m in entries if m in program.methods):
        return []  # a test-only repository: nothing to top up
    missing: dict[str, int] = {}
    for statement in program.log_statements.values():
        method = statement.method
        if statement.id in reached or TEST_DIR.search(statement.file) or method in entries:
            continue
        if method in analysis.reach and program.methods[method].body is not None:
            missing[method] = missing.get(method, 0) + 1
    return sorted(missing, key=lambda m: (-missing[m], m))


def resolve_entry(program: Program, spec: str) -> list[str]:
    """Method ids matching ``Class.method``, ``pkg.Class.method`` or an exact method id."""
    spec = spec.strip()
    if spec in program.methods:
        return [spec]
    if "." not in spec:
        return sorted(m.id for m in program.methods.values() if m.name == spec and not m.is_lambda)
    owner, _, name = spec.rpartition(".")
    name = name.split("(", 1)[0]
    hits = []
    for method in program.methods.values():
        if method.name != name or method.is_lambda:
            continue
        full = method.type_name
        if full == owner or full.endswith("." + owner) or full.rsplit(".", 1)[-1] == owner:
            hits.append(method.id)
    return sorted(hits)
