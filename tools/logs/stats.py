"""Counters kept while reading logs: every oddity is counted, none is silently dropped."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(slots=True)
class ReadStats:
    files: int = 0
    physical_lines: int = 0
    entries: int = 0
    empty_lines: int = 0
    continuation_lines: int = 0
    """Lines attached to the entry above them (stack traces, wrapped messages)."""
    orphan_lines: int = 0
    """Lines before the first entry of a file that match no header: kept as their own entries."""
    malformed_lines: int = 0
    """Lines that start like an entry but do not match the whole format (e.g. cut off)."""
    undecodable_lines: int = 0
    replaced_chars: int = 0
    """U+FFFD characters substituted for undecodable bytes."""
    overlong_lines: int = 0
    """Lines longer than the cap: cut at the cap, the rest skipped (constant memory)."""
    unterminated_last_line: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    def add(self, other: ReadStats) -> None:
        for key, value in asdict(other).items():
            setattr(self, key, getattr(self, key) + value)
