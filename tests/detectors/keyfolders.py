"""Writes key-sequence dataset folders (docs/formats.md) for the dataset and harness tests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path


def write_key_folder(
    folder: Path,
    normal: Sequence[Sequence[str]],
    abnormal: Sequence[Sequence[str]] = (),
    *,
    first_key: int = 1,
) -> Path:
    """Sessions of statement ids -> vocabulary.json + normal.keys + abnormal.keys.

    ``first_key`` shifts the integer numbering so tests can check that readers map keys back to
    statement ids instead of trusting the numbers.
    """
    folder.mkdir(parents=True, exist_ok=True)
    statements = sorted({s for part in (normal, abnormal) for seq in part for s in seq})
    key_of = {s: first_key + i for i, s in enumerate(statements)}
    vocabulary = {"keys": {str(k): {"statement": s, "template": f"template of {s}", "file": "A.java",
                                    "line": k, "level": "INFO"} for s, k in key_of.items()}}
    (folder / "vocabulary.json").write_text(json.dumps(vocabulary), encoding="utf-8")
    for name, part in (("normal", normal), ("abnormal", abnormal)):
        lines = [" ".join(str(key_of[s]) for s in seq) for seq in part]
        (folder / f"{name}.keys").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return folder


def workflow_sessions(n: int, *, extra: str | None = None) -> list[list[str]]:
    """Normal ``open (read ack){k} close`` sessions; ``extra`` adds a rare but normal event."""
    sessions = [["S.open", *(["S.read", "S.ack"] * (1 + i % 3)), "S.close"] for i in range(n)]
    if extra is not None:
        sessions = [[*s[:-1], extra, s[-1]] if i % 2 else s for i, s in enumerate(sessions)]
    return sessions


ANOMALOUS = [
    ["S.open", "S.read", "S.ack"],
    ["S.open", "S.read", "S.read", "S.close"],
    ["S.open", "S.fail", "S.close"],
] * 4
