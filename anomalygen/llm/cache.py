"""A content-addressed response cache on disk: one JSON file per request hash.

The key covers everything that changes the answer (backend, model, messages, schema and the
sampling options), so a rerun of the same job pays nothing and a changed prompt misses.
Files are written to a temporary name and renamed, so concurrent workers and a crash mid-write
never leave a torn entry; an unreadable entry is treated as a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from anomalygen.llm.base import Completion, Message


def cache_key(
    backend: str,
    model: str,
    messages: Sequence[Message],
    schema: Mapping[str, Any] | None,
    options: Mapping[str, Any] | None = None,
) -> str:
    blob = json.dumps(
        {
            "backend": backend,
            "model": model,
            "messages": [m.to_dict() for m in messages],
            "schema": schema,
            "options": dict(options or {}),
        },
        sort_keys=True,
        ensure_ascii=True,
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """``get(key)`` / ``put(key, completion)`` over a directory (created on first write)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        # Two-level fan-out keeps directories small on big runs.
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Completion | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            parsed = data.get("parsed")
            return Completion(
                text=str(data["text"]),
                parsed=parsed if isinstance(parsed, dict) else None,
                prompt_tokens=int(data.get("prompt_tokens", 0)),
                completion_tokens=int(data.get("completion_tokens", 0)),
                cached=True,
                attempts=0,
                model=str(data.get("model", "")),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, completion: Completion) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "text": completion.text,
            "parsed": completion.parsed,
            "prompt_tokens": completion.prompt_tokens,
            "completion_tokens": completion.completion_tokens,
            "model": completion.model,
        }
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def __len__(self) -> int:
        return sum(1 for _ in self.directory.glob("*/*.json")) if self.directory.is_dir() else 0
