"""Event sequences -> padded tensors for the language models.

Index layout. Names: 0 padding, 1 unknown (any id not seen in training), 2 begin, 3 end, real
ids from 4. Processes: 0 none (missing), 1 unknown, real names from 2. Direction: 0 none,
1 entry, 2 exit. Status: 0 none, 1 success, 2 failure.

A sequence of L events becomes L + 1 *positions*: inputs are ``[begin, e1 .. eL]`` and targets
``[e1 .. eL, end]``, so the model predicts every event from the ones before it and also where the
sequence stops (a cut-off trace is surprising too).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch

from anomalygen.detectors.support.event_features import (
    NUMERIC_CHANNELS,
    EventFeatures,
    signed_log,
    to_features,
)
from anomalygen.records import Event

PAD, UNKNOWN, BEGIN, END = 0, 1, 2, 3
FIRST_NAME = 4
NO_PROCESS, UNKNOWN_PROCESS, FIRST_PROCESS = 0, 1, 2

Int = npt.NDArray[np.int64]
Float = npt.NDArray[np.float32]


class FeatureVocabulary:
    """Event names and process names seen in training -> indices (JSON-saveable)."""

    __slots__ = ("name_index", "names", "process_index", "processes")

    def __init__(self, names: Sequence[Hashable], processes: Sequence[str]) -> None:
        self.names = list(names)
        self.processes = list(processes)
        self.name_index = {n: i + FIRST_NAME for i, n in enumerate(self.names)}
        self.process_index = {p: i + FIRST_PROCESS for i, p in enumerate(self.processes)}

    @classmethod
    def from_events(cls, sequences: Sequence[list[EventFeatures]]) -> FeatureVocabulary:
        names: dict[Hashable, None] = {}
        processes: dict[str, None] = {}
        for seq in sequences:
            for e in seq:
                names.setdefault(e.name, None)
                if e.process is not None:
                    processes.setdefault(e.process, None)
        return cls(list(names), list(processes))

    @property
    def n_names(self) -> int:
        return len(self.names) + FIRST_NAME

    @property
    def n_processes(self) -> int:
        return len(self.processes) + FIRST_PROCESS


@dataclass(frozen=True, slots=True)
class Encoded:
    """One sequence as per-position arrays (length L + 1)."""

    names: Int
    targets: Int
    processes: Int
    directions: Int
    statuses: Int
    numeric: Float
    """(L + 1, channels) values, already scaled."""
    present: Float
    """(L + 1, channels) 1 where the value is known, 0 where it is missing."""

    def __len__(self) -> int:
        return int(self.names.shape[0])


def encode(sequence: Sequence[object], vocab: FeatureVocabulary) -> Encoded:
    if not any(isinstance(e, (Event, EventFeatures)) for e in sequence):
        return _encode_names(sequence, vocab)
    events = [to_features(e) for e in sequence]
    n = len(events) + 1
    names = np.full(n, BEGIN, dtype=np.int64)
    targets = np.full(n, END, dtype=np.int64)
    processes = np.zeros(n, dtype=np.int64)
    directions = np.zeros(n, dtype=np.int64)
    statuses = np.zeros(n, dtype=np.int64)
    numeric = np.zeros((n, len(NUMERIC_CHANNELS)), dtype=np.float32)
    present = np.zeros((n, len(NUMERIC_CHANNELS)), dtype=np.float32)
    numeric[:, 0] = np.arange(n, dtype=np.float32)
    present[:, 0] = 1.0
    previous_time: float | None = None
    for i, e in enumerate(events):
        index = vocab.name_index.get(e.name, UNKNOWN)
        names[i + 1] = index
        targets[i] = index
        if e.process is not None:
            processes[i + 1] = vocab.process_index.get(e.process, UNKNOWN_PROCESS)
        if e.direction is not None:
            directions[i + 1] = 1 if e.direction == "entry" else 2
        if e.status is not None:
            statuses[i + 1] = 1 if e.status else 2
        for channel, value in ((1, e.pid), (2, e.tid), (4, e.value)):
            if value is not None:
                numeric[i + 1, channel] = value if channel != 4 else signed_log(value)
                present[i + 1, channel] = 1.0
        if e.timestamp is not None:
            if previous_time is not None:
                numeric[i + 1, 3] = signed_log(e.timestamp - previous_time)
                present[i + 1, 3] = 1.0
            previous_time = e.timestamp
    return Encoded(names, targets, processes, directions, statuses, numeric, present)


def _encode_names(sequence: Sequence[object], vocab: FeatureVocabulary) -> Encoded:
    """Fast path for bare ids (system-call names, log keys): no arguments to read."""
    get = vocab.name_index.get
    try:
        ids = [get(e, UNKNOWN) for e in sequence]
    except TypeError:
        raise TypeError("an event must be an id, an Event or EventFeatures, "
                        f"got {next(type(e).__name__ for e in sequence if not isinstance(e, Hashable))}"
                        ) from None
    n = len(ids) + 1
    names = np.asarray([BEGIN, *ids], dtype=np.int64)
    targets = np.asarray([*ids, END], dtype=np.int64)
    zeros = np.zeros(n, dtype=np.int64)
    numeric = np.zeros((n, len(NUMERIC_CHANNELS)), dtype=np.float32)
    present = np.zeros((n, len(NUMERIC_CHANNELS)), dtype=np.float32)
    numeric[:, 0] = np.arange(n, dtype=np.float32)
    present[:, 0] = 1.0
    return Encoded(names, targets, zeros, zeros.copy(), zeros.copy(), numeric, present)


@dataclass(frozen=True, slots=True)
class Batch:
    """Padded (B, T[, channels]) tensors; ``targets`` is PAD where nothing is predicted."""

    names: torch.Tensor
    targets: torch.Tensor
    processes: torch.Tensor
    directions: torch.Tensor
    statuses: torch.Tensor
    numeric: torch.Tensor
    present: torch.Tensor

    def to(self, device: torch.device) -> Batch:
        return Batch(*(getattr(self, f).to(device) for f in Batch.__slots__))


def collate(pieces: Sequence[tuple[Encoded, int, int]]) -> Batch:
    """Stack ``encoded[start:end]`` slices, padded at the end to the longest."""
    width = max(end - start for _, start, end in pieces)
    b = len(pieces)
    channels = len(NUMERIC_CHANNELS)
    ints = {f: np.zeros((b, width), dtype=np.int64)
            for f in ("names", "targets", "processes", "directions", "statuses")}
    numeric = np.zeros((b, width, channels), dtype=np.float32)
    present = np.zeros((b, width, channels), dtype=np.float32)
    for row, (enc, start, end) in enumerate(pieces):
        k = end - start
        for f, array in ints.items():
            array[row, :k] = getattr(enc, f)[start:end]
        numeric[row, :k] = enc.numeric[start:end]
        present[row, :k] = enc.present[start:end]
    return Batch(
        names=torch.from_numpy(ints["names"]), targets=torch.from_numpy(ints["targets"]),
        processes=torch.from_numpy(ints["processes"]), directions=torch.from_numpy(ints["directions"]),
        statuses=torch.from_numpy(ints["statuses"]), numeric=torch.from_numpy(numeric),
        present=torch.from_numpy(present),
    )
