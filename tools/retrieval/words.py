"""Lexical tokens: identifiers split at camelCase and underscores, lower-cased, stop words dropped."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
STOPWORDS = frozenset((
    "a", "an", "and", "are", "at", "be", "by", "do", "does", "for", "from", "how", "i", "in", "is",
    "it", "me", "my", "of", "on", "or", "the", "to", "what", "when", "where", "which", "who", "why",
    "with", "this", "that", "its", "get", "set",
))


def tokens(text: str) -> list[str]:
    """``blockReport failed`` -> [block, report, failed]: BM25 sees the words inside identifiers."""
    return [w for w in (m.lower() for m in _WORD.findall(text)) if len(w) > 1 and w not in STOPWORDS]
