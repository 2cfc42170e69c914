"""Java literal text -> the characters it denotes (what a log line would show)."""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\(u+[0-9a-fA-F]{4}|[0-3][0-7]{0,2}|[4-7][0-7]?|.)", re.DOTALL)
_SIMPLE = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "s": " ", '"': '"', "'": "'", "\\": "\\"}


def _unescape(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if token[0] == "u":
            return chr(int(token.lstrip("u"), 16))
        if token[0] in "01234567":
            return chr(int(token, 8))
        if token == "\n":  # text block line continuation
            return ""
        return _SIMPLE.get(token, token)

    return _ESCAPE.sub(replace, body)


def decode_string(source: str) -> str:
    """The value of a string literal or text block as written in source."""
    if source.startswith('"""'):
        return _unescape(_strip_text_block(source[3:-3] if source.endswith('"""') else source[3:]))
    body = source[1:-1] if len(source) >= 2 and source.endswith('"') else source[1:]
    return _unescape(body)


def decode_char(source: str) -> str:
    return _unescape(source[1:-1]) if len(source) >= 2 else source


def _strip_text_block(body: str) -> str:
    lines = body.split("\n")
    if lines and not lines[0].strip():
        lines = lines[1:]
    content = [line for line in lines if line.strip()]
    last_is_closing = bool(lines) and not lines[-1].strip()
    if last_is_closing:
        content.append(lines[-1])
    indent = min((len(line) - len(line.lstrip()) for line in content), default=0)
    stripped = [line[indent:].rstrip() for line in lines]
    return "\n".join(stripped)


def literal_text(kind: str, source: str) -> str | None:
    """How a numeric/boolean/null literal prints when concatenated to a string."""
    if kind in ("true", "false", "null_literal"):
        return source
    if kind == "decimal_integer_literal":
        return source.replace("_", "").rstrip("lL")
    if kind in ("hex_integer_literal", "octal_integer_literal", "binary_integer_literal"):
        digits = source.replace("_", "").rstrip("lL")
        try:
            return str(int(digits, 0) if not kind.startswith("octal") else int(digits, 8))
        except ValueError:
            return None
    if kind == "decimal_floating_point_literal":
        digits = source.replace("_", "").rstrip("fFdD")
        try:
            return repr(float(digits))
        except ValueError:
            return None
    return None
