from __future__ import annotations

import os
from pathlib import Path

import pytest

from anomalygen.tools.java import NoJavaSourceError, SourceRootError, load_program
from anomalygen.tools.java.files import discover_java_files

from .conftest import write_java

SIMPLE = "package p;\nclass A { void m() { } }\n"


def test_finds_java_files_sorted_and_skips_build_and_vcs(tmp_path: Path) -> None:
    write_java(tmp_path, "src/b/B.java", SIMPLE)
    write_java(tmp_path, "src/a/A.java", SIMPLE)
    write_java(tmp_path, "target/gen/G.java", SIMPLE)
    write_java(tmp_path, ".git/x/X.java", SIMPLE)
    write_java(tmp_path, "src/generated/Gen.java", SIMPLE)
    (tmp_path / "README.md").write_text("not java")
    found = discover_java_files(tmp_path, max_file_bytes=10_000)
    assert [f.relative for f in found.files] == ["src/a/A.java", "src/b/B.java"]
    assert {p for p, _ in found.skipped} == {".git", "target", "src/generated"}


def test_custom_excludes_replace_the_defaults(tmp_path: Path) -> None:
    write_java(tmp_path, "target/T.java", SIMPLE)
    write_java(tmp_path, "legacy/L.java", SIMPLE)
    found = discover_java_files(tmp_path, max_file_bytes=10_000, exclude_dirs={"legacy"})
    assert [f.relative for f in found.files] == ["target/T.java"]
    one_name = discover_java_files(tmp_path, max_file_bytes=10_000, exclude_dirs="legacy")
    assert [f.relative for f in one_name.files] == ["target/T.java"]


def test_oversized_file_is_skipped_and_reported(tmp_path: Path) -> None:
    write_java(tmp_path, "Small.java", SIMPLE)
    write_java(tmp_path, "Huge.java", SIMPLE + "// padding\n" * 500)
    program = load_program(tmp_path, max_file_bytes=1_000)
    assert program.files == ["Small.java"]
    assert any(path == "Huge.java" and "too large" in reason for path, reason in program.skipped)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_loop_and_symlink_outside_root_are_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    outside = tmp_path / "outside"
    write_java(root, "src/A.java", SIMPLE)
    write_java(outside, "Secret.java", "package s;\nclass Secret { }\n")
    os.symlink(root / "src", root / "src" / "loop")  # src/loop -> src
    os.symlink(outside, root / "escape")  # escape -> ../outside
    os.symlink(outside / "Secret.java", root / "src" / "Linked.java")
    os.symlink(root / "src" / "A.java", root / "Alias.java")  # a second path to A.java
    found = discover_java_files(root, max_file_bytes=10_000)
    assert [f.relative for f in found.files] == ["src/A.java"]
    reasons = dict(found.skipped)
    assert "loop" in reasons["src/loop"] and "real path" in reasons["Alias.java"]
    assert "outside" in reasons["escape"]
    assert "outside" in reasons["src/Linked.java"]
    assert load_program(root).files == ["src/A.java"]


def test_root_that_is_not_a_directory(tmp_path: Path) -> None:
    file = write_java(tmp_path, "A.java", SIMPLE)
    with pytest.raises(SourceRootError, match="not a directory"):
        load_program(file)
    with pytest.raises(SourceRootError, match="does not exist"):
        load_program(tmp_path / "missing")


def test_empty_repository_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    with pytest.raises(NoJavaSourceError, match=r"no \.java files"):
        load_program(tmp_path)


def test_repository_without_log_statements_warns(tmp_path: Path) -> None:
    write_java(tmp_path, "A.java", SIMPLE)
    program = load_program(tmp_path)
    assert program.log_statements == {}
    assert program.warnings and "no log statements" in program.warnings[0]
