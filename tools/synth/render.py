"""Turning a statement's template and slot values into a log line, and checking it back.

A template marks each slot with ``{}`` in order (``LogStatement.template``). Rendering only ever
substitutes values into those markers, so every synthetic line is the statement's own constant
text plus its parameters: the property ``trace`` checks on exported data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from anomalygen.records import LogStatement

PLACEHOLDER = "{}"


def template_parts(template: str) -> list[str]:
    """The constant pieces between slot markers (one more than the number of markers)."""
    return template.split(PLACEHOLDER)


def slot_surroundings(statement: LogStatement) -> list[tuple[str, str]]:
    """The constant text right before and right after each slot: ``0x{}`` marks a hex slot,
    ``] ms`` a duration."""
    parts = template_parts(statement.template)
    return [(parts[i] if i < len(parts) else "", parts[i + 1] if i + 1 < len(parts) else "")
            for i in range(len(statement.slots))]


def render(template: str, values: Sequence[str]) -> str:
    """Fill the markers in order; markers without a value stay ``{}``, as SLF4J prints them."""
    parts = template_parts(template)
    out = [parts[0]]
    for index, part in enumerate(parts[1:]):
        out.append(values[index] if index < len(values) else PLACEHOLDER)
        out.append(part)
    return "".join(out)


def template_regex(template: str) -> re.Pattern[str]:
    """A regex that matches any filling of ``template`` (each slot is any text)."""
    parts = template_parts(template)
    return re.compile("(.*?)".join(re.escape(p) for p in parts), re.DOTALL)


def matches_template(text: str, template: str) -> bool:
    return template_regex(template).fullmatch(text) is not None
