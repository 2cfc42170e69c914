"""Open files named by users or found in repositories without blocking on what is not a file.

A FIFO never reaches end of file and blocks on open until a writer comes; ``/dev/zero`` never
ends. Both hang a command that reads them, so only regular files are read: the file is opened
non-blocking and checked with ``fstat`` on the open descriptor (no race with a swapped path).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotRegularFileError(OSError):
    """The path names a FIFO, a device, a socket or a directory: it is not read."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: str | Path, *, follow_symlinks: bool = True) -> BinaryIO:
    """``path`` opened for binary reading; ``NotRegularFileError`` unless it is a regular file."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= os.O_NOFOLLOW
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(0, f"{_kind(mode)}, not a regular file", str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int, *, follow_symlinks: bool = True) -> bytes | None:
    """The first ``limit`` bytes of a regular file, or None when it is larger than ``limit``."""
    with open_regular(path, follow_symlinks=follow_symlinks) as handle:
        data = handle.read(limit + 1)
    return None if len(data) > limit else data
