"""ADFA-LD loader: the real archive, and a small hand-made archive for bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from anomalygen.detectors.datasets.adfa_ld import AdfaFormatError, AdfaStats, load, read_traces
from anomalygen.detectors.datasets.base import load_dataset
from anomalygen.detectors.datasets.syscalls_i386 import syscall_name


def _archive(root: Path, members: dict[str, str]) -> Path:
    path = root / "adfa-ld" / "ADFA-LD.zip"
    path.parent.mkdir(parents=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_i386_table() -> None:
    assert [syscall_name(n) for n in (3, 11, 45, 192, 240, 252, 340)] == [
        "read", "execve", "brk", "mmap2", "futex", "exit_group", "prlimit64"]
    assert syscall_name(222) == "sys_222"  # unassigned on i386
    assert syscall_name(9999) == "sys_9999"


@pytest.mark.datasets
def test_real_archive_split(datasets_dir: Path) -> None:
    split = load_dataset("adfa-ld", datasets_dir, seed=0)
    assert len(split.train) == 833
    assert len(split.validation_normal) + len(split.test_normal) == 4372
    assert len(split.test_anomalous) == 746
    assert split.prior is None
    assert split.train[0][0] in set(syscall_name(n) for n in range(341))
    assert not any(str(s).startswith("sys_") for t in split.train for s in t)


def test_unknown_numbers_and_empty_traces(tmp_path: Path) -> None:
    path = _archive(tmp_path, {
        "ADFA-LD/Training_Data_Master/UTD-1.txt": "11 45 999 3 \n",
        "ADFA-LD/Training_Data_Master/UTD-2.txt": "",
        "ADFA-LD/Validation_Data_Master/UVD-1.txt": "3 4 5 6",
        "ADFA-LD/Validation_Data_Master/UVD-2.txt": "3 4",
        "ADFA-LD/Validation_Data_Master/UVD-3.txt": "6 6",
        "ADFA-LD/Attack_Data_Master/Hydra_FTP_1/UAD-1.txt": "222 11",
        "ADFA-LD/ADFA-LD+Syscall+List.txt": "#define __NR_io_setup 0",
    })
    stats = AdfaStats()
    traces = read_traces(path, stats)
    assert traces["Training_Data_Master"] == [["execve", "brk", "sys_999", "read"], []]
    assert traces["Attack_Data_Master"] == [["sys_222", "execve"]]
    assert stats.unknown_numbers == {999: 1, 222: 1}
    assert stats.empty_traces["Training_Data_Master"] == 1
    split = load(tmp_path, seed=0)
    assert len(split.validation_normal) == 1 and len(split.test_normal) == 2


def test_bad_archives(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load(tmp_path)
    _archive(tmp_path, {"ADFA-LD/Training_Data_Master/UTD-1.txt": "11 open 3"})
    with pytest.raises(AdfaFormatError):
        load(tmp_path)
