"""The index's record of what it holds: per file, the content hash and its documents (JSON, no pickle)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from anomalygen.tools.retrieval.documents import Document

VERSION = 1
"""Bumped when documents change shape: an older index is rebuilt."""


def file_hash(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


@dataclass
class Manifest:
    hashes: dict[str, str] = field(default_factory=dict)
    docs: dict[str, list[Document]] = field(default_factory=dict)
    """Documents by file (relative path)."""

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("version") != VERSION:
                return cls()
            return cls(
                dict(data["hashes"]),
                {f: [Document(**d) for d in docs] for f, docs in data["docs"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError):
            return cls()  # absent or damaged: index from scratch

    def save(self, path: Path) -> None:
        data = {
            "version": VERSION,
            "hashes": self.hashes,
            "docs": {f: [d.to_dict() for d in docs] for f, docs in self.docs.items()},
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), "utf-8")
        tmp.replace(path)

    def all_docs(self) -> list[Document]:
        return [d for docs in self.docs.values() for d in docs]
