"""An output folder that one run owns: locked, and never written through a link.

Everything a command writes must land inside ``--out``. A symbolic link left in the folder
(``OUT/.checkpoints.sqlite -> /elsewhere``) or a file with other hard links (``OUT/coverage.png``
sharing an inode with a file elsewhere) would let a write reach outside it, so ``claim`` refuses
to start while one is there, and ``write_atomic`` creates a new inode and renames it into place.
Two runs into one folder would interleave their files: ``claim`` holds an exclusive ``flock`` on
``OUT/.lock`` for the whole run, and a second run exits with one line.
"""

from __future__ import annotations

import fcntl
import io
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from anomalygen.command import UsageError

LOCK_NAME = ".lock"
MAX_ENTRIES = 100_000
"""Entries inspected for links before giving up (an output folder holds a few hundred)."""


class OutputDir:
    """``claim()`` the folder for a run; ``write_atomic`` files into it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @contextmanager
    def claim(self) -> Iterator[OutputDir]:
        if self.path.is_symlink():
            raise UsageError(f"--out {self.path} is a symbolic link: give the folder itself")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise UsageError(f"--out {self.path} exists and is not a folder") from None
        except OSError as exc:
            raise UsageError(f"cannot create --out {self.path}: {exc.strerror or exc}") from exc
        try:
            fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise UsageError(f"cannot lock {self.path / LOCK_NAME}: {exc.strerror or exc}") from exc
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UsageError(f"another run is writing into {self.path} (it holds "
                                 f"{self.path / LOCK_NAME}): wait for it or choose another --out") from None
            self.refuse_links()
            yield self
        finally:
            os.close(fd)  # closing releases the lock

    def refuse_links(self) -> None:
        """``UsageError`` when a symbolic link or a multiply linked file sits in the folder."""
        for count, (directory, dirs, files) in enumerate(os.walk(self.path, followlinks=False)):
            if count > MAX_ENTRIES:
                return
            for name in [*dirs, *files]:
                entry = Path(directory) / name
                info = entry.lstat()
                if stat.S_ISLNK(info.st_mode):
                    raise UsageError(f"refusing to write into {self.path}: {entry} is a symbolic link")
                if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
                    raise UsageError(f"refusing to write into {self.path}: {entry} has other hard links "
                                     "(writing would change them too)")

    def write_atomic(self, name: str, data: bytes) -> Path:
        """``data`` in ``OUT/name`` as a new inode, renamed over whatever was there."""
        target = self.path / name
        if target.resolve().parent != self.path.resolve() / Path(name).parent:
            raise UsageError(f"refusing to write {target}: outside {self.path}")
        with atomic_file(target) as handle:
            handle.write(data)
        return target


@contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A new file written under a temporary name beside ``target`` and renamed over it on success.

    A crash or an error leaves ``target`` as it was (never half written) and removes the temporary
    file; the rename replaces a link at ``target`` itself, never what it points to.
    """
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_text(target: Path) -> Iterator[TextIO]:
    """``atomic_file`` for UTF-8 text, line endings written as given (``csv`` wants that)."""
    with atomic_file(target) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        yield text
