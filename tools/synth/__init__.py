"""Synthesis of labeled log sessions from verified paths (the rooms after tools/verify).

Sub-rooms: ``params`` (slot values), ``compose`` (sessions shaped like real ones), ``labels``
(recovery-aware rules, LLM refinement), ``export`` (dataset, trace check, report). Public API, one
function per pipeline stage::

    read_real_logs(program, files, fmt, session_by, labels_csv) -> RealLogs
    read_structure(statements, vocabulary, key_files) -> RealStructure
    plan_parameters(statements, kept, observed, backend, *, concurrency, max_statements) -> PlanOutcome
    synthesize_sessions(kept, statements, plan, real, rules, *, seed, count, min_level, callees)
        -> Synthesized
    label_all(sessions, kept, statements, rules, anomalous_only, backend, *, concurrency,
              max_sessions) -> Labelled
    export(out_dir, sessions, statements, verdicts) -> ExportResult; check_export(out_dir, statements)
"""

from anomalygen.tools.synth.compose.synthesize import Synthesized, silenced, synthesize_sessions
from anomalygen.tools.synth.export.dataset import ExportResult, export, export_paths
from anomalygen.tools.synth.export.trace import TraceResult, check_export
from anomalygen.tools.synth.labels.labelling import Labelled, label_all
from anomalygen.tools.synth.labels.rules import LabelRules
from anomalygen.tools.synth.model import SynthEvent, SynthSession
from anomalygen.tools.synth.params.plan import ParameterPlan
from anomalygen.tools.synth.params.planning import PlanOutcome, plan_parameters
from anomalygen.tools.synth.real_logs import RealLogs, read_real_logs
from anomalygen.tools.synth.render import render
from anomalygen.tools.synth.structure import RealStructure, read_structure, repeated_statements
from anomalygen.tools.synth.vocabulary import VocabularyError

__all__ = [
    "ExportResult",
    "LabelRules",
    "Labelled",
    "ParameterPlan",
    "PlanOutcome",
    "RealLogs",
    "RealStructure",
    "SynthEvent",
    "SynthSession",
    "Synthesized",
    "TraceResult",
    "VocabularyError",
    "check_export",
    "export",
    "export_paths",
    "label_all",
    "plan_parameters",
    "read_real_logs",
    "read_structure",
    "render",
    "repeated_statements",
    "silenced",
    "synthesize_sessions",
]
