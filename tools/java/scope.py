"""Which parts of a repository are the product: include/exclude globs over default exclusions.

A Debian source or a Maven checkout holds more than the server that writes the log: test trees,
Maven plugins, installers and service-wrapper modules declare log statements no deployment
prints, and their copies of a class compete with the real one when a log line is matched. The
default scope leaves them out; ``--include GLOB`` brings any of it back and ``--exclude GLOB``
removes more. Globs match paths relative to the repository root with ``/`` separators; ``**``
spans folders (``**/src/test/**``, ``modules/osgi-*/**``).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_EXCLUDED_NAMES: frozenset[str] = frozenset(
    {
        ".git", ".hg", ".svn", ".idea", ".gradle", ".mvn", ".cache", ".venv", "__pycache__",
        "target", "build", "out", "node_modules", "bower_components",
        "generated", "generated-sources", "generated-test-sources",
        "vendored", "third_party", "thirdparty", "third-party",
    }
)
"""Folder names never descended into by default (build outputs, VCS data, generated or vendored code).
``vendor`` is not among them: see ``VENDOR``."""

VENDOR = "vendor"
"""A folder name that usually holds copied third-party code but is also a real package name
(``org.acme.vendor``): it is kept when its .java files declare a package ending in it, and
skipped otherwise, with a warning either way."""

TEST_TREES: tuple[str, ...] = ("**/src/test", "**/src/it", "**/src/testFixtures", "**/src/integration-test",
                               "/test", "/tests")
"""Test code: it logs, but no deployment runs it. Maven/Gradle test source sets, and a top-level
``test``/``tests`` folder (Tomcat, Ant layouts); not every folder named ``test``, since
``org/springframework/test`` is a shipped package."""

TOOLING_MODULES = re.compile(r"(^|[-_.])(maven-plugin|plugin-maven|installers?|wrapper|service-wrapper)$|"
                             r"^(installers?|wrapper)([-_.]|$)", re.IGNORECASE)
"""Module folder names of build tooling: Maven plugins, installers, service wrappers (a folder is a
module when it holds a ``pom.xml``, ``build.gradle`` or ``build.xml``)."""
_MODULE_FILES = ("pom.xml", "build.gradle", "build.gradle.kts", "build.xml")
_MAVEN_PLUGIN = re.compile(rb"<packaging>\s*maven-plugin\s*</packaging>")
_PACKAGE = re.compile(rb"^\s*package\s+([\w.]+)\s*;", re.MULTILINE)


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A relative-path glob as a regex: ``**`` spans folders, ``*`` and ``?`` stay in one; a glob
    without ``/`` matches a name at any depth (a leading ``/`` anchors it at the root), and a
    folder's glob matches everything under it."""
    anchored = pattern.strip().startswith("/")
    glob = pattern.strip().strip("/")
    if "/" not in glob and not anchored and not glob.startswith("**"):
        glob = "**/" + glob
    out, position = [], 0
    while position < len(glob):
        if glob.startswith("**/", position):
            out.append("(?:.*/)?")
            position += 3
        elif glob.startswith("**", position):
            out.append(".*")
            position += 2
        elif glob[position] == "*":
            out.append("[^/]*")
            position += 1
        elif glob[position] == "?":
            out.append("[^/]")
            position += 1
        else:
            out.append(re.escape(glob[position]))
            position += 1
    return re.compile("".join(out) + "(?:/.*)?")


def _matches(globs: Iterable[str], relative: str) -> str | None:
    for glob in globs:
        if glob_regex(glob).fullmatch(relative):
            return glob
    return None


