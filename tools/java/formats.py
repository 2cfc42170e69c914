"""How logging and formatting APIs put argument values into message text.

SLF4J/log4j 2 ``{}``, MessageFormat ``{0}`` (java.util.logging, ``System.Logger``,
``MessageFormat.format``) and printf ``%s`` (``String.format``) each turn constant text plus
argument expressions into parts: text, or a ``Hole`` where a runtime value goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node

from anomalygen.tools.java.context import Context

_PRINTF = re.compile(r"%(\d+\$)?([-#+ 0,(<]*)(\d+)?(\.\d+)?([tT]?[a-zA-Z%])")
_MESSAGE_FORMAT = re.compile(r"\{(\d+)(,[^{}]*)?\}")


@dataclass(frozen=True, slots=True)
class Hole:
    """A value the runtime fills in: an argument expression in ``ctx``."""

    node: Node
    ctx: Context
    inline: str = "any"
    """Which compile-time constants may print as text here: ``any``, ``strings`` (MessageFormat
    groups digits by locale), ``none`` (a printf conversion with width or precision)."""


Part = str | Hole


def apply_placeholders(parts: list[Part], args: list[Node], ctx: Context) -> tuple[list[Part], int]:
    """SLF4J/log4j2: each ``{}`` in the constant text takes the next argument."""
    out: list[Part] = []
    used = 0
    for part in parts:
        if isinstance(part, Hole):
            out.append(part)
            continue
        pieces = part.split("{}")
        for i, piece in enumerate(pieces):
            out.append(piece)
            if i < len(pieces) - 1:
                if used < len(args):
                    out.append(Hole(args[used], ctx))
                    used += 1
                else:
                    out.append("{}")  # no argument left: SLF4J prints the braces as they are
    return out, used


def apply_message_format(
    parts: list[Part], params: list[Node], ctx: Context
) -> tuple[list[Part], int]:
    out: list[Part] = []
    used = 0
    for part in parts:
        if isinstance(part, Hole):
            out.append(part)
            continue
        text = part.replace("''", "\x00")
        position = 0
        for match in _MESSAGE_FORMAT.finditer(text):
            out.append(text[position : match.start()].replace("\x00", "'"))
            index = int(match.group(1))
            if index < len(params):
                out.append(Hole(params[index], ctx, inline="strings"))
                used = max(used, index + 1)
            else:
                out.append(match.group(0))
            position = match.end()
        out.append(text[position:].replace("\x00", "'"))
    return out, used


def printf_parts(pattern: str, values: list[Node], ctx: Context) -> list[Part]:
    out: list[Part] = []
    position = 0
    next_value = 0
    last_index = 0
    for match in _PRINTF.finditer(pattern):
        out.append(pattern[position : match.start()])
        conversion = match.group(5)
        if conversion == "%":
            out.append("%")
        elif conversion == "n":
            out.append("\n")
        else:
            if match.group(1):
                index = int(match.group(1)[:-1]) - 1
            elif "<" in match.group(2):
                index = last_index  # %<s: the argument of the previous conversion
            else:
                index = next_value
                next_value += 1
            last_index = index
            if 0 <= index < len(values):
                plain = conversion in ("s", "d") and not (
                    match.group(2) or match.group(3) or match.group(4)
                )
                out.append(Hole(values[index], ctx, inline="any" if plain else "none"))
            else:
                out.append(match.group(0))  # no such argument: Java would throw; keep the text
        position = match.end()
    out.append(pattern[position:])
    return out


def expand_array(args: list[Node]) -> list[Node]:
    """``new Object[] {a, b}`` as the only parameter stands for its elements."""
    if len(args) == 1 and args[0].type == "array_creation_expression":
        init = args[0].child_by_field_name("value")
        if init is not None:
            return [c for c in init.named_children if c.type not in ("line_comment", "block_comment")]
    return args


def merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + part
                continue
        merged.append(part)
    return merged
