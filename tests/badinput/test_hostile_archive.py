"""A hostile ADFA-LD archive: corrupt, truncated, zip-slip names, a zip bomb. One line, exit 2, and
nothing written anywhere but --out."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.badinput.conftest import run_cli

GOOD = {
    "ADFA-LD/Training_Data_Master/UTD-1.txt": "11 45 3 " * 200,
    "ADFA-LD/Validation_Data_Master/UVD-1.txt": "3 4 5 6",
    "ADFA-LD/Validation_Data_Master/UVD-2.txt": "3 4",
    "ADFA-LD/Attack_Data_Master/Hydra_FTP_1/UAD-1.txt": "222 11",
}


def _zip(path: Path, members: dict[str, str | bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _not_a_zip(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)


def _truncated(path: Path) -> None:
    _zip(path, dict(GOOD))
    path.write_bytes(path.read_bytes()[:300])


def _corrupt_deflate(path: Path) -> None:
    _zip(path, dict(GOOD))
    data = bytearray(path.read_bytes())
    start = data.index(b"UTD-1.txt") + len("UTD-1.txt")  # the member's compressed bytes follow its name
    for i in range(start + 4, start + 40):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _zip_slip(path: Path) -> None:
    _zip(path, {**GOOD, "../../escaped/Training_Data_Master/evil.txt": "11 3"})


def _absolute_name(path: Path) -> None:
    _zip(path, {**GOOD, "/tmp/Training_Data_Master/evil.txt": "11 3"})


def _zip_bomb(path: Path) -> None:
    _zip(path, {**GOOD, "ADFA-LD/Training_Data_Master/UTD-2.txt": b"3 " * (8 * 1024 * 1024)})


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "not-a-zip": (_not_a_zip, "not a readable ADFA-LD zip"),
    "truncated": (_truncated, "not a readable ADFA-LD zip"),
    "corrupt-deflate": (_corrupt_deflate, "not a readable ADFA-LD zip"),
    "zip-slip": (_zip_slip, "outside the archive"),
    "absolute-name": (_absolute_name, "outside the archive"),
    "zip-bomb": (_zip_bomb, "more than any trace"),
}


def _files(root: Path) -> set[Path]:
    return set(root.rglob("*"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_adfa_archive_is_one_line_and_writes_only_into_out(tmp_path: Path, case: str) -> None:
    build, expected = CASES[case]
    data = tmp_path / "data"
    (data / "adfa-ld").mkdir(parents=True)
    build(data / "adfa-ld" / "ADFA-LD.zip")
    before = _files(tmp_path)
    out = tmp_path / "out"
    done = run_cli("evaluate", "--dataset", "adfa-ld", "--data-dir", str(data), "--models", "pca",
                   "--out", str(out), cwd=tmp_path, timeout=300)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and expected in lines[0], done.stderr
    written = {p for p in _files(tmp_path) - before if p != out and out not in p.parents}
    assert written == set()
    assert not (tmp_path.parent / "escaped").exists()


def test_a_good_archive_of_the_same_shape_still_loads(tmp_path: Path) -> None:
    from anomalygen.detectors.datasets.adfa_ld import read_traces

    path = tmp_path / "ADFA-LD.zip"
    _zip(path, dict(GOOD))
    traces = read_traces(path)
    folders = ("Training_Data_Master", "Validation_Data_Master", "Attack_Data_Master")
    assert [len(traces[f]) for f in folders] == [1, 2, 1]
