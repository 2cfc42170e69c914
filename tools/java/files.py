"""Finding the ``.java`` files of a repository without leaving it.

The walk uses ``os.scandir`` and follows no symlink: one leading outside the root is never read
(a hostile checkout cannot make us read ``/etc``), one inside it is a loop or a second path to a
file the walk reaches anyway. Build outputs, VCS and vendored folders are skipped by name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from anomalygen.tools.java.scope import DEFAULT_EXCLUDED_NAMES, VENDOR, SourceScope, vendor_package

DEFAULT_EXCLUDES: frozenset[str] = DEFAULT_EXCLUDED_NAMES | {VENDOR}
"""Directory names skipped by default (``SourceScope`` decides ``vendor`` by what it holds)."""


class SourceRootError(ValueError):
    """The repository root cannot be scanned (missing, not a directory, unreadable)."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    relative: str
    """Path relative to the root, with ``/`` separators (the ``file`` of every record)."""
    absolute: Path
    size: int


@dataclass(slots=True)
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(relative path, reason) for everything passed over on purpose."""
    resources: list[SourceFile] = field(default_factory=list)
    """Files with one of the ``resources`` suffixes asked for (message bundles)."""
    warnings: list[str] = field(default_factory=list)
    """Decisions a user should hear about (a ``vendor`` folder kept or skipped)."""


def discover_java_files(
    root: Path,
    *,
    max_file_bytes: int,
    exclude_dirs: Iterable[str] | None = None,
    resources: tuple[str, ...] = (),
    scope: SourceScope | None = None,
) -> Discovery:
    """Every ``.java`` file under ``root`` in ``scope``, sorted by relative path, plus what was
    skipped and why.

    ``exclude_dirs`` (folder names) is the older form: given, it replaces the default names and
    the test-tree and tooling defaults. Files ending with one of ``resources`` (``.properties``)
    are collected in the same walk, under the same rules, into ``Discovery.resources``.
    """
    if scope is None:
        scope = SourceScope() if exclude_dirs is None else SourceScope(
            extra_names=frozenset([exclude_dirs] if isinstance(exclude_dirs, str) else exclude_dirs),
            defaults=False)
    if not root.exists():
        raise SourceRootError(f"{root} does not exist")
    if not root.is_dir():
        raise SourceRootError(f"{root} is not a directory")
    real_root = Path(os.path.realpath(root))
    found = Discovery()
    visited_dirs: set[str] = {str(real_root)}
    seen_files: set[str] = set()
    pending: list[tuple[Path, str, bool]] = [(real_root, "", True)]  # (folder, prefix, in scope)
    while pending:
        directory, prefix, in_scope = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            found.skipped.append((prefix or ".", f"unreadable directory: {exc.strerror}"))
            continue
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = entry.is_file(follow_symlinks=True)
            except OSError:
                found.skipped.append((relative, "unreadable entry"))
                continue
            is_resource = is_file and bool(resources) and entry.name.endswith(resources)
            if not is_dir and not (is_file and entry.name.endswith(".java")) and not is_resource:
                continue
            real = os.path.realpath(entry.path)
            if entry.is_symlink():
                # Outside: never read. Inside: a loop or a second path to something the walk
                # reaches at its real path anyway; following it would only duplicate or spin.
                if _inside(real, str(real_root)):
                    reason = "symlink inside the root (a loop or a second path): walked at its real path"
                else:
                    reason = "symlink pointing outside the root"
                found.skipped.append((relative, reason))
                continue
            if is_dir:
                if real in visited_dirs:
                    found.skipped.append((relative, "symlink loop or directory already visited"))
                    continue
                verdict = _directory_reason(scope, relative, Path(entry.path), found) if in_scope else None
                if verdict is not None and not scope.reaches(relative):
                    found.skipped.append((relative, verdict))
                    continue
                if verdict is not None:
                    found.skipped.append((relative, f"{verdict}; walked for --include only"))
                visited_dirs.add(real)
                pending.append((Path(entry.path), relative + "/", in_scope and verdict is None))
                continue
            if not scope.keeps_file(relative, in_scope=in_scope):
                if not in_scope:
                    continue  # inside a skipped folder, walked only for --include: already reported
                found.skipped.append((relative, "excluded by --exclude"))
                continue
            if real in seen_files:
                found.skipped.append((relative, "duplicate of a file already found (symlink)"))
                continue
            seen_files.add(real)
            size = entry.stat(follow_symlinks=True).st_size
            if size > max_file_bytes:
                found.skipped.append((relative, f"file too large ({size} bytes > {max_file_bytes})"))
                continue
            kept = found.resources if is_resource else found.files
            kept.append(SourceFile(relative, Path(entry.path), size))
    found.files.sort(key=lambda f: f.relative)
    found.resources.sort(key=lambda f: f.relative)
    found.skipped.sort()
    return found


def _directory_reason(scope: SourceScope, relative: str, folder: Path, found: Discovery) -> str | None:
    """``scope``'s verdict on a folder; a ``vendor`` folder is decided by the package it holds."""
    reason = scope.directory_verdict(relative, folder)
    name = relative.rsplit("/", 1)[-1]
    if name != VENDOR or not scope.defaults or name in scope.extra_names or (
            reason is not None and reason != "excluded directory"):
        return reason
    package = vendor_package(folder, relative)
    if package is not None:
        found.warnings.append(f"{relative}/ is scanned: it holds package {package} (leave it out with "
                              f"--exclude '{relative}')")
        return None
    found.warnings.append(f"{relative}/ is skipped as vendored code (scan it with --include '{relative}')")
    return "vendored code (--include brings it back)"


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
