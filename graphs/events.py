"""Progress events of long graph runs: what the CLI, the chat and the TUI each render their own way.

A runner never prints. It calls ``on_event(RunEvent)`` as a run starts, as each stage starts and
finishes (with its counts and seconds), when a stage has something to warn about, and as the run
finishes. Events are plain frozen records, safe to pass to another thread (a TUI worker).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

EventKind = Literal["run-started", "stage-started", "stage-finished", "warning", "run-finished"]


@dataclass(frozen=True, slots=True)
class RunEvent:
    kind: EventKind
    run_id: str
    stage: str = ""
    """The stage the event is about; empty for run-level events."""
    message: str = ""
    """A short human sentence (warnings, the run's outcome); untrusted text is not escaped here."""
    counts: dict[str, int] = field(default_factory=dict)
    """What the stage produced (paths, sessions, lines...), for progress displays."""
    seconds: float | None = None
    """Wall time of a finished stage."""


EventSink = Callable[[RunEvent], None]


def ignore(event: RunEvent) -> None:
    """The sink of a run nobody watches."""
