"""Whole real sessions as templates: the driver takes the place of one run of its entry point.

Per-entry shapes (``compose_structure``) keep how many runs of each entry point a real session
has, but draw each run on its own, which splits couplings across entry points: in blockstore's
normal sessions a failed datanode receive always comes with the writer's retry line. A template is
the path cover of one complete real session; the composed session is that template with the
driver in place of one of its entry point's runs (or of the runs its statements stand in for).
Only templates the label rules call normal are used (every failing run is followed by a
successful run of its entry point), so a normal driver is never padded with failures.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from anomalygen.records import Path
from anomalygen.tools.synth.compose.structure import SessionStructure


def recovered(members: Sequence[Path], failing: Callable[[Path], bool]) -> bool:
    """Every failing run is followed later by a successful run of the same entry point."""
    return all(any(later.entry == run.entry and not failing(later) for later in members[i + 1:])
               for i, run in enumerate(members) if failing(run))


def template_chains(primary: Path, needs: Mapping[str, int], structure: SessionStructure,
                    by_id: Mapping[str, Path], failing: Callable[[Path], bool], rng: random.Random,
                    retry: Callable[[], list[Path]]) -> list[list[Path]] | None:
    """Chains (one per entry point, runs in real order) of a real template with the driver in it;
    None when no rule-normal template has room for ``needs``."""
    if not needs:
        return None
    fitting: list[tuple[list[Path], int]] = []
    for ids, n in structure.templates:
        members = [by_id[i] for i in ids if i in by_id]
        if len(members) != len(ids):
            continue
        counts = Counter(p.entry for p in members)
        if all(counts[e] >= k for e, k in needs.items()) and recovered(members, failing):
            fitting.append((members, n))
    if not fitting:
        return None
    members = list(rng.choices([m for m, _ in fitting], weights=[n for _, n in fitting])[0])
    home = next(iter(needs))
    slot = 0
    for entry, times in needs.items():
        for _ in range(times):
            places = ([i for i, p in enumerate(members) if p.entry == entry and not failing(p)]
                      or [i for i, p in enumerate(members) if p.entry == entry])
            at = rng.choice(places)
            del members[at]
            if entry == home:
                slot = at
    if failing(primary):
        # Last among its entry point's runs: a sibling's later success is not a retry.
        last = max((i for i, p in enumerate(members) if p.entry == home), default=slot - 1)
        members[last + 1:last + 1] = [primary, *retry()]
    else:
        members.insert(slot, primary)
    chains: dict[str, list[Path]] = {}
    for member in members:
        chains.setdefault(member.entry if member is not primary else home, []).append(member)
    return list(chains.values())