@dataclass(frozen=True, slots=True)
class SourceScope:
    """What of a repository to scan. ``run`` and the CLI commands build one from their flags."""

    include: tuple[str, ...] = ()
    """Globs brought back in even when a default or ``exclude`` leaves them out; with
    ``only_included``, the only files scanned."""
    exclude: tuple[str, ...] = ()
    """Globs of paths left out on top of the defaults."""
    defaults: bool = True
    """Leave out build outputs, test trees and build-tooling modules (``--no-default-excludes``)."""
    only_included: bool = False
    """Scan nothing but what ``include`` names."""
    extra_names: frozenset[str] = field(default_factory=frozenset)
    """Folder names skipped wherever they are (the older ``scan --exclude DIR`` form)."""

    @classmethod
    def from_flags(cls, include: Sequence[str] = (), exclude: Sequence[str] = (), *,
                   defaults: bool = True) -> SourceScope:
        """The scope of ``--include``/``--exclude`` flags. An exclude without ``/`` or wildcard
        is a folder name (``--exclude examples``), as scan's flag always meant."""
        names = frozenset(e for e in exclude if not any(c in e for c in "/*?"))
        globs = tuple(e for e in exclude if e not in names)
        return cls(tuple(include), globs, defaults, False, names)

    def directory_verdict(self, relative: str, absolute: Path) -> str | None:
        """Why the folder at ``relative`` is left out, or None to scan it. A left-out folder is
        still walked for the files ``include`` names when ``reaches`` says it may hold some."""
        name = relative.rsplit("/", 1)[-1]
        if _matches(self.include, relative):
            return None
        if self.only_included:
            return "not under an --include glob"
        if name in self.extra_names:
            return "excluded directory"
        glob = _matches(self.exclude, relative)
        if glob is not None:
            return f"excluded by --exclude {glob}"
        if not self.defaults:
            return None
        if name in DEFAULT_EXCLUDED_NAMES:
            return "excluded directory"
        glob = _matches(TEST_TREES, relative)
        if glob is not None:
            return f"test tree (default exclude {glob}; --include brings it back)"
        if _is_tooling_module(name, absolute):
            return "build tooling module (Maven plugin, installer or service wrapper; --include brings it)"
        return None

    def reaches(self, relative: str) -> bool:
        """Whether an ``include`` glob may name something inside the folder ``relative``."""
        return any(_could_hold(glob, relative) for glob in self.include)

    def keeps_file(self, relative: str, *, in_scope: bool) -> bool:
        """Whether a file is scanned; ``in_scope`` is False inside a left-out folder."""
        if _matches(self.include, relative):
            return True
        return in_scope and _matches(self.exclude, relative) is None


def _could_hold(glob: str, relative: str) -> bool:
    """Whether the folder ``relative`` may contain a path ``glob`` matches (so it is walked)."""
    pattern = glob.strip().strip("/")
    if "/" not in pattern or pattern.startswith("*"):
        return True  # a name at any depth, or a leading wildcard: anywhere
    literal = pattern.split("*", 1)[0].split("?", 1)[0]
    literal = literal.rsplit("/", 1)[0] if "/" in literal else ""
    return not literal or literal.startswith(relative + "/") or relative.startswith(literal)


def _is_tooling_module(name: str, folder: Path) -> bool:
    files = [folder / f for f in _MODULE_FILES if (folder / f).is_file()]
    if not files:
        return False
    if TOOLING_MODULES.search(name):
        return True
    pom = folder / "pom.xml"
    try:
        small = pom in files and pom.stat().st_size < 1_000_000
        return small and bool(_MAVEN_PLUGIN.search(pom.read_bytes()))
    except OSError:
        return False


def vendor_package(folder: Path, relative: str, limit: int = 50) -> str | None:
    """The Java package a ``vendor`` folder is part of (``org.acme.vendor``), or None when its
    .java files (the first ``limit``, none through a symlink) declare no package ending in it."""
    seen = 0
    for path in sorted(folder.rglob("*.java")):
        if seen >= limit:
            break
        if path.is_symlink():
            continue
        seen += 1
        try:
            head = path.read_bytes()[:20_000]
        except OSError:
            continue
        match = _PACKAGE.search(head)
        if match is None:
            continue
        package = match.group(1).decode("ascii", "replace")
        parts = package.split(".")
        if VENDOR in parts:
            return ".".join(parts[: parts.index(VENDOR) + 1])
    return None


def add_scope_arguments(parser: argparse.ArgumentParser) -> None:
    """``--include GLOB``, ``--exclude GLOB`` and ``--no-default-excludes``, the same on every command."""
    parser.add_argument("--include", action="append", default=[], metavar="GLOB",
                        help="scan these paths even where a default leaves them out (repeatable; "
                             "'**/src/test/**', 'modules/osgi-*')")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="leave these paths out of the scan (repeatable; a bare name is a folder "
                             "name at any depth)")
    parser.add_argument("--no-default-excludes", action="store_true",
                        help="scan build/, target/, test trees and build tooling modules as well")


def scope_from_args(args: argparse.Namespace) -> SourceScope:
    """The ``SourceScope`` of the flags ``add_scope_arguments`` declared."""
    return SourceScope.from_flags(args.include, args.exclude, defaults=not args.no_default_excludes)
