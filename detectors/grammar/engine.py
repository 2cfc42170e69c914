"""Which build of the grammar transform to run: the compiled one when it is current, else Python.

``grammar_transform.py`` is the one source. setup.py also compiles it with Cython (declarations in
``grammar_transform.pxd``) as ``_grammar_compiled``, stamped with the SHA-256 of the source it was
built from. That build is used only while the stamp matches the ``.py`` on disk: after an edit
without a reinstall the pure-Python transform runs (with a warning) instead of stale code. Both
builds produce identical grammars and scores (tests/detectors/test_grammar_engine.py).

``ANOMALYGEN_GRAMMAR_ENGINE`` = ``auto`` (default), ``python`` (force the pure transform) or
``compiled`` (fail if the compiled build is missing or stale).
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
from pathlib import Path
from types import ModuleType
from typing import cast

from anomalygen.detectors.grammar import transform as grammar_transform

log = logging.getLogger(__name__)

ENGINE_VARIABLE = "ANOMALYGEN_GRAMMAR_ENGINE"
COMPILED_MODULE = "anomalygen.detectors.grammar._compiled"


class GrammarEngineError(RuntimeError):
    """``ANOMALYGEN_GRAMMAR_ENGINE=compiled`` but no current compiled build is installed."""


def source_digest() -> str:
    return hashlib.sha256(Path(grammar_transform.__file__).read_bytes()).hexdigest()


def compiled_module() -> tuple[ModuleType | None, str]:
    """(the compiled build, "") when it is installed and built from the current source, else
    (None, why not)."""
    try:
        module = importlib.import_module(COMPILED_MODULE)
    except ImportError as exc:
        return None, f"not built ({exc})"
    if getattr(module, "SOURCE_SHA256", None) != source_digest():
        return None, "built from an older grammar_transform.py (reinstall: pip install -e .)"
    return module, ""


def select(choice: str | None = None) -> tuple[ModuleType, str]:
    """(module providing GrammarCore and intern_codes, "compiled" or "python")."""
    choice = (choice or os.environ.get(ENGINE_VARIABLE) or "auto").strip().lower()
    if choice not in ("auto", "python", "compiled"):
        raise GrammarEngineError(f"{ENGINE_VARIABLE}={choice!r}: use auto, python or compiled")
    if choice == "python":
        return grammar_transform, "python"
    module, why = compiled_module()
    if module is not None:
        return module, "compiled"
    if choice == "compiled":
        raise GrammarEngineError(f"compiled grammar transform unavailable: {why}")
    if "older" in why:
        log.warning("grammar transform: compiled build %s; using the pure-Python one", why)
    return grammar_transform, "python"


_module, ENGINE = select()
GrammarCore = cast("type[grammar_transform.GrammarCore]", _module.GrammarCore)
intern_codes = grammar_transform.intern_codes
"""Interning is shared: it is C loops already (``dict.fromkeys``, ``map``)."""
