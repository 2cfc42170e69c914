"""Log statements from a loghub templates CSV (``EventId,EventTemplate``, ``<*>`` wildcards).

This is the "no source code" path: the statements it returns go through the very same matcher as
statements scanned from Java source. Their ``file`` is the CSV and ``line`` its row number.
"""

from __future__ import annotations

import csv
from pathlib import Path

from anomalygen.records import Level, LogStatement

REQUIRED = ("EventId", "EventTemplate")


class TemplatesError(ValueError):
    """A templates CSV that cannot be used (the message names the file and the problem)."""


def load_templates(path: str | Path) -> list[LogStatement]:
    path = Path(path)
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames or []
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                raise TemplatesError(f"{path}: templates CSV needs columns {', '.join(REQUIRED)}; "
                                     f"found {', '.join(columns) or 'no header'}")
            statements: list[LogStatement] = []
            seen: set[str] = set()
            for row_no, row in enumerate(reader, start=2):
                event_id = (row.get("EventId") or "").strip()
                template = row.get("EventTemplate")
                if not event_id or template is None:
                    raise TemplatesError(f"{path}:{row_no}: empty EventId or EventTemplate")
                if event_id in seen:
                    raise TemplatesError(f"{path}:{row_no}: duplicate EventId {event_id}")
                seen.add(event_id)
                statements.append(LogStatement(
                    id=event_id, file=path.name, line=row_no, level=Level.INFO,
                    template=template.replace("<*>", "{}"),
                ))
    except OSError as exc:
        raise TemplatesError(f"cannot read templates {path}: {exc.strerror or exc}") from exc
    except csv.Error as exc:
        raise TemplatesError(f"{path}: not a CSV file: {exc}") from exc
    if not statements:
        raise TemplatesError(f"{path}: no templates")
    return statements
