"""A trained grammar as flat integer arrays, and back: what ``save``/``load`` of the detector write.

Every map of ``GrammarCore`` is a plain dict of ints after training (copy-on-write views exist
only while scoring), so each becomes one or a few int64 columns in ``.npz``; ragged values (rule
expansions, trie tails) become a flat column plus offsets. Maps are rebuilt in their saved order,
so a reloaded grammar is the same object state, not only the same language: scores, ``rules()``
and further training all match the original.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np
import numpy.typing as npt

from anomalygen.detectors.grammar import engine
from anomalygen.detectors.grammar.transform import GrammarCore

IntArray = npt.NDArray[np.int64]

INT_MAPS = ("nxt", "prv", "sym", "guard_rule", "head", "refs", "sequence", "trie", "trie_end",
            "rule_trie")
"""Maps int -> int, saved as two columns each."""
COUNTERS = ("size", "_next_node", "_next_rule", "_next_trie")


def _ints(values: list[int]) -> IntArray:
    return np.asarray(values, dtype=np.int64).reshape(-1)


def _ragged(rows: list[tuple[int, ...]]) -> tuple[IntArray, IntArray]:
    """Rows of different lengths as (flat values, end offset of each row)."""
    lengths = [len(row) for row in rows]
    flat = [value for row in rows for value in row]
    return _ints(flat), _ints(np.cumsum(lengths, dtype=np.int64).tolist())


def _unragged(flat: IntArray, ends: IntArray) -> list[tuple[int, ...]]:
    starts = [0, *ends[:-1].tolist()] if ends.size else []
    values = flat.tolist()
    return [tuple(values[start:end]) for start, end in zip(starts, ends.tolist(), strict=True)]


def to_arrays(core: GrammarCore) -> dict[str, IntArray]:
    """The grammar's state as named int64 arrays (no objects: ``np.load`` needs no pickle)."""
    if core._pending:
        raise ValueError("grammar is in the middle of a transform; nothing consistent to save")
    arrays: dict[str, IntArray] = {}
    for name in INT_MAPS:
        table: Mapping[int, int] = getattr(core, name)
        arrays[f"{name}.keys"] = _ints(list(table))
        arrays[f"{name}.values"] = _ints(list(table.values()))
    # after training every store is a plain dict (copy-on-write views live only while scoring)
    digrams = cast("dict[tuple[int, int], int]", core.digrams)
    arrays["digrams.pairs"] = _ints([s for pair in digrams for s in pair]).reshape(-1, 2)
    arrays["digrams.values"] = _ints(list(digrams.values()))
    expand = cast("dict[int, tuple[int, ...]]", core.expand)
    arrays["expand.keys"] = _ints(list(expand))
    arrays["expand.flat"], arrays["expand.ends"] = _ragged(list(expand.values()))
    tails = cast("dict[int, tuple[tuple[int, ...], int, int]]", core.tails)
    arrays["tails.keys"] = _ints(list(tails))
    arrays["tails.flat"], arrays["tails.ends"] = _ragged([tail[0] for tail in tails.values()])
    arrays["tails.offset_rule"] = _ints([v for tail in tails.values() for v in tail[1:]]).reshape(-1, 2)
    arrays["root"] = _ints(core.root)
    arrays["counters"] = _ints([getattr(core, name) for name in COUNTERS])
    return arrays


def from_arrays(arrays: Mapping[str, npt.NDArray[np.generic]]) -> GrammarCore:
    """Inverse of ``to_arrays``; a missing or misshapen array is a ``ValueError``."""
    try:
        core = engine.GrammarCore()  # the compiled build when current, as training uses
        for name in INT_MAPS:
            keys, values = arrays[f"{name}.keys"].tolist(), arrays[f"{name}.values"].tolist()
            if len(keys) != len(values):
                raise ValueError(f"{name}: {len(keys)} keys for {len(values)} values")
            setattr(core, name, dict(zip(keys, values, strict=True)))
        pairs = arrays["digrams.pairs"].reshape(-1, 2).tolist()
        core.digrams = {(a, b): v for (a, b), v in zip(pairs, arrays["digrams.values"].tolist(), strict=True)}
        expansions = _unragged(np.asarray(arrays["expand.flat"]), np.asarray(arrays["expand.ends"]))
        core.expand = dict(zip(arrays["expand.keys"].tolist(), expansions, strict=True))
        paths = _unragged(np.asarray(arrays["tails.flat"]), np.asarray(arrays["tails.ends"]))
        rest = arrays["tails.offset_rule"].reshape(-1, 2).tolist()
        core.tails = {node: (path, offset, rule) for node, path, (offset, rule)
                      in zip(arrays["tails.keys"].tolist(), paths, rest, strict=True)}
        core.root = [int(r) for r in arrays["root"].tolist()]
        for name, value in zip(COUNTERS, arrays["counters"].tolist(), strict=True):
            setattr(core, name, int(value))
    except KeyError as exc:
        raise ValueError(f"saved grammar lacks the array {exc.args[0]!r}") from None
    return core
