"""How close synthetic normal sessions are to real normal ones, by statement counts.

Count-based detectors (Invariants Mining, PCA, LogClustering) see a session as its vector of
per-statement counts. Three figures compare the synthetic normal sessions with the real normal
ones: mean length, the share of synthetic sessions whose whole count vector some real normal
session has, the L1 distance between the mean count vectors (over the union of statements),
and the share of synthetic sessions that satisfy every *pairwise count invariant* of the real
normal sessions (statements a, b whose counts keep one ratio in every real normal session, zero
together included: ``#Receiving == #Received == 3 x #allocateBlock``).

    python -m anomalygen.tools.synth.compose.realism REAL.jsonl SYNTHETIC.jsonl

Both files are key-sequence ``sessions.jsonl`` (``{"label": 0|1, "events": [...]}``, events as
statement ids or ``{"statement": ...}`` objects).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path as FilePath
from typing import Any

Invariant = tuple[str, str, Fraction]


def normal_counts(path: FilePath) -> list[Counter[str]]:
    """Per normal session (label 0), its statement counts."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("label") == 0:
                out.append(Counter(e if isinstance(e, str) else e["statement"] for e in record["events"]))
    return out


def pairwise_invariants(sessions: Sequence[Mapping[str, int]]) -> list[Invariant]:
    vocabulary = sorted({k for s in sessions for k in s})
    found = []
    for a, b in itertools.combinations(vocabulary, 2):
        ratios: set[Fraction] = set()
        for counts in sessions:
            x, y = counts.get(a, 0), counts.get(b, 0)
            if (x == 0) != (y == 0):
                break
            if y:
                ratios.add(Fraction(x, y))
        else:
            if len(ratios) == 1:
                found.append((a, b, ratios.pop()))
    return found


def satisfies(counts: Mapping[str, int], invariants: Iterable[Invariant]) -> bool:
    for a, b, ratio in invariants:
        x, y = counts.get(a, 0), counts.get(b, 0)
        if (x == 0) != (y == 0) or (y and Fraction(x, y) != ratio):
            return False
    return True


def _key(counts: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((k, n) for k, n in counts.items() if n))


def compare(real: Sequence[Mapping[str, int]], synthetic: Sequence[Mapping[str, int]]) -> dict[str, Any]:
    if not real or not synthetic:
        raise ValueError("both sides need normal sessions")
    invariants = pairwise_invariants(real)
    seen = {_key(s) for s in real}
    keys = {k for s in [*real, *synthetic] for k in s}

    def mean(side: Sequence[Mapping[str, int]], key: str) -> float:
        return sum(s.get(key, 0) for s in side) / len(side)

    return {
        "real_normal": len(real), "synthetic_normal": len(synthetic),
        "real_mean_length": round(sum(sum(s.values()) for s in real) / len(real), 2),
        "synthetic_mean_length": round(sum(sum(s.values()) for s in synthetic) / len(synthetic), 2),
        "real_invariants": len(invariants),
        # Whole count vectors: the share of synthetic normals some real normal session matches exactly.
        "synthetic_exact_real": round(sum(_key(s) in seen for s in synthetic) / len(synthetic), 3),
        "synthetic_satisfying": round(sum(satisfies(s, invariants) for s in synthetic) / len(synthetic), 3),
        "l1_mean_counts": round(sum(abs(mean(real, k) - mean(synthetic, k)) for k in keys), 2),
    }


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(compare(normal_counts(FilePath(argv[0])), normal_counts(FilePath(argv[1]))), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
