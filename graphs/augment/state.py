"""The augment graph's state: plain JSON-able data only, so the SQLite checkpointer can store it.

Records travel as their ``to_dict`` form. The parsed ``Program`` (which owns tree-sitter trees) is
never in the state: nodes reload it through the toolkit's in-process cache keyed by repository.
Fields are filled stage by stage; a field's presence means its stage finished.
"""

from __future__ import annotations

from typing import Annotated, Any, NotRequired, TypedDict

from anomalygen.tools.synth.real_logs import RealLogs
from anomalygen.tools.synth.structure import RealStructure


def merge_dicts(left: dict[str, Any] | None, right: dict[str, Any] | None) -> dict[str, Any]:
    """Reducer for per-stage bookkeeping: each stage adds its own key."""
    return {**(left or {}), **(right or {})}


class LLMSettings(TypedDict):
    name: str
    """``none``, ``mock`` or ``openai`` (see ``anomalygen.llm.factory``)."""
    options: dict[str, Any]
    """Backend options without the API key (checkpoints never hold credentials)."""


class RunSettings(TypedDict):
    """What the user asked for; fixed for the life of a run (resuming reuses it)."""

    run_id: str
    """The run's id, also the checkpointer's thread id (what ``--resume`` takes)."""
    repo: str
    """Absolute path of the repository root."""
    out: str
    """Absolute path of the output folder; nothing is written outside it."""
    seed: int
    llm: LLMSettings
    logs: list[str]
    """Real log files (absolute paths); empty when none were given."""
    log_format: str
    log_labels: NotRequired[str | None]
    """CSV of real session labels (``id,label``): statements real sessions print only when
    anomalous make a synthetic session anomalous (absent in runs started before the option)."""
    min_level: NotRequired[str]
    """``auto``, ``none`` or a level: statements below it are left out of synthetic sessions."""
    vocabulary: NotRequired[str | None]
    """A loghub templates CSV or vocabulary.json: real key sessions are read in it and the exported
    sequences are keyed in it."""
    structure: NotRequired[list[str]]
    """Key-sequence files of real normal sessions in ``vocabulary`` (DeepLog's ``hdfs_train``)."""
    anomaly_share: NotRequired[float | None]
    """Share of anomalous sessions when real structure is used; None: the real labelled rate."""
    session_by: str
    """How real logs are cut into sessions (``auto``, ``blk``, ``zk-session``, ``window:60s``...)."""
    scope: NotRequired[dict[str, Any]]
    """What the scan reads: ``include`` and ``exclude`` globs, ``defaults`` (leave test trees and
    build tooling out); absent: the defaults."""
    entries: list[str]
    """Entry points to start from; empty: discovered automatically."""
    limit: int | None
    """Most paths enumerated; None: automatic (1000, or enough to reach every statement)."""
    max_depth: int
    per_entry: int
    sessions: int | None
    """Synthetic sessions to compose; None: one per kept path."""
    label_rules: dict[str, Any]
    """``LabelRules.to_dict``."""
    review: bool
    concurrency: int
    max_llm_requests: int
    """Cap on LLM requests per stage (parameter proposals, label refinement)."""


class ScanSummary(TypedDict):
    files: int
    methods: int
    log_statements: int
    parse_errors: int
    skipped: int


class Consistency(TypedDict):
    bound: dict[str, Any]
    """``Consistency.to_dict`` of the exported sessions."""
    unbound: dict[str, Any]
    """The same sessions with every slot drawn alone: the baseline."""


class AugmentState(TypedDict, total=False):
    settings: RunSettings
    """The run's settings (see ``RunSettings``)."""
    scan: ScanSummary
    """Program summary: files, methods, log statements, parse errors."""
    logs: RealLogs
    """What the real logs taught (absent when no logs were given)."""
    structure: RealStructure
    """The vocabulary's alignment and the real key sessions (absent without ``--vocabulary``)."""
    entries: list[str]
    """Entry points the paths start from."""
    paths: list[dict[str, Any]]
    """Enumerated paths (``Path.to_dict``), UNSAT ones already dropped by tools/lcfg."""
    statements: dict[str, dict[str, Any]]
    """``LogStatement.to_dict`` of every statement on an enumerated path, by id."""
    verdicts: list[dict[str, Any]]
    """One ``Verdict.to_dict`` per path, in path order."""
    kept: list[str]
    """Ids of the paths judged feasible or undecided (infeasible ones are dropped)."""
    plan: dict[str, list[dict[str, Any]]]
    """The parameter plan (``ParameterPlan.to_dict``) with LLM proposals merged in."""
    sessions: list[dict[str, Any]]
    """Composed, filled synthetic sessions (``SynthSession.to_dict``); labeled after ``labels``."""
    consistency: Consistency
    review: dict[str, bool]
    """The reviewer's decision: ``{"approved": bool}``."""
    export: dict[str, Any]
    """Files written, line counts and the run summary."""
    stats: Annotated[dict[str, Any], merge_dicts]
    """Per-stage counters (fallbacks, proposals, label refinements...), keyed by stage."""
    usage: Annotated[dict[str, Any], merge_dicts]
    """LLM usage spent by each stage (calls, tokens, retries, failures), keyed by stage."""
    timings: Annotated[dict[str, float], merge_dicts]
    """Seconds each stage took (kept out of report.md so the report is reproducible)."""
