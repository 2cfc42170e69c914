"""Compile a log template (constant text with ``{}`` slots) into an anchored regex.

A slot of a numeric Java type matches digits, a boolean ``true|false``, anything else matches any
text, non-greedily. Constant text is escaped (templates hold regex metacharacters: ``[``, ``*``,
``(``...) and runs of blanks match runs of blanks. ``anchors`` are the constant words that must
appear whole in any matching message; the matcher indexes templates by them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from anomalygen.records import LogStatement

SLOT = "{}"
WORD = re.compile(r"\w+")
_BLANKS = re.compile(r"\s+")
_LETTERS = re.compile(r"[^\W\d_]{3}")

_INTEGER_TYPES = {"int", "long", "short", "byte", "Integer", "Long", "Short", "Byte", "AtomicInteger",
                  "AtomicLong", "BigInteger", "LongAdder"}
_FLOAT_TYPES = {"float", "double", "Float", "Double", "BigDecimal"}
_PRIMITIVES = {"int", "long", "short", "byte", "float", "double", "boolean"}
_ANY = r"(.*?)"


def slot_regex(type_name: str | None) -> str:
    """The regex group for one slot of the given declared type (simple or qualified name)."""
    if not type_name:
        return _ANY
    simple = type_name.rsplit(".", 1)[-1]
    null = "" if simple in _PRIMITIVES else "|null"  # a boxed value may print as null
    if simple in _INTEGER_TYPES:
        return rf"(-?\d+{null})"
    if simple in _FLOAT_TYPES:
        return rf"(-?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|NaN|Infinity){null})"
    if simple in ("boolean", "Boolean"):
        return rf"(true|false{null})"
    return _ANY


def _constant_regex(text: str) -> str:
    return r"\s+".join(re.escape(chunk) for chunk in _BLANKS.split(text))


def _complete_words(parts: list[str]) -> list[str]:
    """Words of the constant parts that are not glued to a slot on either side."""
    words: list[str] = []
    for i, part in enumerate(parts):
        for match in WORD.finditer(part):
            glued_left = match.start() == 0 and i > 0
            glued_right = match.end() == len(part) and i < len(parts) - 1
            if not glued_left and not glued_right:
                words.append(match.group(0))
    return words


@dataclass(slots=True, eq=False)  # identity: templates are compared and hashed by object
class CompiledTemplate:
    statement: LogStatement
    regex: re.Pattern[str]
    loose: re.Pattern[str]
    """Every slot matches anything: a second chance when a slot's declared type was wrong."""
    constant: str
    """The constant text (slots removed): its length is the template's specificity."""
    anchors: tuple[str, ...]
    slots: int
    informative: bool
    """False when the constant text has no run of three letters: ``{}``, ``{}:{}{}``, ``{}={}``,
    ``0x{}`` match nearly anything, so they may only claim a line whose class and level agree."""


def _line_break_optional(constant: str) -> tuple[str, bool]:
    """The regex of a constant part; at its first line break, the rest of the template becomes
    optional: a one-line reader sees the message up to the break (HDFS's ``serving {} to {}:\n{}``
    prints its stack trace on the following lines, and loghub keeps only the first)."""
    if "\n" not in constant:
        return _constant_regex(constant), False
    before, after = constant.split("\n", 1)
    return _constant_regex(before.rstrip()) + r"(?:\s+" + _constant_regex(after.lstrip()), True


def compile_template(statement: LogStatement) -> CompiledTemplate:
    parts = statement.template.split(SLOT)
    types = {s.index: s.type_name for s in statement.slots}
    first, opened = _line_break_optional(parts[0])
    typed, loose = [first], [first]
    for i, part in enumerate(parts[1:]):
        typed.append(slot_regex(types.get(i)))
        loose.append(_ANY)
        constant, breaks = (_constant_regex(part), False) if opened else _line_break_optional(part)
        opened = opened or breaks
        typed.append(constant)
        loose.append(constant)
    # messages are compared without trailing blanks (loghub strips them, appenders may add them)
    tail = (r")?" if opened else "") + r"\s*"
    return CompiledTemplate(
        statement=statement,
        regex=re.compile("".join(typed) + tail, re.DOTALL),
        loose=re.compile("".join(loose) + tail, re.DOTALL),
        constant="".join(parts),
        anchors=tuple(dict.fromkeys(_complete_words(parts))),
        slots=len(parts) - 1,
        informative=bool(_LETTERS.search("".join(parts))),
    )
