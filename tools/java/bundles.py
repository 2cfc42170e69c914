"""Message bundles: the ``.properties`` files whose entries many projects log instead of literals.

Tomcat writes ``log.warn(sm.getString("standardContext.startFailed", getName()))``: the text a
runtime line shows lives in ``LocalStrings.properties`` next to the class, as a MessageFormat
pattern. ``MessageBundles`` indexes every default-locale bundle of a repository (locale variants
such as ``LocalStrings_fr.properties`` are skipped: the default is what a test deployment prints
unless configured otherwise) so the template builder can turn such a call into
``Failed to start context [{}]`` instead of an opaque ``{}``.

Files come from the same walk as the Java sources (no symlink followed, nothing outside the
repository read); a file that cannot be decoded or parsed contributes what it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

_LOCALE_SUFFIX = re.compile(r"_[a-z]{2,3}(_[A-Z]{2})?(_\w+)?$")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}
_KEY_END = frozenset("=: \t\f")


@dataclass(slots=True)
class MessageBundles:
    by_package: dict[str, dict[str, str]] = field(default_factory=dict)
    """Package path (``org/apache/catalina/core``) -> key -> pattern, merged over its bundles."""
    by_key: dict[str, set[str]] = field(default_factory=dict)
    """Key -> the distinct patterns it has anywhere (a key is unambiguous when there is one)."""
    files: int = 0
    _by_suffix: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    """Package path -> the bundles of folders ending with it (filled by ``lookup``)."""

    def add_file(self, relative: str, data: bytes) -> None:
        path = PurePosixPath(relative)
        if path.suffix != ".properties" or _LOCALE_SUFFIX.search(path.stem):
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")  # the pre-Java-9 bundle encoding; never fails
        entries = parse_properties(text)
        if not entries:
            return
        self.files += 1
        self._by_suffix.clear()  # a new folder may end with a package already looked up
        package = self.by_package.setdefault(str(path.parent), {})
        for key, value in entries.items():
            package.setdefault(key, value)
            self.by_key.setdefault(key, set()).add(value)

    def lookup(self, key: str, package: str, *, anywhere: bool) -> str | None:
        """The pattern of ``key`` as seen from Java package ``package`` (``a.b.c``).

        A bundle in a folder ending with the package path wins (``java/a/b/c/`` for Tomcat,
        ``src/main/resources/a/b/c/`` for Maven layouts); with ``anywhere``, a key with one
        pattern across the whole repository is accepted too (a manager for another package).
        """
        suffix = package.replace(".", "/")
        bundles = self._by_suffix.get(suffix)
        if bundles is None:  # once per package, not once per call: Tomcat looks up ~3,000 keys
            bundles = [entries for folder, entries in self.by_package.items()
                       if folder == suffix or folder.endswith("/" + suffix)]
            self._by_suffix[suffix] = bundles
        for entries in bundles:
            if key in entries:
                return entries[key]
        if anywhere:
            patterns = self.by_key.get(key)
            if patterns is not None and len(patterns) == 1:
                return next(iter(patterns))
        return None


def parse_properties(text: str) -> dict[str, str]:
    """``java.util.Properties.load`` for the forms bundles use: ``key=value``, ``key: value``,
    ``key value``, ``#``/``!`` comments, backslash line continuations and escapes."""
    entries: dict[str, str] = {}
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        logical = lines[index].lstrip()
        index += 1
        if not logical or logical[0] in "#!":
            continue
        while _continues(logical) and index < len(lines):
            logical = logical[:-1] + lines[index].lstrip()
            index += 1
        if _continues(logical):
            logical = logical[:-1]
        key, value = _split_entry(logical)
        entries[key] = value
    return entries


def _continues(line: str) -> bool:
    """An odd number of trailing backslashes joins the next line."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _split_entry(line: str) -> tuple[str, str]:
    position = 0
    while position < len(line) and line[position] not in _KEY_END:
        position += 2 if line[position] == "\\" else 1
    key = line[:position]
    rest = line[position:].lstrip(" \t\f")
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(" \t\f")
    return _unescape(key), _unescape(rest)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    out: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char != "\\" or position + 1 == len(text):
            out.append(char)
            position += 1
            continue
        code = text[position + 1]
        if code == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", text[position + 2 : position + 6]):
            out.append(chr(int(text[position + 2 : position + 6], 16)))
            position += 6
            continue
        out.append(_ESCAPES.get(code, code))
        position += 2
    return "".join(out)
