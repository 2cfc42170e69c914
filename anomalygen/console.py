"""Output conventions for every command: machine output on stdout, humans on stderr.

With ``--json`` a command prints exactly one JSON document on stdout; progress bars, tables
and log messages always go to stderr so they never corrupt it.

Text from source code, logs and LLM answers is untrusted: printed for a human it must not drive
the terminal. ``printable`` turns control characters (escape sequences, bells, newlines inside a
template) into visible escapes and ``plain`` also escapes Rich markup; both consoles below render
no emoji codes, and a render hook escapes any control character that still reaches them. When
stderr is a pipe nothing is wrapped: a message piped into a log file stays one line.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.segment import Segment

# C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a reader sees
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_LAYOUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: object) -> str:
    """``text`` with every control character (newline and tab included) shown as an escape."""
    return _CONTROL.sub(_visible, str(text))


def printable_lines(text: str) -> str:
    """``text`` keeping its own line breaks and tabs, every other control character escaped."""
    return _CONTROL_BUT_LAYOUT.sub(_visible, text)


def plain(text: object) -> str:
    """``printable(text)`` that Rich prints literally: its ``[markup]`` is escaped too."""
    return escape(printable(text))


class _EscapedControls:
    """Renders another renderable with control characters in its text made visible; Rich's own
    control segments (cursor moves of a live display) pass through."""

    def __init__(self, inner: ConsoleRenderable) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control or not _CONTROL_BUT_LAYOUT.search(segment.text):
                yield segment
            else:
                yield Segment(_CONTROL_BUT_LAYOUT.sub(_visible, segment.text), segment.style)


class _ControlEscaper(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_EscapedControls(r) for r in renderables]


def make_console(*, stderr: bool = False, width: int | None = None) -> Console:
    """A console that prints untrusted text inertly, and never wraps when it is not a terminal."""
    console = Console(stderr=stderr, emoji=False, width=width)
    if not console.is_terminal:
        # Rich wraps at 80 columns on a pipe: a long path would split a one-line message.
        console.soft_wrap = True
    console.push_render_hook(_ControlEscaper())
    return console


stderr = make_console(stderr=True)
stdout = make_console()


def error_line(message: str) -> None:
    """The one line a user error gets on stderr: ``error: message``, never wrapped."""
    stderr.print(f"[bold red]error:[/] {plain(message)}", highlight=False, soft_wrap=True)


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
