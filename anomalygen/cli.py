"""The ``anomalygen`` command line.

Subcommands are discovered through the ``anomalygen.commands`` entry-point group and loaded
lazily, so ``anomalygen scan`` never pays for importing torch and a room with a broken import
only disables its own commands.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import EntryPoint, entry_points

from anomalygen import __version__
from anomalygen.command import Command, UsageError
from anomalygen.console import error_line, stderr

DESCRIPTION = """\
anomalygen reads a Java system's source, finds every log statement, enumerates the execution
paths that print logs, verifies them (z3, then an LLM's chain of thought), fills realistic
parameters and exports labeled synthetic logs in which every line traces back to a real log
statement. It also matches runtime logs to the same statements and trains and evaluates log
anomaly detectors on real plus synthetic data.

Every command takes --json: one JSON document on stdout, progress and messages on stderr.
"""

EPILOG = """\
typical session:
  anomalygen scan REPO                       what is in the source (log statements, calls)
  anomalygen paths REPO --limit 50           execution paths that produce log sequences
  anomalygen coverage REPO app.log           which log statements the real logs exercise
  anomalygen run REPO --out out --llm none   the whole augmentation job, exported to out/
  anomalygen evaluate --dataset deeplog-hdfs detectors on real and real+synthetic data
"""


def _command_entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group="anomalygen.commands")}


def _load(ep: EntryPoint) -> Command:
    command = ep.load()
    if not isinstance(command, Command):
        raise TypeError(f"entry point {ep.value} is not an anomalygen Command")
    return command


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The top-level parser; loads every command (for --help) or just ``only``."""
    parser = argparse.ArgumentParser(
        prog="anomalygen",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"anomalygen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, ep in sorted(_command_entry_points().items()):
        if only is not None and name != only:
            continue
        try:
            command = _load(ep)
        except Exception as exc:  # a broken room must not take the whole CLI down
            sub.add_parser(name, help=f"(unavailable: {type(exc).__name__}: {exc})")
            continue
        cmd_parser = sub.add_parser(
            name,
            help=command.summary,
            description=command.description or command.summary,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.configure(cmd_parser)
        cmd_parser.set_defaults(_command=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    known = _command_entry_points()
    first = next((a for a in args_list if not a.startswith("-")), None)
    parser = build_parser(only=first if first in known else None)
    args = parser.parse_args(args_list)
    command: Command | None = getattr(args, "_command", None)
    if command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return command.run(args)
    except UsageError as exc:
        # the message may quote user text such as "[vllm]": error_line never reads it as markup
        error_line(str(exc))
        return 2
    except OSError as exc:
        # a folder that is a file, a read-only --out, a full disk: the user's to fix, one line
        error_line(_os_error(exc))
        return 2
    except KeyboardInterrupt:
        stderr.print("[yellow]interrupted[/]")
        return 130


def _os_error(exc: OSError) -> str:
    names = " -> ".join(str(n) for n in (exc.filename, exc.filename2) if n is not None)
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{names}: {reason}" if names else reason


if __name__ == "__main__":
    sys.exit(main())
