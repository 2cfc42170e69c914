"""Check that every exported line traces back to a real source log statement.

For each record of ``OUT/sessions.jsonl``: the statement id exists in the program, ``file``,
``line`` and ``level`` equal the statement's, and ``text`` is exactly the statement's template
with the record's ``params`` filled in (and so also matches the template's pattern). Every key
of ``OUT/sequences/*.keys`` must be in ``vocabulary.json`` and stand for known statements (itself,
or, keyed in a given vocabulary, the ``sources`` it lists), and the keys of each session must be
those of the statements its traced lines name, in order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from anomalygen.keyseq import PARTS, part_of
from anomalygen.records import LogStatement
from anomalygen.tools.synth.render import matches_template, render

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
    _check_keys(out_dir, statements, result)
    return result


def _stands_for(entry: Mapping[str, object], statements: Mapping[str, LogStatement]) -> set[str]:
    """The known statements a vocabulary.json entry stands for."""
    sources = entry.get("sources")
    named = [str(s) for s in sources] if isinstance(sources, list) else [str(entry.get("statement"))]
    return {sid for sid in named if sid in statements}


def _check_keys(out_dir: FilePath, statements: Mapping[str, LogStatement], result: TraceResult) -> None:
    sequences = out_dir / "sequences"
    vocabulary = json.loads((sequences / "vocabulary.json").read_text(encoding="utf-8"))["keys"]
    stands_for = {key: _stands_for(entry, statements) for key, entry in vocabulary.items()}
    for key, entry in vocabulary.items():
        if "sources" not in entry and entry.get("statement") not in statements:
            result.add(f"vocabulary key {key} names unknown statement {entry.get('statement')!r}")
    printed = _printed_by_part(out_dir / "sessions.jsonl")
    for part in PARTS:
        keys_file = sequences / f"{part}.keys"
        if not keys_file.is_file():
            continue
        lines = keys_file.read_text(encoding="utf-8").splitlines()
        if len(lines) != len(printed[part]):
            result.add(f"{keys_file.name}: {len(lines)} sessions, sessions.jsonl has {len(printed[part])}")
        for number, (raw, lines_printed) in enumerate(zip(lines, printed[part], strict=False), start=1):
            keys = raw.split()
            unknown = [k for k in keys if k not in vocabulary]
            if unknown:
                result.add(f"{keys_file.name}:{number}: key {unknown[0]} not in vocabulary.json")
            elif len(keys) != len(lines_printed) or any(
                    sid not in stands_for[k] for k, sid in zip(keys, lines_printed, strict=False)):
                result.add(f"{keys_file.name}:{number}: keys differ from the statements of its lines")


def _printed_by_part(jsonl: FilePath) -> dict[str, list[list[str]]]:
    """Per ``.keys`` part, each session's statement ids in order, from ``OUT/sessions.jsonl``."""
    sessions: dict[str, tuple[str, list[str]]] = {}
    with jsonl.open(encoding="utf-8") as handle:
        for raw in handle:
            try:
                record = json.loads(raw)
            except json.JSONDecodeError:
                continue
            if not isinstance(record, dict):
                continue
            label = record.get("label")
            part = part_of(label if isinstance(label, int) or label is None else 1)
            statement = str(record.get("statement"))
            sessions.setdefault(str(record.get("session")), (part, []))[1].append(statement)
    printed: dict[str, list[list[str]]] = {part: [] for part in PARTS}
    for part, ids in sessions.values():
        printed[part].append(ids)
    return printed
