"""Retry coupling: a retried failure shows the caller's retry line between the failure and the retry.

A failed run that something retries has two sides in the logs: the failing entry point's run (a
datanode's receive that throws) and the caller that notices and retries ("Retrying transfer of
blk_X to 1 datanodes"), printed between the failure and the new run. Real sessions teach that
coupling when they show it (``compose_templates``); a real log that never exercised the retry
cannot, and composing the two sides independently gives sessions no system prints: a failed and
repeated receive without any retry line, or a retry line with nothing failed. Here the coupling
comes from the source instead (``retry_sources``):

* a *retry line* is a statement whose wording says retry (the label rules' ``retry_words``) and
  that is not itself a failure; a *caller* is a successful path printing one;
* what a caller re-runs: the entry points whose class holds a method that a method on the
  caller's path calls (the writer's ``transferOnce`` calls ``DataNode.submit``, so its retry
  re-runs ``DataNode.receiveBlock``).

Then a session with a composed retry of such an entry point gets, for one run of a caller's entry
point, the closest caller path (its retry branch); and a session driven by a caller gets a
recoverable failed run (no ERROR/FATAL line) of an entry point it re-runs, retried by that entry
point's last run. After the merge the retry line is moved between the failure's last line and the
retry's first line when the interleaving put it elsewhere (and the caller's own order allows).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from anomalygen.records import Path


@dataclass(frozen=True, slots=True)
class Coupling:
    """A failed run, the run that retries it, and the path printing the retry line between them."""

    failed: Path
    retry: Path
    caller: Path
    line: str
    """The retry line's statement id."""


@dataclass(frozen=True, slots=True)
class RetrySources:
    """What the source says about retries (see the module docstring)."""

    lines: frozenset[str] = frozenset()
    """Retry-line statement ids."""
    severe: frozenset[str] = frozenset()
    """ERROR/FATAL statement ids: a failed run printing one is not a recoverable failure."""
    targets: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Caller path id -> entry points its retry re-runs."""

    def retried_entries(self) -> frozenset[str]:
        return frozenset(e for entries in self.targets.values() for e in entries)

    def line_of(self, path: Path) -> str | None:
        return next((s for s in path.statements if s in self.lines), None)


def retry_sources(paths: Sequence[Path], retry_lines: frozenset[str], severe: frozenset[str],
                  callees: Callable[[str], Iterable[str]], failing: Callable[[Path], bool]) -> RetrySources:
    """Callers among ``paths`` and the entry points each one's methods call into."""
    entries_by_class: dict[str, set[str]] = {}
    for path in paths:
        entries_by_class.setdefault(_class_of(path.entry), set()).add(path.entry)
    targets: dict[str, frozenset[str]] = {}
    for path in paths:
        if failing(path) or retry_lines.isdisjoint(path.statements):
            continue
        called = {_class_of(callee) for method in path.methods for callee in callees(method)}
        reached = {e for cls in called for e in entries_by_class.get(cls, ()) if e != path.entry}
        if reached:
            targets[path.id] = frozenset(reached)
    return RetrySources(retry_lines, severe, targets)


def _class_of(method_id: str) -> str:
    return method_id.split("(", 1)[0].rsplit(".", 1)[0]


def _closeness(a: Path, b: Path) -> int:
    shared = Counter(a.statements) & Counter(b.statements)
    return 2 * sum(shared.values()) - len(a.statements) - len(b.statements)


def couple(chains: list[list[Path]], primary: Path, retry_of: dict[str, str],
           by_entry: Mapping[str, Sequence[Path]], failing: Callable[[Path], bool],
           sources: RetrySources, rng: random.Random) -> Coupling | None:
    """Edit ``chains`` (and ``retry_of``) so a retried failure has its caller's retry line."""
    if not sources.targets:
        return None
    if retry_of:
        retry_id, failed_id = next(iter(retry_of.items()))
        runs = [p for chain in chains for p in chain]
        failed = next((p for p in runs if p.id == failed_id), None)
        retry = next((p for p in runs if p.id == retry_id), None)
        if failed is None or retry is None:
            return None
        present = next((p for p in runs if failed.entry in sources.targets.get(p.id, ())), None)
        if present is not None:  # a real template brought the caller's retry branch already
            return Coupling(failed, retry, present, sources.line_of(present) or "")
        for chain in chains:
            for index, run in enumerate(chain):
                if run.entry == failed.entry or sources.line_of(run) is not None:
                    continue
                callers = sorted((p for p in by_entry.get(run.entry, ())
                                  if failed.entry in sources.targets.get(p.id, ())), key=lambda p: p.id)
                if not callers:
                    continue
                best = max(_closeness(run, p) for p in callers)
                caller = rng.choice([p for p in callers if _closeness(run, p) == best])
                chain[index] = caller
                return Coupling(failed, retry, caller, sources.line_of(caller) or "")
        return None
    targets = sources.targets.get(primary.id, frozenset())
    line = sources.line_of(primary)
    if not targets or line is None:
        return None
    # The driver is a caller's retry branch: give it a failure to retry, in the longest chain of
    # an entry point it re-runs.
    candidates = sorted(((len(chain), i) for i, chain in enumerate(chains)
                         if chain and chain[-1].entry in targets and not failing(chain[-1])),
                        reverse=True)
    for _, i in candidates:
        chain = chains[i]
        entry = chain[-1].entry
        recoverable = sorted((p for p in by_entry.get(entry, ()) if failing(p)
                              and sources.severe.isdisjoint(p.statements)), key=lambda p: p.id)
        if not recoverable:
            continue
        failed = rng.choice(recoverable)
        retry = chain[-1]
        chain.insert(len(chain) - 1, failed)
        retry_of[retry.id] = failed.id
        return Coupling(failed, retry, primary, line)
    return None


def place_retry_line(events: list[tuple[str, Path]], coupling: Coupling) -> list[tuple[str, Path]]:
    """``events`` with the retry line after the failed run's last line and before the retry's
    first line; unchanged when the caller's own line order would break."""
    failed_at = [i for i, (_, p) in enumerate(events) if p is coupling.failed]
    line_at = [i for i, (s, p) in enumerate(events) if p is coupling.caller and s == coupling.line]
    if not failed_at or not line_at:
        return events
    end = failed_at[-1]
    retry_starts = [i for i, (s, p) in enumerate(events)
                    if i > end and p is coupling.retry and s == coupling.retry.statements[0]]
    line = line_at[0]
    if line > end and (not retry_starts or line < retry_starts[0]):
        return events
    moved = events[:line] + events[line + 1:]
    target = end if line < end else end + 1  # indices after removing the line
    moved.insert(target, events[line])
    caller_order = [s for s, p in moved if p is coupling.caller]
    original = [s for s, p in events if p is coupling.caller]
    return moved if caller_order == original else events
