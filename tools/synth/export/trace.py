"""Check that every exported line traces back to a real source log statement.

For each record of ``OUT/sessions.jsonl``: the statement id exists in the program, ``file``,
``line`` and ``level`` equal the statement's, and ``text`` is exactly the statement's template
with the record's ``params`` filled in (and so also matches the template's pattern). Every key
of ``OUT/sequences/*.keys`` must be in ``vocabulary.json``, which must name known statements.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from anomalygen.tools.synth.render import matches_template, render

from anomalygen.records import LogStatement

MAX_PROBLEMS = 50


@dataclass(slots=True)
class TraceResult:
    lines: int = 0
    traced: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.lines == self.traced and not self.problems

    def add(self, problem: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def _check_record(number: int, record: Mapping[str, object], statements: Mapping[str, LogStatement],
                  result: TraceResult) -> bool:
    statement = statements.get(str(record.get("statement")))
    if statement is None:
        result.add(f"line {number}: unknown statement {record.get('statement')!r}")
        return False
    params = record.get("params")
    if not isinstance(params, list) or not all(isinstance(p, str) for p in params):
        result.add(f"line {number}: params must be a list of strings")
        return False
    text = record.get("text")
    checks = {
        "file": record.get("file") == statement.file,
        "line": record.get("line") == statement.line,
        "level": record.get("level") == statement.level.value,
        "text": text == render(statement.template, params)
        and isinstance(text, str) and matches_template(text, statement.template),
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        result.add(f"line {number}: {', '.join(failed)} differ from statement {statement.id}")
        return False
    return True


def check_export(out_dir: FilePath, statements: Mapping[str, LogStatement]) -> TraceResult:
    result = TraceResult()
    with (out_dir / "sessions.jsonl").open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            result.lines += 1
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                result.add(f"line {number}: not JSON ({exc.msg})")
                continue
            if isinstance(record, dict) and _check_record(number, record, statements, result):
                result.traced += 1
    sequences = out_dir / "sequences"
    vocabulary = json.loads((sequences / "vocabulary.json").read_text(encoding="utf-8"))["keys"]
    for key, entry in vocabulary.items():
        if entry.get("statement") not in statements:
            result.add(f"vocabulary key {key} names unknown statement {entry.get('statement')!r}")
    for keys_file in sorted(sequences.glob("*.keys")):
        for number, raw in enumerate(keys_file.read_text(encoding="utf-8").splitlines(), start=1):
            unknown = [k for k in raw.split() if k not in vocabulary]
            if unknown:
                result.add(f"{keys_file.name}:{number}: key {unknown[0]} not in vocabulary.json")
    return result
