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

DEFAULT_EXCLUDES: frozenset[str] = frozenset(
    {
        ".git", ".hg", ".svn", ".idea", ".gradle", ".mvn", ".cache", ".venv", "__pycache__",
        "target", "build", "out", "node_modules", "bower_components",
        "generated", "generated-sources", "generated-test-sources",
        "vendor", "vendored", "third_party", "thirdparty", "third-party",
    }
)
"""Directory names never descended into (build outputs, VCS data, generated or vendored code)."""


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


def discover_java_files(
    root: Path,
    *,
    max_file_bytes: int,
    exclude_dirs: Iterable[str] = DEFAULT_EXCLUDES,
    resources: tuple[str, ...] = (),
) -> Discovery:
    """Every ``.java`` file under ``root``, sorted by relative path, plus what was skipped and why.

    Files ending with one of ``resources`` (``.properties``) are collected in the same walk,
    under the same rules, into ``Discovery.resources``.
    """
    if not root.exists():
        raise SourceRootError(f"{root} does not exist")
    if not root.is_dir():
        raise SourceRootError(f"{root} is not a directory")
    real_root = Path(os.path.realpath(root))
    excluded = frozenset([exclude_dirs] if isinstance(exclude_dirs, str) else exclude_dirs)
    found = Discovery()
    visited_dirs: set[str] = {str(real_root)}
    seen_files: set[str] = set()
    pending: list[tuple[Path, str]] = [(real_root, "")]
    while pending:
        directory, prefix = pending.pop()
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
                if entry.name in excluded:
                    found.skipped.append((relative, "excluded directory"))
                elif real in visited_dirs:
                    found.skipped.append((relative, "symlink loop or directory already visited"))
                else:
                    visited_dirs.add(real)
                    pending.append((Path(entry.path), relative + "/"))
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


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)
