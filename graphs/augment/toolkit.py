"""What the augment graph's nodes need besides their state: the program, the LLM, and the run's events.

The toolkit holds what must not live in the checkpointed state: the parsed ``Program`` (cached in
process by repository path, reloaded after a resume) and the LLM backend (rebuilt from the
settings, the API key read from the environment, never stored). The tools that read the program
(loading, entry points, path enumeration, verification) are injectable so tests can run the graph
on hand-built records; the synthesis tools work on the state's plain data and are called directly.
``before_stage`` lets tests inject a crash at a chosen stage; ``on_event`` receives the run's
progress events (``graphs/events``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from anomalygen.graphs.events import EventSink, RunEvent, ignore
from anomalygen.llm.base import LLMBackend
from anomalygen.records import Path, Verdict
from anomalygen.tools.java.model import Program
from anomalygen.tools.java.scope import SourceScope


def _load_program(root: str, scope: SourceScope) -> Program:
    from anomalygen.tools.java import load_program

    return load_program(root, scope=scope)


def _discover_entries(program: Program) -> list[str]:
    from anomalygen.tools.lcfg import discover_entries

    return [str(e) for e in discover_entries(program)]


def _resolve_entry(program: Program, spec: str) -> list[str]:
    from anomalygen.tools.lcfg import resolve_entry

    return list(resolve_entry(program, spec))


def _enumerate_paths(program: Program, entries: Sequence[str] | None, limit: int | None, max_depth: int,
                     per_entry: int) -> list[Path]:
    from anomalygen.tools.lcfg import enumerate_paths

    return list(enumerate_paths(program, list(entries) if entries else None, limit=limit, max_depth=max_depth,
                                per_entry=per_entry))


def _verify_paths(program: Program, paths: Sequence[Path], backend: LLMBackend,
                  concurrency: int) -> list[Verdict]:
    from anomalygen.tools.verify import verify_paths

    return list(verify_paths(program, list(paths), backend, concurrency=concurrency))


def _make_backend(llm: Mapping[str, Any]) -> LLMBackend:
    from anomalygen.llm.factory import make_backend

    options = dict(llm.get("options", {}))
    if llm["name"] == "openai":
        # The key is never part of the checkpointed settings: it comes from the environment.
        options["api_key"] = os.environ.get("ANOMALYGEN_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
    return make_backend(llm["name"], **options)


@dataclass(slots=True)
class Toolkit:
    load_program: Callable[[str, SourceScope], Program] = _load_program
    discover_entries: Callable[[Program], list[str]] = _discover_entries
    resolve_entry: Callable[[Program, str], list[str]] = _resolve_entry
    """``Class.method`` (or a method id) -> the method ids it names."""
    enumerate_paths: Callable[[Program, Sequence[str] | None, int | None, int, int], list[Path]] = (
        _enumerate_paths)
    verify_paths: Callable[[Program, Sequence[Path], LLMBackend, int], list[Verdict]] = _verify_paths
    make_backend: Callable[[Mapping[str, Any]], LLMBackend] = _make_backend
    before_stage: Callable[[str], None] | None = None
    """Called as each stage starts (fault injection in tests)."""
    on_event: EventSink = ignore
    """Receives the stage-started and warning events of the run ``run_id``."""
    run_id: str = ""
    _programs: dict[str, Program] = field(default_factory=dict)
    _backends: dict[str, LLMBackend] = field(default_factory=dict)

    def program(self, repo: str, scope: Mapping[str, Any] | None = None) -> Program:
        """The parsed ``repo``, scanned within ``scope`` (``RunSettings.scope``; None: the defaults)."""
        key = json.dumps([repo, scope], sort_keys=True, default=str)
        if key not in self._programs:
            scanned = SourceScope()
            if scope:
                scanned = SourceScope.from_flags(scope.get("include", ()), scope.get("exclude", ()),
                                                 defaults=bool(scope.get("defaults", True)))
            self._programs[key] = self.load_program(repo, scanned)
        return self._programs[key]

    def backend(self, llm: Mapping[str, Any]) -> LLMBackend:
        key = json.dumps(llm, sort_keys=True, default=str)
        if key not in self._backends:
            self._backends[key] = self.make_backend(llm)
        return self._backends[key]

    def starting(self, stage: str) -> None:
        self.on_event(RunEvent("stage-started", self.run_id, stage))
        if self.before_stage is not None:
            self.before_stage(stage)

    def warn(self, stage: str, message: str) -> None:
        self.on_event(RunEvent("warning", self.run_id, stage, message))
