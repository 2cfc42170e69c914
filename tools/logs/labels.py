"""Session labels from a CSV: ``id,label``, label 0/1 or Normal/Anomaly (loghub's anomaly_label.csv)."""

from __future__ import annotations

import csv
from pathlib import Path

from anomalygen.tools.logs.templates_csv import TemplatesError

_VALUES = {"0": 0, "1": 1, "normal": 0, "anomaly": 1, "abnormal": 1, "anomalous": 1, "success": 0, "fail": 1}


def load_labels(path: str | Path) -> dict[str, int]:
    path = Path(path)
    labels: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh)
            header = next(rows, None)
            if header is None or len(header) < 2:
                raise TemplatesError(f"{path}: a labels CSV needs two columns (id,label)")
            for number, row in enumerate(rows, start=2):
                if len(row) < 2:
                    continue
                value = _VALUES.get(row[1].strip().lower())
                if value is None:
                    raise TemplatesError(f"{path}:{number}: unknown label {row[1]!r} "
                                         "(use 0/1 or Normal/Anomaly)")
                labels[row[0].strip()] = value
    except OSError as exc:
        raise TemplatesError(f"cannot read labels {path}: {exc.strerror or exc}") from exc
    return labels
