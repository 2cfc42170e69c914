"""Lexical tokens: identifiers split at camelCase and underscores, lower-cased, stop words dropped."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
STOPWORDS = frozenset((
    "a", "an", "and", "are", "at", "be", "by", "do", "does", "for", "from", "how", "i", "in", "is",
    "it", "me", "my", "of", "on", "or", "the", "to", "what", "when", "where", "which", "who", "why",
    "with", "this", "that", "its", "get", "set",
))


def stem(word: str) -> str:
    """A light English stemmer: ``expired``, ``expiring``, ``expires``, ``expire`` -> ``expir``, so a
    question's tense or number meets the code's (no stemmer package is installed)."""
    if len(word) > 4:
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and not (suffix == "s" and word.endswith("ss")):
                word = word[: -len(suffix)]
                break
        if word.endswith("e") and len(word) > 3:
            word = word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """``blockReport failed`` -> [block, report, fail]: BM25 sees the words inside identifiers."""
    return [stem(w) for w in (m.lower() for m in _WORD.findall(text)) if len(w) > 1 and w not in STOPWORDS]
