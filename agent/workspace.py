"""What the agent's tools may touch: one repository (read), the user's log files (read), one output
folder (write), and the parsed program, cached until the repository changes.

Every path a tool receives comes from untrusted text (the model's arguments, which source code and
log lines can steer), so it is resolved here, symlinks included, and refused unless it lies inside
the repository, is one of the log files the user named, or (for writes) inside the output folder.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anomalygen.tools.java.model import Program


class ToolError(Exception):
    """A tool cannot do what it was asked: the message goes back to the model (and the user)."""


class StepCancelledError(Exception):
    """The user cancelled the running step (Ctrl-C, Esc)."""


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _signature(root: Path) -> tuple[int, int]:
    """(file count, newest mtime in ns) of the repository's .java files: cheap change detection."""
    count, newest = 0, 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [
            d for d in dirs if not d.startswith(".") and d not in ("target", "build", "node_modules")
        ]
        for name in files:
            if name.endswith(".java"):
                count += 1
                try:
                    newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                except OSError:
                    continue
    return count, newest


@dataclass
class Workspace:
    repo: Path
    out: Path
    logs: list[Path] = field(default_factory=list)
    approve_all: bool = False
    """``--yes``: long and file-writing actions run without asking."""
    on_event: Callable[[str, dict[str, Any]], None] | None = None
    """Progress of long jobs (kind, fields), rendered by chat, the TUI or nothing."""
    cancel: threading.Event = field(default_factory=threading.Event)
    llm: dict[str, Any] = field(default_factory=lambda: {"name": "none", "options": {}})
    """The pipeline's LLM (``make_backend`` name and options) for verify_path and run_augmentation."""
    _program: Program | None = None
    _signature: tuple[int, int] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    memory: dict[str, Any] = field(default_factory=dict)
    """Results later tools refer to by id (paths listed by ``paths``, finished runs)."""

    def __post_init__(self) -> None:
        self.repo = self.repo.expanduser().resolve()
        self.out = self.out.expanduser().resolve()
        self.logs = [p.expanduser().resolve() for p in self.logs]

    # -- the program -------------------------------------------------------------------------
    def program(self) -> Program:
        """The parsed repository; parsed again when a .java file was added, removed or changed."""
        with self._lock:
            current = _signature(self.repo)
            if self._program is None or current != self._signature:
                from anomalygen.tools.java import load_program

                self.emit("status", {"message": f"reading the Java source of {self.repo.name} ..."})
                self._program = load_program(self.repo)
                self._signature = current
                self.memory.pop("paths", None)
            return self._program

    def forget_program(self) -> None:
        """Parse the repository again at the next use (``/reindex``)."""
        with self._lock:
            self._program = None
            self.memory.pop("searcher", None)

    def loaded(self) -> bool:
        return self._program is not None

    # -- confinement -------------------------------------------------------------------------
    def repo_file(self, path: str) -> Path:
        """A file inside the repository, symlinks resolved; ``ToolError`` for anything else."""
        candidate = Path(path)
        resolved = (candidate if candidate.is_absolute() else self.repo / candidate).resolve()
        if not resolved.is_relative_to(self.repo):
            raise ToolError(f"{path!r} is outside the repository: tools only read inside {self.repo.name}/")
        if not resolved.is_file():
            raise ToolError(f"no file {path!r} in the repository")
        return resolved

    def log_file(self, name: str | None) -> list[Path]:
        """The log files a tool may read: the user's (all, or the one ``name`` names) or a file in
        the repository. A model cannot widen this to other files on the machine."""
        if not name:
            if not self.logs:
                raise ToolError("no log file was given: start with --logs FILE, or paste the lines")
            return list(self.logs)
        for log in self.logs:
            if name in (str(log), log.name) or Path(name).expanduser().resolve() == log:
                return [log]
        return [self.repo_file(name)]

    def output_dir(self, kind: str, name: str) -> Path:
        """A fresh folder ``OUT/kind/name`` (name sanitised); nothing is written anywhere else."""
        safe = _SAFE_NAME.sub("-", name).strip(".-") or "x"
        target = (self.out / kind / safe).resolve()
        if not target.is_relative_to(self.out):
            raise ToolError(f"refusing to write outside {self.out}")
        target.mkdir(parents=True, exist_ok=True)
        return target

    def scratch_file(self, name: str, text: str) -> Path:
        """Pasted text kept as a file in ``OUT/pasted`` so the log readers can read it."""
        folder = self.output_dir("pasted", "lines")
        target = folder / (_SAFE_NAME.sub("-", name) or "pasted.log")
        target.write_text(text, encoding="utf-8")
        return target

    # -- events and cancellation -------------------------------------------------------------
    def emit(self, kind: str, fields: dict[str, Any]) -> None:
        if self.on_event is not None:
            self.on_event(kind, fields)

    def check_cancelled(self) -> None:
        if self.cancel.is_set():
            raise StepCancelledError("cancelled by the user")

    def names(self) -> Iterable[str]:
        return [p.name for p in self.logs]
