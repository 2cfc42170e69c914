"""The Verify stage: a verdict for every candidate path, symbolic first, then an LLM's chain of thought.

z3 has already looked at each path (``Path.feasibility``): SAT paths are feasible and UNSAT ones
infeasible without asking anyone. Only UNKNOWN paths (conditions z3 could not translate) go to
the LLM, concurrently. Whatever goes wrong with one answer (timeout, unreachable server, invalid
JSON, a verdict for another path) costs only that path's LLM verdict: the backend has already
retried, and the path keeps its symbolic result, marked ``symbolic-fallback`` with the error as
rationale. The answer is data: it sets one ``Verdict`` and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence

from anomalygen.llm.base import Completion, LLMBackend, LLMError
from anomalygen.llm.concurrency import CompletionRequest, map_completions
from anomalygen.records import Feasibility, Path, Verdict, VerdictKind
from anomalygen.tools.java.model import Program
from anomalygen.tools.verify.prompts import DEFAULT_SOURCE_BUDGET, build_verify_messages, verdict_schema

SYMBOLIC = "symbolic"
LLM = "llm"
FALLBACK = "symbolic-fallback"
_RATIONALE_CHARS = 2000
_SERVER_DOWN = frozenset({"transport", "unavailable"})

_SYMBOLIC_RATIONALE = {
    Feasibility.SAT: "z3: the path's branch conditions are satisfiable together",
    Feasibility.UNSAT: "z3: the path's branch conditions contradict each other",
    Feasibility.UNKNOWN: "z3 could not decide (some conditions have no symbolic translation)",
}


def symbolic_verdict(path: Path, source: str = SYMBOLIC, note: str = "") -> Verdict:
    """What z3 alone says: SAT feasible, UNSAT infeasible, UNKNOWN undecided."""
    kind = {
        Feasibility.SAT: VerdictKind.FEASIBLE,
        Feasibility.UNSAT: VerdictKind.INFEASIBLE,
        Feasibility.UNKNOWN: VerdictKind.UNDECIDED,
    }[path.feasibility]
    rationale = _SYMBOLIC_RATIONALE[path.feasibility] + (f"; {note}" if note else "")
    return Verdict(path_id=path.id, kind=kind, source=source, rationale=rationale)


def needs_llm(path: Path) -> bool:
    return path.feasibility is Feasibility.UNKNOWN


def interpret(path: Path, answer: Completion | LLMError) -> Verdict:
    """The verdict one LLM answer gives ``path``, or the symbolic fallback when it gives none."""
    if isinstance(answer, LLMError):
        tries = f" after {answer.attempts} attempt(s)" if answer.attempts else ""
        return symbolic_verdict(path, FALLBACK, f"LLM failed{tries}: {_clip(str(answer), 500)}")
    parsed = answer.parsed
    # The schema pins path_id, but check again: an answer must never decide another path.
    if parsed is None or parsed.get("path_id") != path.id or not isinstance(parsed.get("feasible"), bool):
        return symbolic_verdict(path, FALLBACK, "LLM answer did not match the verdict schema for this path")
    confidence = parsed.get("confidence")
    return Verdict(
        path_id=path.id,
        kind=VerdictKind.FEASIBLE if parsed["feasible"] else VerdictKind.INFEASIBLE,
        source=LLM,
        rationale=_clip(" ".join(str(parsed.get("reasoning", "")).split()), _RATIONALE_CHARS),
        confidence=float(confidence) if isinstance(confidence, int | float) else None,
    )


def _clip(text: str, limit: int) -> str:
    """Head and tail of a long text: a chain of thought ends with its conclusion."""
    if len(text) <= limit:
        return text
    head = limit // 2
    return text[:head] + " ... " + text[-(limit - head - 5):]


def verify_paths(
    program: Program,
    paths: Sequence[Path],
    backend: LLMBackend,
    *,
    concurrency: int = 4,
    source_budget: int = DEFAULT_SOURCE_BUDGET,
    max_llm_paths: int | None = None,
) -> list[Verdict]:
    """One ``Verdict`` per path, in the order given.

    Sources: ``symbolic`` (z3 decided, no LLM is available, or beyond ``max_llm_paths``), ``llm``
    (the model's CoT decided an UNKNOWN path), ``symbolic-fallback`` (the LLM was asked and failed;
    z3's undecided result stands). Never raises for LLM failures.
    """
    verdicts: list[Verdict | None] = [None] * len(paths)
    asked: list[int] = []
    for index, path in enumerate(paths):
        over_budget = max_llm_paths is not None and len(asked) >= max_llm_paths
        if needs_llm(path) and backend.available and not over_budget:
            asked.append(index)
        else:
            note = "" if not needs_llm(path) else (
                "not asked: LLM path budget spent" if backend.available else "no LLM configured")
            verdicts[index] = symbolic_verdict(path, SYMBOLIC, note)
    # Paths through the same methods are asked back to back: their prompts share the quoted source
    # as a prefix, which the server's prefix cache then computes once.
    asked.sort(key=lambda i: (paths[i].methods, i))
    requests = [
        CompletionRequest(build_verify_messages(program, paths[i], source_budget=source_budget),
                          verdict_schema(paths[i].id))
        for i in asked
    ]
    for index, answer in zip(asked, _answers(backend, requests, concurrency), strict=True):
        verdicts[index] = interpret(paths[index], answer)
    return [v for v in verdicts if v is not None]


def _answers(
    backend: LLMBackend, requests: Sequence[CompletionRequest], concurrency: int
) -> list[Completion | LLMError]:
    """All answers, but one probe first: when the server cannot be reached at all, the other
    paths fall back at once instead of each spending its own retries and backoff on it."""
    if not requests:
        return []
    probe = map_completions(backend, requests[:1], concurrency=1)
    first = probe[0]
    if isinstance(first, LLMError) and first.kind in _SERVER_DOWN:
        return probe + [first] * (len(requests) - 1)
    return probe + map_completions(backend, requests[1:], concurrency=concurrency)


def verdict_counts(verdicts: Sequence[Verdict]) -> dict[str, int]:
    """``{"<source>/<kind>": count}``, for reports."""
    counts: dict[str, int] = {}
    for verdict in verdicts:
        key = f"{verdict.source}/{verdict.kind.value}"
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))
