"""Deciding a conjunction of formula-IR constraints (see ``feasibility._Translator``) cheaply.

Constraints are split into independent components (no shared symbol). A component that is one
*read-once* constraint (every symbol occurs once, atoms are variables or comparisons of a variable
with a constant or another variable) is satisfiable without asking anything: each atom can be made
true or false on its own. Only the rest go to z3, component by component, and each component's
answer is cached, since paths from one entry share most of their conditions.
"""

from __future__ import annotations

from typing import Any

import z3

Formula = tuple[Any, ...]

_CACHE: dict[tuple[Formula, ...], z3.CheckSatResult] = {}
_CACHE_LIMIT = 200_000
_SOLVER: list[z3.Solver] = []


def _symbols(f: Formula, out: list[str]) -> None:
    tag = f[0]
    if tag in ("B", "I"):
        out.append(f[1])
        return
    for part in f[1:]:
        if isinstance(part, tuple):
            _symbols(part, out)


def _read_once_atoms(f: Formula) -> bool:
    tag = f[0]
    if tag == "B":
        return True
    if tag in ("not", "and", "or"):
        return all(_read_once_atoms(p) for p in f[1:])
    if tag == "cmp":
        a, b = f[2], f[3]
        return (a[0] == "I" and b[0] in ("I", "IV")) or (b[0] == "I" and a[0] == "IV")
    return False


def trivially_satisfiable(f: Formula) -> bool:
    names: list[str] = []
    _symbols(f, names)
    return bool(names) and len(names) == len(set(names)) and _read_once_atoms(f)


_BOOLEAN = frozenset({"B", "BV", "not", "and", "or", "beq"})
BRUTE_FORCE_VARIABLES = 8
"""Purely boolean components with at most this many variables are decided by truth table."""


def _is_boolean(f: Formula) -> bool:
    return f[0] in _BOOLEAN and all(_is_boolean(p) for p in f[1:] if isinstance(p, tuple))


def _evaluate(f: Formula, env: dict[str, bool]) -> bool:
    tag = f[0]
    if tag == "B":
        return env[f[1]]
    if tag == "BV":
        return bool(f[1])
    if tag == "not":
        return not _evaluate(f[1], env)
    if tag == "and":
        return _evaluate(f[1], env) and _evaluate(f[2], env)
    if tag == "or":
        return _evaluate(f[1], env) or _evaluate(f[2], env)
    return _evaluate(f[1], env) == _evaluate(f[2], env)  # beq


def _truth_table(formulas: tuple[Formula, ...]) -> z3.CheckSatResult | None:
    """sat/unsat of a small purely boolean component without z3; None when it does not apply."""
    if not all(_is_boolean(f) for f in formulas):
        return None
    names: list[str] = []
    for f in formulas:
        _symbols(f, names)
    variables = sorted(set(names))
    if len(variables) > BRUTE_FORCE_VARIABLES:
        return None
    for bits in range(1 << len(variables)):
        env = {name: bool(bits >> i & 1) for i, name in enumerate(variables)}
        if all(_evaluate(f, env) for f in formulas):
            return z3.sat
    return z3.unsat


def components(constraints: list[Formula]) -> list[list[int]]:
    parent = list(range(len(constraints)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, formula in enumerate(constraints):
        names: list[str] = []
        _symbols(formula, names)
        for name in names:
            other = owner.setdefault(name, index)
            if other != index:
                parent[find(other)] = find(index)
    groups: dict[int, list[int]] = {}
    for index in range(len(constraints)):
        groups.setdefault(find(index), []).append(index)
    return list(groups.values())


class _Z3:
    def __init__(self) -> None:
        self.cache: dict[Formula, Any] = {}

    def convert(self, f: Formula) -> Any:
        hit = self.cache.get(f)
        if hit is not None:
            return hit
        tag = f[0]
        result: Any
        if tag == "B":
            result = z3.Bool(f[1])
        elif tag == "I":
            result = z3.Int(f[1])
        elif tag == "BV":
            result = z3.BoolVal(f[1])
        elif tag == "IV":
            result = z3.IntVal(f[1])
        elif tag == "not":
            result = z3.Not(self.convert(f[1]))
        elif tag == "and":
            result = z3.And(self.convert(f[1]), self.convert(f[2]))
        elif tag == "or":
            result = z3.Or(self.convert(f[1]), self.convert(f[2]))
        elif tag == "beq":
            result = self.convert(f[1]) == self.convert(f[2])
        elif tag in ("ite", "iite"):
            result = z3.If(self.convert(f[1]), self.convert(f[2]), self.convert(f[3]))
        elif tag == "neg":
            result = -self.convert(f[1])
        elif tag == "cmp":
            result = _compare(f[1], self.convert(f[2]), self.convert(f[3]))
        elif tag == "ar":
            result = _arith(f[1], self.convert(f[2]), self.convert(f[3]))
        else:
            raise ValueError(f"unknown formula {tag!r}")
        self.cache[f] = result
        return result


def _compare(op: str, a: Any, b: Any) -> Any:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    return a > b if op == ">" else a >= b


def _arith(op: str, a: Any, b: Any) -> Any:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / b if op == "/" else a % b


def _solver() -> z3.Solver:
    if not _SOLVER:
        solver = z3.Solver()
        solver.set("timeout", 2000)
        _SOLVER.append(solver)
    return _SOLVER[0]


def decide(constraints: list[Formula]) -> z3.CheckSatResult:
    """z3.sat, z3.unsat or z3.unknown for the conjunction of ``constraints``."""
    converter = _Z3()
    overall = z3.sat
    for group in components(constraints):
        if len(group) == 1 and trivially_satisfiable(constraints[group[0]]):
            continue
        key = tuple(constraints[i] for i in group)
        result = _CACHE.get(key)
        if result is None:
            result = _truth_table(key)
        if result is None:
            solver = _solver()
            solver.push()
            try:
                solver.add(*(converter.convert(f) for f in key))
                result = solver.check()
            finally:
                solver.pop()
            if len(_CACHE) > _CACHE_LIMIT:
                _CACHE.clear()
            _CACHE[key] = result
        if result == z3.unsat:
            return z3.unsat
        if result != z3.sat:
            overall = z3.unknown
    return overall
