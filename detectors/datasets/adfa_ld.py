"""ADFA-LD system-call traces (``data_dir/adfa-ld/ADFA-LD.zip``), read straight from the archive.

Protocol (as in Kim et al., arXiv 1611.01726, and arXiv 2309.02206): train on the 833 traces of
``Training_Data_Master``; the 4,372 normal traces of ``Validation_Data_Master`` are shuffled with
the seed and split, ``VALIDATION_SHARE`` of them to place thresholds (``validation_normal``) and
the rest to ``test_normal``; the 746 traces under ``Attack_Data_Master`` (6 attack types, 60
folders) are ``test_anomalous``. No extraction: members are read with ``zipfile`` in memory.

Each trace is a list of i386 system-call *names* (``syscalls_i386``); a number the table lacks
stays as ``sys_<n>`` and is counted in ``AdfaStats``. Zero-length traces are kept (detectors
must cope) and counted. ``prior`` is None: the test set holds its own anomaly ratio.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from anomalygen.detectors.base import EventSequence
from anomalygen.detectors.datasets.base import DatasetSplit
from anomalygen.detectors.datasets.syscalls_i386 import I386_SYSCALLS, syscall_name

log = logging.getLogger(__name__)

ARCHIVE = Path("adfa-ld") / "ADFA-LD.zip"
TRAINING, VALIDATION, ATTACK = "Training_Data_Master", "Validation_Data_Master", "Attack_Data_Master"
VALIDATION_SHARE = 0.3
"""Share of Validation_Data_Master used for thresholds; the rest is the normal test set."""


class AdfaFormatError(ValueError):
    """The archive is not ADFA-LD as expected (missing folders, non-numeric trace content)."""


@dataclass(slots=True)
class AdfaStats:
    """What reading the archive found, for the report."""

    traces: dict[str, int] = field(default_factory=dict)
    empty_traces: dict[str, int] = field(default_factory=dict)
    unknown_numbers: dict[int, int] = field(default_factory=dict)
    """Syscall numbers missing from the i386 table -> occurrences (kept as ``sys_<n>``)."""


def read_traces(archive_path: Path, stats: AdfaStats | None = None) -> dict[str, list[list[str]]]:
    """{folder: traces} for the three master folders, members in sorted name order."""
    stats = stats if stats is not None else AdfaStats()
    if not archive_path.is_file():
        raise FileNotFoundError(f"ADFA-LD archive not found: {archive_path} (pass --data-dir DATASETS)")
    out: dict[str, list[list[str]]] = {TRAINING: [], VALIDATION: [], ATTACK: []}
    with zipfile.ZipFile(archive_path) as archive:
        members = sorted(n for n in archive.namelist() if n.endswith(".txt"))
        for name in members:
            folder = next((f for f in out if f"/{f}/" in f"/{name}"), None)
            if folder is None:
                continue  # the syscall list and other notes
            out[folder].append(_decode(archive.read(name), name, stats))
    for folder, traces in out.items():
        if not traces:
            raise AdfaFormatError(f"{archive_path}: no traces under {folder}/")
        stats.traces[folder] = len(traces)
        stats.empty_traces[folder] = sum(1 for t in traces if not t)
    if stats.unknown_numbers:
        log.warning("ADFA-LD: %d syscall numbers not in the i386 table kept as sys_<n>: %s",
                    len(stats.unknown_numbers), sorted(stats.unknown_numbers))
    return out


def _decode(raw: bytes, member: str, stats: AdfaStats) -> list[str]:
    try:
        numbers = [int(token) for token in raw.split()]
    except ValueError as exc:
        raise AdfaFormatError(f"{member}: not a list of syscall numbers ({exc})") from None
    for n in numbers:
        if n not in I386_SYSCALLS:
            stats.unknown_numbers[n] = stats.unknown_numbers.get(n, 0) + 1
    return [syscall_name(n) for n in numbers]


def load(data_dir: Path, seed: int = 0) -> DatasetSplit:
    stats = AdfaStats()
    traces = read_traces(data_dir / ARCHIVE, stats)
    validation = traces[VALIDATION]
    order = np.random.default_rng(seed).permutation(len(validation))
    n_threshold = max(1, round(len(validation) * VALIDATION_SHARE))
    train: list[EventSequence] = list(traces[TRAINING])
    empty = sum(stats.empty_traces.values())
    if empty:
        log.warning("ADFA-LD: %d zero-length traces kept (%s)", empty, stats.empty_traces)
    return DatasetSplit(
        name="adfa-ld",
        train=train,
        train_labels=[0] * len(train),
        validation_normal=[validation[i] for i in order[:n_threshold]],
        test_normal=[validation[i] for i in order[n_threshold:]],
        test_anomalous=list(traces[ATTACK]),
        prior=None,
        vocabulary={name: f"i386 syscall {number}" for number, name in I386_SYSCALLS.items()},
    )
