"""Nothing written outside --out: links in the folder are refused, a second run is locked out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from anomalygen.command import UsageError
from anomalygen.outdir import OutputDir
from tests.badinput.conftest import run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "blockstore"


def _one_error_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in stderr, stderr
    return errors[0]


def test_a_symlinked_checkpoint_database_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "o", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / ".checkpoints.sqlite").symlink_to(elsewhere / "new.db")
    done = run_cli("run", str(EXAMPLE), "--out", str(out), "--llm", "none", timeout=300)
    assert done.returncode == 2
    assert "symbolic link" in _one_error_line(done.stderr)
    assert not (elsewhere / "new.db").exists()


def test_a_hard_linked_output_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    precious = tmp_path / "precious.png"
    precious.write_bytes(b"keep me")
    os.link(precious, out / "coverage.png")
    done = run_cli("run", str(EXAMPLE), "--out", str(out), "--llm", "none", timeout=300)
    assert done.returncode == 2
    assert "hard links" in _one_error_line(done.stderr)
    assert precious.read_bytes() == b"keep me"


def test_a_second_claim_of_the_same_folder_is_refused(tmp_path: Path) -> None:
    first = OutputDir(tmp_path / "o").claim()
    first.__enter__()
    with pytest.raises(UsageError, match="another run"), OutputDir(tmp_path / "o").claim():
        pass
    first.__exit__(None, None, None)
    with OutputDir(tmp_path / "o").claim():  # released when the first run ends
        pass


def test_a_corrupt_checkpoint_database_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / ".checkpoints.sqlite").write_bytes(b"not a database at all" * 100)
    done = run_cli("run", str(EXAMPLE), "--out", str(out), "--llm", "none", timeout=300)
    assert done.returncode == 2
    assert "checkpoint database" in _one_error_line(done.stderr)


def test_out_under_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    done = run_cli("run", str(EXAMPLE), "--out", str(tmp_path / "file" / "sub"), "--llm", "none", timeout=300)
    assert done.returncode == 2
    _one_error_line(done.stderr)


def test_write_atomic_replaces_a_hard_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    precious = tmp_path / "precious"
    precious.write_bytes(b"keep me")
    os.link(precious, out / "report.md")
    OutputDir(out).write_atomic("report.md", b"new")
    assert precious.read_bytes() == b"keep me" and (out / "report.md").read_bytes() == b"new"
