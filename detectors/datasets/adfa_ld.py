"""ADFA-LD system-call traces (``data_dir/adfa-ld/ADFA-LD.zip``), read straight from the archive.

Protocol (as in Kim et al., arXiv 1611.01726, and arXiv 2309.02206): train on the 833 traces of
``Training_Data_Master``; the 4,372 normal traces of ``Validation_Data_Master`` are shuffled with
the seed and split, ``VALIDATION_SHARE`` of them to place thresholds (``validation_normal``) and
the rest to ``test_normal``; the 746 traces under ``Attack_Data_Master`` (6 attack types, 60
folders) are ``test_anomalous``. No extraction: members are read with ``zipfile`` in memory, so
no member name can place a file anywhere; a name that would escape the archive's root (``../``, an
absolute path) is still refused as a sign of a crafted archive. The archive is untrusted input: a
corrupt or truncated one, or a member larger than any real trace (a zip bomb), is an
``AdfaFormatError`` (one line, exit 2 in ``evaluate``), never a traceback or a memory blow-up.

Each trace is a list of i386 system-call *names* (``syscalls_i386``); a number the table lacks
stays as ``sys_<n>`` and is counted in ``AdfaStats``. Zero-length traces are kept (detectors
must cope) and counted. ``prior`` is None: the test set holds its own anomaly ratio.
"""

from __future__ import annotations

import logging
import zipfile
import zlib
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
MAX_MEMBER = 4 * 1024 * 1024
"""Bytes one trace may hold uncompressed (the real archive's largest is 27 KB)."""
MAX_TOTAL = 256 * 1024 * 1024
"""Bytes all traces may hold uncompressed (the real archive holds 8.8 MB)."""


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
    try:
        with zipfile.ZipFile(archive_path) as archive:
            members = sorted((i for i in archive.infolist() if i.filename.endswith(".txt")),
                             key=lambda i: i.filename)
            _check_members(archive_path, members)
            for info in members:
                folder = next((f for f in out if f"/{f}/" in f"/{info.filename}"), None)
                if folder is None:
                    continue  # the syscall list and other notes
                out[folder].append(_decode(archive.read(info), info.filename, stats))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # BadZipFile: not a zip, a truncated one or a CRC mismatch; zlib.error: corrupt deflate data;
        # NotImplementedError: an unknown compression method; RuntimeError: an encrypted member
        raise AdfaFormatError(f"{archive_path}: not a readable ADFA-LD zip ({type(exc).__name__}: "
                              f"{_first_line(exc)})") from None
    except OSError as exc:
        raise AdfaFormatError(f"cannot read {archive_path}: {exc.strerror or exc}") from None
    for folder, traces in out.items():
        if not traces:
            raise AdfaFormatError(f"{archive_path}: no traces under {folder}/")
        stats.traces[folder] = len(traces)
        stats.empty_traces[folder] = sum(1 for t in traces if not t)
    if stats.unknown_numbers:
        log.warning("ADFA-LD: %d syscall numbers not in the i386 table kept as sys_<n>: %s",
                    len(stats.unknown_numbers), sorted(stats.unknown_numbers))
    return out


def _check_members(archive_path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse names that escape the archive's root and sizes no real trace has, before reading any."""
    total = 0
    for info in members:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
            raise AdfaFormatError(f"{archive_path}: member {name[:200]!r} names a path outside the archive")
        if info.file_size > MAX_MEMBER:
            raise AdfaFormatError(f"{archive_path}: member {name[:200]!r} holds {info.file_size} bytes, "
                                  f"more than any trace ({MAX_MEMBER})")
        total += info.file_size
        if total > MAX_TOTAL:
            raise AdfaFormatError(f"{archive_path}: the traces hold more than {MAX_TOTAL} bytes uncompressed")


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else "no detail"


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
