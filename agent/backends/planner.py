"""The mock model's plan: one tool call picked from a question's words (no understanding, by design).

It makes ``ask --llm mock`` useful offline and reproducible: the usual questions go to the tool
that answers them. A question in another language or with no known word falls back to search_code.
"""

from __future__ import annotations

import re
from typing import Any

_SESSION = re.compile(r"blk_-?\d+|0x[0-9a-fA-F]{6,}")
_METHOD = re.compile(r"\b([A-Z][\w$]*(?:\.[A-Z][\w$]*)*\.[a-z_$][\w$]*)\b")
_LOG_LINE = re.compile(r"^\d{4}-\d{2}-\d{2} |^\d{6} \d{6} ")
_QUOTED = re.compile(r"['\"\u2018\u201c]([^'\"\u2019\u201d]{3,200})['\"\u2019\u201d]")


def plan(question: str) -> tuple[str, dict[str, Any]] | None:
    """(tool name, arguments) for ``question``, or None for an empty one."""
    text = question.strip()
    if not text:
        return None
    lower = text.lower()
    method = _METHOD.search(text)
    session = _SESSION.search(text)
    if _LOG_LINE.search(text) and "\n" in text.strip():
        return "explain_session", {"lines": text}
    if _LOG_LINE.search(text):
        return "match_line", {"line": text}
    if session and any(w in lower for w in ("explain", "anomal", "why", "session")):
        return "explain_session", {"session": session.group(0)}
    if any(w in lower for w in ("never show", "unseen", "coverage", "cover", "never print")):
        return "coverage", {}
    if any(w in lower for w in ("generate", "synthetic", "augment")):
        return "run_augmentation", {}
    if any(w in lower for w in ("train", "evaluate", "deeplog", "detector")):
        return "evaluate", {}
    if method and any(w in lower for w in ("lcfg", "control flow", "flow graph")):
        return "lcfg", {"method": method.group(1)}
    if method and "path" in lower:
        return "paths", {"entry": method.group(1), "limit": 10}
    if method:
        return "show_method", {"method": method.group(1)}
    quoted = _QUOTED.search(text)
    if quoted and any(w in lower for w in ("statement", "print", "log", "message")):
        # "which statement prints 'Receiving block'?": the quoted words are the message to find
        return "list_log_statements", {"filter": quoted.group(1).strip(), "limit": 30}
    if "statement" in lower and any(w in lower for w in ("list", "which", "show")):
        return "list_log_statements", {"filter": "", "limit": 30}
    return "search_code", {"query": text[:500]}
