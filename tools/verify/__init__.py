"""Path verification: a verdict for every candidate path, z3 first, then an LLM's chain of thought.

A stage of its own in the data flow (paths -> verify -> synth). Public API::

    verify_paths(program, paths, backend, *, concurrency=4) -> list[Verdict]   # one per path, in order
    symbolic_verdict(path) -> Verdict                                          # what z3 alone says
    verdict_counts(verdicts) -> {"<source>/<kind>": n}
    build_verify_messages(program, path) / verdict_schema(path_id)            # the prompt and its schema
"""

from anomalygen.tools.verify.prompts import build_verify_messages, verdict_schema
from anomalygen.tools.verify.verdicts import (
    FALLBACK,
    LLM,
    SYMBOLIC,
    interpret,
    symbolic_verdict,
    verdict_counts,
    verify_paths,
)

__all__ = ["FALLBACK", "LLM", "SYMBOLIC", "build_verify_messages", "interpret", "symbolic_verdict",
           "verdict_counts", "verdict_schema", "verify_paths"]
