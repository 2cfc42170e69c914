"""What ``anomalygen scan`` reports about a Program, as plain data."""

from __future__ import annotations

from collections import Counter
from typing import Any

from anomalygen.records import Level
from anomalygen.tools.java.model import Program

_SAMPLE = 5


def scan_summary(program: Program) -> dict[str, Any]:
    by_level = Counter(s.level for s in program.log_statements.values())
    statuses = Counter(
        c.status or ("resolved" if c.targets else "unresolved") for c in program.calls.values()
    )
    in_repo = statuses["resolved"] + statuses["implicit"] + statuses["unresolved"]
    unresolved = program.unresolved_calls
    return {
        "root": program.root,
        "files": len(program.files),
        "source_lines": program.source_lines,
        "types": len(program.types),
        "methods": len(program.methods),
        "lambdas": sum(1 for m in program.methods.values() if m.is_lambda),
        "log_statements": len(program.log_statements),
        "by_level": {level.value: by_level.get(level, 0) for level in Level},
        "guarded": sum(1 for s in program.log_statements.values() if s.guarded),
        "with_exception": sum(1 for s in program.log_statements.values() if s.exception),
        "opaque_templates": sum(1 for s in program.log_statements.values() if s.template == "{}"),
        "message_bundles": program.bundle_files,
        "logger_types": list(program.logger_types),
        "calls": len(program.calls),
        "resolved_calls": statuses["resolved"],
        "implicit_constructor_calls": statuses["implicit"],
        "external_calls": statuses["external"],
        "unresolved_calls": len(unresolved),
        "in_repo_resolved_share": round((in_repo - len(unresolved)) / in_repo, 4) if in_repo else None,
        "unresolved_sample": [
            {"caller": c.caller, "call": f"{c.receiver + '.' if c.receiver else ''}{c.name}/{c.arity}",
             "line": c.line}
            for c in unresolved[:_SAMPLE]
        ],
        "parse_errors": len(program.parse_errors),
        "parse_error_files": len({e.file for e in program.parse_errors}),
        "parse_error_sample": [
            {"file": e.file, "line": e.start_line, "message": e.message}
            for e in program.parse_errors[:_SAMPLE]
        ],
        "skipped": [{"path": path, "reason": reason} for path, reason in program.skipped],
        "warnings": list(program.warnings),
        "seconds": round(program.seconds, 3),
    }


def statement_rows(program: Program) -> list[dict[str, Any]]:
    """Every log statement, ordered by file and line."""
    ordered = sorted(program.log_statements.values(), key=lambda s: (s.file, s.line, s.id))
    return [
        {
            "id": s.id, "file": s.file, "line": s.line, "level": s.level.value,
            "template": s.template, "guarded": s.guarded, "exception": s.exception,
            "method": s.method, "slots": [
                {"index": slot.index, "expression": slot.expression, "type": slot.type_name}
                for slot in s.slots
            ],
        }
        for s in ordered
    ]
