"""Runtime logs: formats, line -> source log statement matching, sessions, coverage.

Public API (everything streams; nothing holds a whole log in memory unless the caller collects it)::

    read_entries(path, fmt="auto") -> Iterator[LogEntry]          # hdfs | zookeeper | layout | auto
    build_matcher(statements) -> Matcher                           # Matcher.match(message, level=, hint=)
    match_file(program_or_statements, paths, fmt) -> Iterator[MatchedLine]
    observed_parameters(matched_lines) -> {statement_id: [param tuples]}
    sessions_by_identifier(matched_lines, pattern) -> list[Session]
    export_key_sequences(sessions, out_dir, statements) / import_key_sequences(out_dir)
"""

from anomalygen.tools.logs.coverage import CoverageCounter, summarise
from anomalygen.tools.logs.entry import LogEntry
from anomalygen.tools.logs.fallback import FallbackClusters
from anomalygen.tools.logs.formats import HDFS, ZOOKEEPER, LogFormat
from anomalygen.tools.logs.keyseq import export_key_sequences, import_key_sequences, read_key_file
from anomalygen.tools.logs.layout import FormatError, compile_layout
from anomalygen.tools.logs.match import MatchedLine, match_entries, match_file, observed_parameters
from anomalygen.tools.logs.matcher import Match, Matcher, build_matcher
from anomalygen.tools.logs.reader import LogReadError, read_entries, resolve_format
from anomalygen.tools.logs.sessions import (
    HDFS_BLOCK,
    ZK_SESSION,
    make_sessions,
    parse_spec,
    sessions_by_count,
    sessions_by_identifier,
    sessions_by_slot,
    sessions_by_window,
)
from anomalygen.tools.logs.stats import ReadStats
from anomalygen.tools.logs.templates_csv import TemplatesError, load_templates

__all__ = [
    "HDFS",
    "HDFS_BLOCK",
    "ZK_SESSION",
    "ZOOKEEPER",
    "CoverageCounter",
    "FallbackClusters",
    "FormatError",
    "LogEntry",
    "LogFormat",
    "LogReadError",
    "Match",
    "MatchedLine",
    "Matcher",
    "ReadStats",
    "TemplatesError",
    "build_matcher",
    "compile_layout",
    "export_key_sequences",
    "import_key_sequences",
    "load_templates",
    "make_sessions",
    "match_entries",
    "match_file",
    "observed_parameters",
    "parse_spec",
    "read_entries",
    "read_key_file",
    "resolve_format",
    "sessions_by_count",
    "sessions_by_identifier",
    "sessions_by_slot",
    "sessions_by_window",
    "summarise",
]
