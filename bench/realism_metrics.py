"""How much synthetic normal sessions look like real normal ones, as event sequences.

Sessions are lists of event ids in one vocabulary (DeepLog keys for HDFS, statement ids otherwise).
The figures of issue 15's "Session realism":

- length: mean of each side, their ratio, and the Wasserstein (earth mover's) distance between the
  two length distributions (in events);
- bigram recall: the share of distinct real bigrams (consecutive event pairs) that some synthetic
  session contains; bigram precision: the share of distinct synthetic bigrams some real session
  contains (and, weighted, the share of synthetic bigram *occurrences* that real sessions know);
- count invariants: pairs of events whose counts are equal in every real session (each present in
  some session), and the share of synthetic sessions keeping every one of them.

Two figures split what the targets mix: bigram precision over the synthetic bigrams of events that
real normal sessions print (a bigram with an event they never print comes from a new path, which
is what synthetic data is for), and, given the sessions the generator learned from, their own
bigram recall against the same reference: the recall of replaying the training sessions, which a
generator exceeds only by composing real orders it never saw.

The differences are listed too, for whoever fixes the composer: the real bigrams synthetic sessions
miss and the synthetic ones real sessions never show (with their frequency), the events whose mean
count per session differs most, and the invariants broken most often.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from scipy.stats import wasserstein_distance

Bigram = tuple[str, str]
Item = TypeVar("Item", bound=tuple[str, str])
Number = TypeVar("Number", int, float)
MAX_LISTED = 10


def bigrams(session: Sequence[str]) -> list[Bigram]:
    return list(itertools.pairwise(session))


def count_invariants(sessions: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """Event pairs with equal counts in every session, over the events some session prints."""
    counts = [Counter(s) for s in sessions]
    events = sorted({e for c in counts for e in c})
    return [(a, b) for a, b in itertools.combinations(events, 2) if all(c[a] == c[b] for c in counts)]


@dataclass(slots=True)
class Realism:
    real_sessions: int
    synthetic_sessions: int
    real_mean_length: float
    synthetic_mean_length: float
    length_wasserstein: float
    bigram_recall: float
    bigram_precision: float
    bigram_precision_weighted: float
    invariants: int
    invariant_satisfaction: float
    bigram_precision_real_events: float = 1.0
    """Bigram precision over the synthetic bigrams both of whose events real sessions print."""
    training_bigram_recall: float | None = None
    """Bigram recall of the training sessions themselves (``compare``'s ``training``)."""
    missing_bigrams: list[tuple[Bigram, int]] = field(default_factory=list)
    """Real bigrams no synthetic session shows, with how many real sessions show them."""
    extra_bigrams: list[tuple[Bigram, int]] = field(default_factory=list)
    """Synthetic bigrams no real session shows, with how many synthetic sessions show them."""
    count_gaps: list[tuple[str, float, float]] = field(default_factory=list)
    """(event, real mean count, synthetic mean count), largest difference first."""
    broken_invariants: list[tuple[tuple[str, str], float]] = field(default_factory=list)
    """(pair, share of synthetic sessions breaking it), most broken first."""

    @property
    def length_ratio(self) -> float:
        return self.synthetic_mean_length / self.real_mean_length if self.real_mean_length else 0.0

    def figures(self) -> dict[str, float | int]:
        names = ("real_sessions", "synthetic_sessions", "real_mean_length", "synthetic_mean_length",
                 "length_ratio", "length_wasserstein", "bigram_recall", "bigram_precision",
                 "bigram_precision_weighted", "bigram_precision_real_events", "invariants",
                 "invariant_satisfaction")
        figures = {name: getattr(self, name) for name in names}
        if self.training_bigram_recall is not None:
            figures["training_bigram_recall"] = self.training_bigram_recall
        return figures


def _sessions_with(sessions: Sequence[Sequence[str]]) -> Counter[Bigram]:
    """Bigram -> how many sessions contain it."""
    return Counter(b for s in sessions for b in set(bigrams(s)))


def _mean_counts(sessions: Sequence[Sequence[str]]) -> dict[str, float]:
    total = Counter(e for s in sessions for e in s)
    return {e: n / len(sessions) for e, n in total.items()}


def _share(part: Iterable[Bigram], whole: Collection[Bigram]) -> float:
    """The share of distinct ``whole`` items that ``part`` holds (1.0 for an empty ``whole``)."""
    return len(set(part) & set(whole)) / len(whole) if whole else 1.0


def _most(counts: Mapping[Item, Number], keep: Callable[[Item], bool]) -> list[tuple[Item, Number]]:
    """The ``MAX_LISTED`` items ``keep`` accepts, largest count first (ties by item)."""
    return sorted(((k, n) for k, n in counts.items() if keep(k)), key=lambda x: (-x[1], x[0]))[:MAX_LISTED]


def compare(real: Sequence[Sequence[str]], synthetic: Sequence[Sequence[str]],
            training: Sequence[Sequence[str]] | None = None) -> Realism:
    """The figures for ``synthetic`` against the reference ``real`` (both non-empty); ``training``:
    the real sessions the generator learned from, for ``training_bigram_recall``."""
    if not real or not synthetic:
        raise ValueError(f"nothing to compare: {len(real)} real and {len(synthetic)} synthetic sessions")
    real_bigrams, synthetic_bigrams = _sessions_with(real), _sessions_with(synthetic)
    occurrences = Counter(b for s in synthetic for b in bigrams(s))
    known = sum(n for b, n in occurrences.items() if b in real_bigrams)
    invariants = count_invariants(real)
    counts = [Counter(s) for s in synthetic]
    broken = {pair: sum(1 for c in counts if c[pair[0]] != c[pair[1]]) / len(counts) for pair in invariants}
    kept = sum(1 for c in counts if all(c[a] == c[b] for a, b in invariants))
    real_means, synthetic_means = _mean_counts(real), _mean_counts(synthetic)
    events = real_means.keys() | synthetic_means.keys()
    gaps = [(e, real_means.get(e, 0.0), synthetic_means.get(e, 0.0)) for e in events]
    gaps.sort(key=lambda g: (-abs(g[1] - g[2]), g[0]))
    lengths = [len(s) for s in real], [len(s) for s in synthetic]
    real_events = {e for s in real for e in s}
    of_real_events = [b for b in synthetic_bigrams if set(b) <= real_events]
    return Realism(
        real_sessions=len(real), synthetic_sessions=len(synthetic),
        real_mean_length=sum(lengths[0]) / len(real), synthetic_mean_length=sum(lengths[1]) / len(synthetic),
        length_wasserstein=float(wasserstein_distance(*lengths)),
        bigram_recall=_share(synthetic_bigrams, real_bigrams.keys()),
        bigram_precision=_share(real_bigrams, synthetic_bigrams.keys()),
        bigram_precision_weighted=known / sum(occurrences.values()) if occurrences else 1.0,
        invariants=len(invariants), invariant_satisfaction=kept / len(synthetic),
        bigram_precision_real_events=_share(real_bigrams, of_real_events),
        training_bigram_recall=(None if training is None
                                else _share(_sessions_with(training), real_bigrams.keys())),
        missing_bigrams=_most(real_bigrams, lambda b: b not in synthetic_bigrams),
        extra_bigrams=_most(synthetic_bigrams, lambda b: b not in real_bigrams),
        count_gaps=[g for g in gaps if abs(g[1] - g[2]) > 1e-9][:MAX_LISTED],
        broken_invariants=_most(broken, lambda pair: broken[pair] > 0),
    )
