"""Prompt conventions shared by prompt builders and the mock backend.

- A request's structured payload is the *last* fenced block of the last user message, opened
  by ```` ```json ```` and holding one JSON object with a ``task`` field (e.g. ``verify_path``).
  Real models read it as part of the prompt; the mock backend answers from it.
- Untrusted text (source code, log lines) is wrapped by ``quote_untrusted`` between
  ``<untrusted:LABEL>`` markers, after neutralising anything inside that could close the
  block early or forge a payload (code fences, the markers themselves). It stays readable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

PAYLOAD_OPEN = "```json\n"
PAYLOAD_CLOSE = "\n```"
_FENCE = re.compile(r"`{3,}")
_MARKER = re.compile(r"<\s*/?\s*untrusted", re.IGNORECASE)


def embed_payload(text: str, payload: Mapping[str, Any]) -> str:
    """Append the payload to a prompt as its final fenced JSON block."""
    if "task" not in payload:
        raise ValueError("a prompt payload needs a 'task' field")
    # Backticks are escaped so nothing inside the JSON can close the fence.
    blob = json.dumps(dict(payload), sort_keys=True, ensure_ascii=True).replace("`", "\\u0060")
    return f"{text.rstrip()}\n\n{PAYLOAD_OPEN}{blob}{PAYLOAD_CLOSE}\n"


def extract_payload(text: str) -> dict[str, Any] | None:
    """The payload embedded by ``embed_payload``, or None when the text carries none."""
    start = text.rfind(PAYLOAD_OPEN)
    if start == -1:
        return None
    body_start = start + len(PAYLOAD_OPEN)
    end = text.find(PAYLOAD_CLOSE, body_start)
    if end == -1:
        return None
    try:
        value = json.loads(text[body_start:end])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) and "task" in value else None


def neutralize(text: str) -> str:
    """Untrusted text with code fences and block markers defused (still human-readable)."""
    text = _FENCE.sub(lambda m: "` " * len(m.group(0)), text)
    # Written as an escaped entity: still readable, but no longer the marker.
    return _MARKER.sub(lambda m: "&lt;" + m.group(0)[1:], text)


def quote_untrusted(label: str, text: str) -> str:
    """Wrap untrusted text in labelled markers the system prompt tells the model to treat as data."""
    safe_label = re.sub(r"[^A-Za-z0-9_.:/()$@#-]", "_", label)[:200]
    return f"<untrusted:{safe_label}>\n{neutralize(text)}\n</untrusted:{safe_label}>"
