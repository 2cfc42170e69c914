"""The plugin contract for CLI subcommands.

Each room publishes its subcommands as ``Command`` objects under the ``anomalygen.commands``
entry-point group (see pyproject.toml). The CLI loads them lazily by name, so the core never
imports a room and a broken room cannot break the others' commands. Command modules keep their
top-level imports light (no torch, no tree-sitter): heavy imports go inside ``run``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


def count_or_auto(text: str) -> int | None:
    """An argparse type for flags such as ``--limit N|auto``: a whole number, or None for ``auto``
    (range checks are the command's, which reports usage errors its own way)."""
    if text.strip().lower() == "auto":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'auto', got {text!r}") from None


class UsageError(Exception):
    """Bad input that the user can fix: printed as one clear line, exit status 2."""


@dataclass(frozen=True, slots=True)
class Command:
    """A subcommand: its one-line summary, how it adds its arguments, and what it runs."""

    name: str
    summary: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    description: str = ""
