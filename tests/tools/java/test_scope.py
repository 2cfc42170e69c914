"""SourceScope: default exclusions (tests, build tooling), --include/--exclude globs, vendor folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from anomalygen.cli import main
from anomalygen.tools.java.files import discover_java_files
from anomalygen.tools.java.scope import SourceScope

REPO = Path(__file__).parents[2] / "fixtures" / "generality" / "scoped"


def _files(scope: SourceScope) -> list[str]:
    return [f.relative for f in discover_java_files(REPO, max_file_bytes=100_000, scope=scope).files]


def test_default_scope_leaves_out_tests_and_maven_plugins_but_keeps_a_real_vendor_package() -> None:
    found = discover_java_files(REPO, max_file_bytes=100_000)
    assert [f.relative for f in found.files] == [
        "osgi/src/main/java/org/acme/core/Service.java",
        "server/src/main/java/org/acme/core/Service.java",
        "server/src/main/java/org/acme/vendor/VendorApi.java",
    ]
    assert any("org.acme.vendor" in w and "scanned" in w for w in found.warnings)
    assert any(w.startswith("lib/vendor/ is skipped") for w in found.warnings)
    reasons = dict(found.skipped)
    assert "test tree" in reasons["server/src/test"]
    assert "build tooling" in reasons["installers-maven-plugin"]


def test_include_brings_back_and_exclude_globs_leave_out() -> None:
    files = _files(SourceScope.from_flags(["**/src/test/**"], ["osgi/**"]))
    assert files == ["server/src/main/java/org/acme/core/Service.java",
                     "server/src/main/java/org/acme/vendor/VendorApi.java",
                     "server/src/test/java/org/acme/ServiceTest.java"]
    assert "lib/vendor/com/other/Copied.java" in _files(SourceScope.from_flags(["lib/vendor"]))
    assert _files(SourceScope.from_flags([], ["**/*Api.java", "osgi"])) == [
        "server/src/main/java/org/acme/core/Service.java"]


def test_scan_prints_each_warning_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(REPO), "--include", "**/src/test/**"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning:" in line]
    assert any("type org.acme.core.Service is declared in" in w and w.rstrip().endswith("Service#2")
               for w in warnings)
    assert any("org.acme.vendor" in w for w in warnings)
