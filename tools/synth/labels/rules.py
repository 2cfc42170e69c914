"""Rule labels for synthetic sessions, recovery-aware.

A path *fails* when it passes a catch or a throw, prints at a failure level (ERROR/FATAL), or one of
its templates uses failure wording (exception, fail, cannot, invalid, timeout, refused, corrupt).
A session is anomalous when one of its paths fails and no successful path of the same entry point
follows it later in the session: a failure followed by a successful retry is normal operation
("recovery-aware"), which is how HDFS and ZooKeeper logs label a retried replica write. The rules
are a small dataclass that a TOML or JSON file (or CLI flags) can change.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path as FilePath
from typing import Any

from anomalygen.records import Level, LogStatement, Path
from anomalygen.tools.synth.model import REAL_ANOMALY_REASON, SynthSession
from anomalygen.tools.synth.render import template_parts

DEFAULT_WORDS = ("exception", "fail", "cannot", "invalid", "timeout", "refused", "corrupt", "panic")
DEFAULT_RETRY_WORDS = ("retry", "retrying", "reattempt")
DEFAULT_TERMINAL_WORDS = ("giving up", "give up", "not retryable", "non-retryable", "abandon", "aborting")


@dataclass(frozen=True, slots=True)
class LabelRules:
    catch: bool = True
    """A path through a catch block fails."""
    throw: bool = True
    """A path that ends in (or passes) a throw fails."""
    levels: tuple[str, ...] = ("ERROR", "FATAL")
    """Levels whose lines mark a failure."""
    words: tuple[str, ...] = DEFAULT_WORDS
    """Failure wording, matched case-insensitively in a template's constant text."""
    recovery_aware: bool = True
    """A failure followed by a successful path of the same entry point is normal, and so is a path
    that fails, logs a retry, and ends without failing (a retry loop inside one method)."""
    retry_words: tuple[str, ...] = DEFAULT_RETRY_WORDS
    """Wording of a retry, matched case-insensitively in a template's constant text."""
    terminal_words: tuple[str, ...] = DEFAULT_TERMINAL_WORDS
    """Wording of a failure that will not be retried ("Giving up on replica X: the failure is not
    retryable"): a path printing one is never recovered by a retry inside it."""

    routine: tuple[str, ...] = ()
    """Statements the deployment prints routinely (``real_logs.routine_statements``): by the real
    log's own evidence they report how the system works (a client that hung up), not a failure."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_routine(self, statements: Iterable[str]) -> LabelRules:
        return replace(self, routine=tuple(sorted({*self.routine, *statements})))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> LabelRules:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown label rule setting(s): {', '.join(unknown)}; "
                             f"known: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name in ("levels", "words", "retry_words", "terminal_words", "routine"):
                if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                    raise ValueError(f"label rule {name!r} must be a list of strings")
                value = tuple(v.upper() if name == "levels" else v if name == "routine" else v.lower()
                              for v in value)
                if name == "levels":
                    for level in value:
                        Level.parse(level)
            elif not isinstance(value, bool):
                raise ValueError(f"label rule {name!r} must be true or false")
            values[name] = value
        return cls(**values)

    @classmethod
    def from_file(cls, path: FilePath) -> LabelRules:
        """Rules from a ``.toml`` (optionally under ``[labels]``) or ``.json`` file."""
        text = path.read_text(encoding="utf-8")
        data: Any = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a table of label rules")
        inner = data.get("labels", data)
        if not isinstance(inner, dict):
            raise ValueError(f"{path}: [labels] must be a table")
        return cls.from_mapping(inner)


def _constant(statement: LogStatement) -> str:
    return " ".join(template_parts(statement.template)).lower()


def _has_wording(statement: LogStatement, word: str) -> bool:
    """``word`` occurs in the constant text, except as the head of a camelCase identifier: the
    namenode's ``invalidSet`` or a ``timeoutMs`` setting name a thing, not a failure (blockstore's
    normal deletes print "is added to invalidSet" on every real block)."""
    text = " ".join(template_parts(statement.template))
    for match in re.finditer(re.escape(word), text, re.IGNORECASE):
        after = text[match.end():match.end() + 1]
        if not (after.isupper() and match.group()[-1].islower()):
            return True
    return False


def statement_failures(statement: LogStatement, rules: LabelRules) -> list[str]:
    if statement.id in rules.routine:
        return []
    reasons = []
    if statement.level in {Level.parse(name) for name in rules.levels}:
        reasons.append(f"logs at {statement.level.value} ({statement.id})")
    words = [w for w in rules.words if _has_wording(statement, w)]
    if words:
        reasons.append(f"failure wording {words[0]!r} ({statement.id})")
    return reasons


def retry_lines(statements: Mapping[str, LogStatement], rules: LabelRules) -> frozenset[str]:
    """Statements that say a retry (``retry_words``) and are not failures themselves."""
    return frozenset(sid for sid, s in statements.items()
                     if any(w in _constant(s) for w in rules.retry_words)
                     and not statement_failures(s, rules))


def failure_level_lines(statements: Mapping[str, LogStatement], rules: LabelRules) -> frozenset[str]:
    """Statements printed at a failure level (ERROR, FATAL by default)."""
    levels = {Level.parse(name) for name in rules.levels}
    return frozenset(sid for sid, s in statements.items() if s.level in levels)


def recovered_in_path(path: Path, statements: Mapping[str, LogStatement], rules: LabelRules) -> bool:
    """A retry loop inside one method: the path fails, logs a retry (before or after the failed
    attempt: "Retrying X (attempt 1 of 3)" often precedes it), and its last line is not a failure.
    A path that leaves through a throw, or prints a failure saying it will not be retried
    (``terminal_words``), never counts as recovered."""
    if not rules.recovery_aware or (rules.throw and path.through_throw):
        return False
    known = [statements[sid] for sid in path.statements if sid in statements]
    failing = [i for i, s in enumerate(known) if statement_failures(s, rules)]
    if not failing or failing[-1] == len(known) - 1:
        return False
    if any(any(w in _constant(known[i]) for w in rules.terminal_words) for i in failing):
        return False
    # A failing line's own wording ("not retryable") is not a retry.
    return any(any(w in _constant(s) for w in rules.retry_words)
               for i, s in enumerate(known) if i not in failing)


def failure_reasons(path: Path, statements: Mapping[str, LogStatement], rules: LabelRules) -> list[str]:
    """Why ``path`` counts as a failure under ``rules`` (empty: it does not, or it recovered)."""
    if recovered_in_path(path, statements, rules):
        return []
    reasons = []
    # a handled exception whose every WARN-or-worse line the deployment prints routinely is part
    # of how the system works (ZooKeeper's "caught end of stream exception" on each hang-up)
    loud = [sid for sid in path.statements
            if sid in statements and statements[sid].level.severity >= Level.WARN.severity]
    routine = bool(loud) and all(sid in rules.routine for sid in loud)
    if rules.catch and path.through_catch and not routine:
        reasons.append("passes a catch block")
    if rules.throw and path.through_throw and not routine:
        reasons.append("passes a throw")
    for sid in path.statements:
        statement = statements.get(sid)
        if statement is not None:
            reasons.extend(statement_failures(statement, rules))
    return list(dict.fromkeys(reasons))


def label_session(session: SynthSession, paths: Mapping[str, Path], statements: Mapping[str, LogStatement],
                  rules: LabelRules) -> tuple[int, tuple[str, ...]]:
    """(label, reasons): 1 when a failing path is not followed by a successful path of its entry point."""
    # Where each run of a path starts: a path can run several times in one session (three
    # datanodes receive one block), so a retry is a run that *starts* after the failure ended.
    run_starts: dict[str, list[int]] = {}
    last_index: dict[str, int] = {}
    for i, event in enumerate(session.events):
        path = paths.get(event.path)
        starts_run = path is not None and bool(path.statements) and event.statement == path.statements[0]
        if starts_run or event.path not in run_starts:
            run_starts.setdefault(event.path, []).append(i)
        last_index[event.path] = i
    failing = {pid: failure_reasons(paths[pid], statements, rules) for pid in session.paths if pid in paths}
    reasons: list[str] = []
    recovered = [f"{pid} recovered by a retry within the path" for pid in session.paths
                 if pid in paths and recovered_in_path(paths[pid], statements, rules)]
    for pid, why in failing.items():
        if not why:
            continue
        entry = paths[pid].entry
        retried = rules.recovery_aware and any(
            not failing.get(other) and paths[other].entry == entry
            and any(start > last_index[pid] for start in run_starts.get(other, ()))
            for other in session.paths if other in paths and other != pid)
        if retried:
            recovered.append(f"{pid} recovered by a later successful path of {entry}")
        else:
            reasons.extend(f"{pid}: {w}" for w in why)
    if reasons:
        return 1, tuple(reasons)
    return 0, tuple(recovered)


def anomalous_only(real: Iterable[tuple[int | None, Sequence[str]]]) -> frozenset[str]:
    """Statements that real *labelled* sessions print only in anomalous ones (unlabelled real
    sessions say nothing: without labels the result is empty)."""
    in_normal: set[str] = set()
    in_anomalous: set[str] = set()
    for label, keys in real:
        if label == 0:
            in_normal.update(keys)
        elif label == 1:
            in_anomalous.update(keys)
    return frozenset(in_anomalous - in_normal)


def label_sessions(sessions: Sequence[SynthSession], paths: Mapping[str, Path],
                   statements: Mapping[str, LogStatement], rules: LabelRules,
                   seen_only_in_anomalies: frozenset[str] = frozenset()) -> list[SynthSession]:
    """Rule labels; a session the rules call normal that prints a statement real labelled
    sessions show only in anomalies (``anomalous_only``) is labelled anomalous instead, with why."""
    labeled = []
    for session in sessions:
        label, reasons = label_session(session, paths, statements, rules)
        if label == 0 and seen_only_in_anomalies:
            unseen = sorted({e.statement for e in session.events} & seen_only_in_anomalies)
            if unseen:
                label = 1
                reasons = tuple(f"prints {sid}, {REAL_ANOMALY_REASON}" for sid in unseen)
        labeled.append(session.labeled(label, label, "rules", reasons))
    return labeled
