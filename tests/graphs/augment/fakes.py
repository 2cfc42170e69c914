"""A toolkit over the hand-built blockstore-like records, with call counters and fault injection."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from anomalygen.graphs.augment.cli import configure
from anomalygen.graphs.augment.state import RunSettings
from anomalygen.graphs.augment.toolkit import Toolkit
from tests.tools.synth.handbuilt import PATHS, program, verdicts


class InjectedCrashError(RuntimeError):
    """The injected fault."""


def handbuilt_toolkit(calls: Counter[str], pending: set[str] | None = None) -> Toolkit:
    """Counts every stage start and tool call; raises ``InjectedCrashError`` once at each stage in ``pending``
    (shared between toolkits, so a resumed run in a fresh toolkit does not crash again)."""
    pending = pending if pending is not None else set()

    def before(stage: str) -> None:
        calls[stage] += 1
        if stage in pending:
            pending.discard(stage)
            raise InjectedCrashError(f"injected fault at {stage}")

    def load(root: str, scope=None):
        calls["load_program"] += 1
        return program(root)

    return Toolkit(
        load_program=load,
        discover_entries=lambda prog: sorted({p.entry for p in PATHS}),
        enumerate_paths=lambda prog, entries, limit, depth, per_entry: list(PATHS)[:limit],
        verify_paths=lambda prog, paths, backend, concurrency: verdicts(list(paths)),
        before_stage=before,
    )


def settings(repo: Path, out: Path, *extra: str) -> RunSettings:
    from anomalygen.graphs.augment.cli import new_settings

    parser = argparse.ArgumentParser()
    configure(parser)
    args = parser.parse_args([str(repo), "--out", str(out), *extra])
    return new_settings(args, out.resolve())
