"""Output conventions for every command: machine output on stdout, humans on stderr.

With ``--json`` a command prints exactly one JSON document on stdout; progress bars, tables
and log messages always go to stderr so they never corrupt it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

stderr = Console(stderr=True)
stdout = Console()


def emit_json(data: Any) -> None:
    """Print one JSON document on stdout (dataclass-free: callers pass plain data)."""
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


@contextmanager
def progress(quiet: bool = False) -> Iterator[Progress]:
    """A Rich progress display on stderr; disabled when quiet or stderr is not a terminal."""
    bar = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        disable=quiet or not stderr.is_terminal,
        transient=True,
    )
    with bar:
        yield bar
