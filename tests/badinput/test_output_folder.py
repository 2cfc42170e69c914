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


def test_a_symlinked_sessions_jsonl_in_out_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "o", tmp_path / "elsewhere.jsonl"
    out.mkdir()
    elsewhere.write_text("keep me")
    (out / "sessions.jsonl").symlink_to(elsewhere)
    done = run_cli("run", str(EXAMPLE), "--out", str(out), "--llm", "none", timeout=300)
    assert done.returncode == 2
    assert "symbolic link" in _one_error_line(done.stderr)
    assert elsewhere.read_text() == "keep me"


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder no file can be created in, even by root (who writes through permission bits)."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    sysfs = Path("/sys/kernel")  # sysfs refuses new files to everyone
    if not sysfs.is_dir() or _can_create(sysfs):
        pytest.skip("no read-only folder to test with as root")
    return sysfs


def _can_create(folder: Path) -> bool:
    try:
        (folder / "anomalygen-probe").touch()
    except OSError:
        return False
    (folder / "anomalygen-probe").unlink()
    return True


LOG = EXAMPLE / "logs" / "blockstore.log"


@pytest.mark.parametrize("command", ["run", "run-sub", "sessions", "coverage", "evaluate"])
def test_a_read_only_out_is_one_line(tmp_path: Path, command: str) -> None:
    folder = _read_only_folder(tmp_path)
    args = {
        "run": ["run", str(EXAMPLE), "--out", str(folder), "--llm", "none"],
        "run-sub": ["run", str(EXAMPLE), "--out", str(folder / "sub"), "--llm", "none"],
        "sessions": ["sessions", str(EXAMPLE), str(LOG), "--by", "blk", "--out", str(folder / "s")],
        "coverage": ["coverage", str(EXAMPLE), str(LOG), "--report", str(folder / "r")],
        "evaluate": ["evaluate", "--dataset", "deeplog-hdfs", "--models", "pca", "--test-limit", "50",
                     "--out", str(folder / "e")],
    }[command]
    done = run_cli(*args, timeout=300)
    assert done.returncode == 2, done.stderr
    _one_error_line(done.stderr)


def test_sessions_replace_a_link_in_out_instead_of_writing_through_it(tmp_path: Path) -> None:
    out = tmp_path / "s"
    out.mkdir()
    elsewhere, precious = tmp_path / "elsewhere.jsonl", tmp_path / "precious.keys"
    elsewhere.write_text("keep me")
    precious.write_text("keep me too")
    (out / "sessions.jsonl").symlink_to(elsewhere)
    os.link(precious, out / "normal.keys")
    done = run_cli("sessions", str(EXAMPLE), str(LOG), "--by", "blk", "--out", str(out), timeout=300)
    assert done.returncode == 0, done.stderr
    assert elsewhere.read_text() == "keep me" and precious.read_text() == "keep me too"
    assert not (out / "sessions.jsonl").is_symlink() and (out / "sessions.jsonl").stat().st_size > 0
    assert sorted(p.name for p in out.iterdir()) == [
        "abnormal.keys", "normal.keys", "sessions.jsonl", "unlabeled.keys", "vocabulary.json"]


def test_a_coverage_report_replaces_a_hard_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    report = tmp_path / "r"
    report.mkdir()
    precious_png, precious_md = tmp_path / "precious.png", tmp_path / "precious.md"
    precious_png.write_bytes(b"keep me")
    precious_md.write_bytes(b"keep me too")
    os.link(precious_png, report / "coverage.png")
    (report / "coverage.md").symlink_to(precious_md)
    done = run_cli("coverage", str(EXAMPLE), str(LOG), "--report", str(report), timeout=300)
    assert done.returncode == 0, done.stderr
    assert precious_png.read_bytes() == b"keep me" and precious_md.read_bytes() == b"keep me too"
    assert (report / "coverage.png").read_bytes().startswith(b"\x89PNG")
    assert sorted(p.name for p in report.iterdir()) == ["coverage.md", "coverage.png"]  # no temp file left
