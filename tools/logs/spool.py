"""Sessions grouped on disk, so cutting a log of any size into sessions takes bounded memory.

``SessionSpool.add(key, event)`` takes events in log order; memory holds one entry per session
(its key) and one chunk of events. A full chunk is sorted by session (log order kept within one)
and written as a run file; ``sessions()`` merges the runs and yields the sessions in the order of
their first line, each one's events streamed from disk in log order: the same sessions, in the
same order, as grouping in memory gives, and what ``keyseq.write_folder`` writes without holding.
"""

from __future__ import annotations

import heapq
import itertools
import json
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from anomalygen.records import Event

CHUNK = 200_000
"""Events held in memory before they are sorted and written as one run."""


@dataclass(slots=True)
class SpooledSession:
    """A session whose events are read from the spool as they are iterated (once, in order)."""

    id: str
    label: int | None
    events: Iterator[Event]
    source: str = "real"


class SessionSpool:
    """Events added by session key, read back grouped by session; run files live in ``directory``."""

    def __init__(self, directory: str | Path, labels: Mapping[str, int] | None = None,
                 chunk: int = CHUNK) -> None:
        self._directory = Path(directory)
        self._labels = labels or {}
        self._chunk = chunk
        self._order: dict[str, int] = {}
        """Session key -> its rank by first line."""
        self._buffer: list[tuple[int, int, str]] = []
        self._runs: list[IO[str]] = []
        self.used: set[str] = set()
        """The event ids seen (the vocabulary's size, not the log's)."""
        self.events = 0

    def add(self, key: str, event: Event) -> None:
        rank = self._order.setdefault(key, len(self._order))
        self.used.add(event.statement)
        # the text is not kept: the key-sequence folder has no place for it
        encoded = json.dumps([event.statement, list(event.params), event.timestamp], ensure_ascii=False)
        self._buffer.append((rank, self.events, encoded))
        self.events += 1
        if len(self._buffer) >= self._chunk:
            self._flush()

    @property
    def keys(self) -> list[str]:
        """The session keys, in the order of their first line."""
        return list(self._order)

    def label_of(self, key: str) -> int | None:
        return self._labels.get(key)

    def _flush(self) -> None:
        if not self._buffer:
            return
        self._buffer.sort()  # (rank, arrival): sessions in first-line order, events in log order
        # an unnamed file (O_TMPFILE): a crash leaves nothing behind; closed by close()
        run = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=self._directory)  # noqa: SIM115
        run.writelines(f"{rank}\t{arrival}\t{encoded}\n" for rank, arrival, encoded in self._buffer)
        run.seek(0)
        self._runs.append(run)
        self._buffer = []

    def sessions(self) -> Iterator[SpooledSession]:
        """Each session once, in first-line order; consume one's events before asking for the next."""
        self._flush()
        keys = self.keys
        merged = heapq.merge(*(_read_run(run) for run in self._runs))
        for rank, group in itertools.groupby(merged, key=lambda item: item[0]):
            key = keys[rank]
            yield SpooledSession(key, self.label_of(key), (_event(encoded) for _, _, encoded in group))

    def close(self) -> None:
        for run in self._runs:
            run.close()
        self._runs = []

    def __enter__(self) -> SessionSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_run(run: IO[str]) -> Iterator[tuple[int, int, str]]:
    for line in run:
        rank, arrival, encoded = line.rstrip("\n").split("\t", 2)
        yield int(rank), int(arrival), encoded


def _event(encoded: str) -> Event:
    statement, params, timestamp = json.loads(encoded)
    return Event(statement, tuple(params), timestamp)
