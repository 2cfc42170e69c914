"""SessionSpool: the same sessions as grouping in memory, written to the same bytes, from disk."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

import pytest

from anomalygen import keyseq
from anomalygen.records import Event, Level, LogStatement
from anomalygen.tools.logs.keyseq import export_key_sequences, export_spool
from anomalygen.tools.logs.sessions import _build
from anomalygen.tools.logs.spool import SessionSpool

STATEMENTS = {f"s{i}": LogStatement(f"s{i}", "S.java", i, Level.INFO, f"step {i} of {{}}") for i in range(5)}


def _assignments(seed: int, n: int) -> list[tuple[str, Event]]:
    rng = random.Random(seed)
    return [(f"blk_{rng.randrange(12)}", Event(f"s{rng.randrange(5)}", (f"é{rng.randrange(3)}\t\n",),
                                               float(i) if i % 3 else None, "text not kept"))
            for i in range(n)]


def _plain(key: str, label: int | None, events: Iterable[Event]) -> tuple[object, ...]:
    return key, label, [(e.statement, e.params, e.timestamp) for e in events]


@pytest.mark.parametrize("chunk", [1, 7, 10_000])
def test_spooled_sessions_equal_the_ones_grouped_in_memory(tmp_path: Path, chunk: int) -> None:
    pairs = _assignments(chunk, 300)
    labels = {"blk_3": 1, "blk_4": 0}
    expected = _build(pairs, labels)
    with SessionSpool(tmp_path, labels, chunk=chunk) as spool:
        for key, event in pairs:
            spool.add(key, event)
        got = [_plain(s.id, s.label, s.events) for s in spool.sessions()]
    assert got == [_plain(s.id, s.label, s.events) for s in expected]
    assert list(tmp_path.iterdir()) == []  # run files are unnamed: nothing is left in the folder


@pytest.mark.parametrize("batch", [1, 3, 4096])
def test_a_spooled_export_writes_the_same_bytes_as_an_export_from_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int) -> None:
    monkeypatch.setattr(keyseq, "_BATCH", batch)  # sessions longer than a batch are written in several
    pairs = _assignments(1, 500)
    labels = {"blk_1": 1, "blk_2": 0, "blk_5": 0}
    memory, disk = tmp_path / "memory", tmp_path / "disk"
    counts = export_key_sequences(_build(pairs, labels), memory, STATEMENTS)
    disk.mkdir()
    with SessionSpool(disk, labels, chunk=13) as spool:
        for key, event in pairs:
            spool.add(key, event)
        assert export_spool(spool, disk, STATEMENTS) == counts
    names = sorted(p.name for p in memory.iterdir())
    assert names == sorted(p.name for p in disk.iterdir())
    for name in names:
        assert (memory / name).read_bytes() == (disk / name).read_bytes(), name
