"""Export synthetic sessions in the shared layout of docs/formats.md.

``OUT/sessions.jsonl`` (one line per JSON object, with provenance), ``OUT/structured.csv``
(loghub-style) and ``OUT/sequences/`` (a key-sequence dataset folder, keyed in a given vocabulary
when the run had one, see ``keyed``). Every line's text is
``render(statement.template, params)``: nothing is written that a source log statement could not
print. Files are written to a temporary name and renamed, so an interrupted export never leaves a
half-written file that looks finished; every target is checked to lie inside the output folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import Any

from anomalygen.keyseq import build_vocabulary, write_folder
from anomalygen.records import Event, LogStatement, Session
from anomalygen.tools.synth.export.keyed import GivenVocabulary, keying
from anomalygen.tools.synth.model import SynthSession
from anomalygen.tools.synth.render import render

CSV_COLUMNS = ("LineId", "Session", "Date", "Time", "Level", "Component", "Content", "EventId",
               "EventTemplate", "Label")


class UnsafeOutputPathError(ValueError):
    """A write target resolved outside the output folder."""


def inside(out_dir: FilePath, *parts: str) -> FilePath:
    """``out_dir/parts`` after resolving links, refusing anything that escapes ``out_dir``."""
    root = out_dir.resolve()
    target = root.joinpath(*parts).resolve()
    if target != root and not target.is_relative_to(root):
        raise UnsafeOutputPathError(f"refusing to write {target}: outside the output folder {root}")
    return target


def write_text(out_dir: FilePath, name: str, text: str) -> FilePath:
    """Atomically write ``text`` to ``out_dir/name`` (temp file + rename)."""
    target = inside(out_dir, *name.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)  # never write through a link left at the temp name
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, target)
    return target


@dataclass(frozen=True, slots=True)
class ExportResult:
    files: list[str]
    """Written files, relative to the output folder."""
    lines: int
    sessions: int
    vocabulary: int
    in_vocabulary: int | None = None
    """Lines keyed in the given vocabulary (None: no vocabulary given, keys are statements)."""
    outside_vocabulary: tuple[str, ...] = ()
    """Statements printed that the given vocabulary does not describe (keyed apart)."""


def _line_records(sessions: Sequence[SynthSession], statements: Mapping[str, LogStatement],
                  verdicts: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    records = []
    for session in sessions:
        for event in session.events:
            statement = statements[event.statement]
            verdict = verdicts.get(event.path, {})
            records.append({
                "session": session.id,
                "text": render(statement.template, event.params),
                "level": statement.level.value,
                "statement": statement.id,
                "file": statement.file,
                "line": statement.line,
                "entry": event.entry,
                "path": event.path,
                "verdict": verdict.get("kind", "undecided"),
                "verdict_source": verdict.get("source", "none"),
                "label": session.label,
                "rule_label": session.rule_label,
                "params": list(event.params),
                "timestamp": event.timestamp,
            })
    return records


def _jsonl(rows: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _structured_csv(records: Sequence[Mapping[str, Any]], statements: Mapping[str, LogStatement]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line_id, record in enumerate(records, start=1):
        stamp = datetime.fromtimestamp(record["timestamp"], tz=UTC)
        statement = statements[record["statement"]]
        component = statement.type_name.rsplit(".", 1)[-1] or FilePath(statement.file).stem
        writer.writerow([
            line_id, record["session"], stamp.strftime("%Y-%m-%d"),
            stamp.strftime("%H:%M:%S,") + f"{stamp.microsecond // 1000:03d}",
            record["level"], component, record["text"], record["statement"], statement.template,
            record["label"],
        ])
    return buffer.getvalue()


def _as_session(session: SynthSession, event_of: Mapping[str, str] | None = None) -> Session:
    """The core record of a synthetic session, for the shared key-sequence writer; with
    ``event_of``, each event is the given vocabulary's event id for its statement."""
    events = tuple(Event((event_of or {}).get(e.statement, e.statement), e.params, e.timestamp)
                   for e in session.events)
    return Session(session.id, events, session.label, "synthetic")


def export_paths(out_dir: FilePath, paths: Sequence[Mapping[str, Any]],
                 verdicts: Mapping[str, Mapping[str, Any]]) -> FilePath:
    """Write ``paths.jsonl``: every enumerated path with its conditions and its verdict.

    This is where verdict rationales live (sessions.jsonl names the path and the verdict kind
    only), so a reader can see why a path was kept, dropped or left undecided.
    """
    rows = []
    for path in paths:
        verdict = verdicts.get(path["id"], {})
        rows.append({**path, "verdict": {"kind": verdict.get("kind", "undecided"),
                                         "source": verdict.get("source", "none"),
                                         "rationale": verdict.get("rationale", ""),
                                         "confidence": verdict.get("confidence")}})
    return write_text(out_dir, "paths.jsonl", _jsonl(rows))


def export(out_dir: FilePath, sessions: Sequence[SynthSession], statements: Mapping[str, LogStatement],
           verdicts: Mapping[str, Mapping[str, Any]], given: GivenVocabulary | None = None) -> ExportResult:
    """Write ``sessions.jsonl``, ``structured.csv`` and ``sequences/`` under ``out_dir``; with
    ``given``, ``sequences/`` is keyed in that vocabulary."""
    missing = sorted({e.statement for s in sessions for e in s.events} - set(statements))
    if missing:
        raise ValueError(f"{len(missing)} event(s) name no known log statement, e.g. {missing[0]!r}")
    records = _line_records(sessions, statements, verdicts)
    written = [write_text(out_dir, "sessions.jsonl", _jsonl(records)),
               write_text(out_dir, "structured.csv", _structured_csv(records, statements))]
    in_vocabulary: int | None = None
    outside: tuple[str, ...] = ()
    if given is None:
        keyed = [_as_session(s) for s in sessions]
        vocabulary = build_vocabulary(keyed, statements)
    else:
        keys = keying(given, statements, {e.statement for s in sessions for e in s.events})
        keyed = [_as_session(s, keys.event_of) for s in sessions]
        vocabulary, outside = keys.vocabulary, keys.outside
        in_vocabulary = sum(1 for s in sessions for e in s.events if e.statement in keys.event_of)
    written.extend(write_folder(inside(out_dir, "sequences"), keyed, vocabulary))
    root = out_dir.resolve()
    return ExportResult([str(p.relative_to(root)) for p in written], len(records), len(sessions),
                        len(vocabulary), in_vocabulary, outside)
