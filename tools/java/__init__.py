"""The Java front end: files, types, methods, log statements and the call graph of a repository.

``load_program(root)`` is the entry point; the ``Program`` model (``model.py``) is what the
other rooms read.
"""

from __future__ import annotations

from anomalygen.tools.java.files import DEFAULT_EXCLUDES, SourceRootError
from anomalygen.tools.java.model import (
    CallSite,
    MethodInfo,
    NodeKey,
    Parameter,
    ParseError,
    Program,
    TypeInfo,
    call_key,
    node_key,
)
from anomalygen.tools.java.program import NoJavaSourceError, load_program
from anomalygen.tools.java.scope import SourceScope, add_scope_arguments, scope_from_args

__all__ = [
    "DEFAULT_EXCLUDES",
    "CallSite",
    "MethodInfo",
    "NoJavaSourceError",
    "NodeKey",
    "Parameter",
    "ParseError",
    "Program",
    "SourceRootError",
    "SourceScope",
    "TypeInfo",
    "add_scope_arguments",
    "call_key",
    "load_program",
    "node_key",
    "scope_from_args",
]
