"""Symbolic feasibility of a path's conditions with z3.

Each condition is parsed (``exprs.py``) and translated to z3 over symbols named by scope (the method
activation on the path), variable and version:

- an ``assign`` fact ``x = e`` starts a new version of ``x`` equal to ``e``; when ``e`` cannot be
  translated (a call's result) and for ``havoc x`` the new version is a free value, exactly like a
  parameter: a satisfying assignment then says "some value of it makes the path run";
- an ``iterate`` fact (a loop went round again) starts a new epoch for everything in that scope that
  is not tracked by assignments, since the loop body may have changed it;
- method calls (``a.isReady()``, ``q.size()``) and untranslatable conditions become opaque symbols
  keyed by their normalized text, so ``a.isReady()`` and ``!a.isReady()`` on one path contradict;
- ALL_CAPS names (enum values, constants) compared for equality are distinct non-null values, and so
  are string literals; ``null`` is 0.

The answer is UNSAT when z3 proves the conjunction contradictory, SAT when satisfiable and every
condition was translated exactly, and UNKNOWN otherwise (the LLM stage decides those).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import z3

from anomalygen.records import Condition, Feasibility
from anomalygen.tools.lcfg.exprs import Expr, parse_condition
from anomalygen.tools.lcfg.solver import Formula, decide

BOOKKEEPING = frozenset({"assign", "havoc", "iterate", "bind"})
SEMANTIC = frozenset({"catch"})
"""Kinds that no solver can decide from the text alone: whether the body can throw that type."""
_CONST_BASE = 1_000_000_007
"""Enum constants and string literals compared for equality get distinct values from here up."""


@dataclass(slots=True)
class _Scope:
    epoch: int = 0
    versions: dict[str, int] = field(default_factory=dict)


class _Translator:
    """Conditions -> a small formula IR (tuples) over scoped, versioned symbol names.

    Bool forms: ``("B", sym)``, ``("BV", value)``, ``("not", a)``, ``("and", a, b)``, ``("or", a, b)``,
    ``("beq", a, b)``, ``("cmp", op, i, j)``, ``("ite", c, a, b)``; integer forms: ``("I", sym)``,
    ``("IV", value)``, ``("neg", i)``, ``("ar", op, i, j)``, ``("iite", c, i, j)``. Only the parts
    that can interact go to z3 (see ``_needs_solver``), which keeps most checks in pure Python.
    """

    def __init__(self, bool_names: set[tuple[str, str]]) -> None:
        self.bool_names = bool_names
        self.scopes: dict[str, _Scope] = {}
        self.exact = True
        self.constants: dict[str, int] = {}
        self.scope = ""

    def _state(self) -> _Scope:
        return self.scopes.setdefault(self.scope, _Scope())

    def symbol(self, name: str) -> str:
        state = self._state()
        version = state.versions.get(name)
        if version is None:
            return f"{self.scope}|{name}@{state.epoch}"
        return f"{self.scope}|{name}#{version}"

    def new_version(self, name: str) -> str:
        state = self._state()
        state.versions[name] = state.versions.get(name, 0) + 1
        return f"{self.scope}|{name}#{state.versions[name]}"

    def _opaque(self, key: str) -> Formula:
        return ("B", f"{self.scope}|{key}@{self._state().epoch}")

    def constant(self, text: str) -> Formula:
        return ("IV", self.constants.setdefault(text, _CONST_BASE + len(self.constants)))

    # -- translation ------------------------------------------------------------------------------
    def boolean(self, e: Expr) -> Formula:
        tag = e[0]
        if tag == "bool":
            return ("BV", bool(e[1]))
        if tag == "not":
            return ("not", self.boolean(e[1]))
        if tag in ("and", "or"):
            return (tag, self.boolean(e[1]), self.boolean(e[2]))
        if tag == "name":
            return ("B", self.symbol(e[1]))
        if tag == "call":
            if not e[2]:
                self.exact = False
            return self._opaque(e[1])
        if tag == "cmp":
            return self._compare(e)
        if tag == "equals":
            return self._equal(e[1], e[2])
        if tag == "instanceof":
            subject = self.integer(e[1])
            atom = self._opaque(f"instanceof:{e[1]!r}:{e[2]}")
            return ("and", atom, ("not", ("cmp", "==", subject, ("IV", 0)))) if subject is not None else atom
        if tag == "ternary":
            return ("ite", self.boolean(e[1]), self.boolean(e[2]), self.boolean(e[3]))
        self.exact = False
        return self._opaque(f"opaque:{e!r}")

    def _compare(self, e: Expr) -> Formula:
        op, a, b = e[1], e[2], e[3]
        if op in ("==", "!=") and ({a[0], b[0]} & {"bool"} or self._is_bool(a) or self._is_bool(b)):
            eq: Formula = ("beq", self.boolean(a), self.boolean(b))
            return eq if op == "==" else ("not", eq)
        if op in ("==", "!="):
            eq = self._equal(a, b)
            return eq if op == "==" else ("not", eq)
        left, right = self.integer(a), self.integer(b)
        if left is None or right is None:
            self.exact = False
            return self._opaque(f"opaque:{e!r}")
        return ("cmp", op, left, right)

    def _is_bool(self, e: Expr) -> bool:
        return e[0] in ("not", "and", "or", "instanceof") or (
            e[0] == "name" and (self.scope, e[1]) in self.bool_names)

    def _equal(self, a: Expr, b: Expr) -> Formula:
        left, right = self.integer(a, equality=True), self.integer(b, equality=True)
        if left is None or right is None:
            self.exact = False
            return self._opaque(f"opaque:eq:{a!r}:{b!r}")
        return ("cmp", "==", left, right)

    def integer(self, e: Expr, equality: bool = False) -> Formula | None:
        tag = e[0]
        if tag == "int":
            return ("IV", e[1])
        if tag == "null":
            return ("IV", 0)
        if tag == "str":
            return self.constant("str:" + e[1])
        if tag == "const":
            return self.constant("const:" + e[1]) if equality else ("I", f"const|{e[1]}")
        if tag == "name":
            return ("I", self.symbol(e[1]))
        if tag == "call":
            if not e[2]:
                self.exact = False
            return ("I", f"{self.scope}|{e[1]}@{self._state().epoch}")
        if tag == "neg":
            inner = self.integer(e[1])
            return ("neg", inner) if inner is not None else None
        if tag == "arith":
            left, right = self.integer(e[2]), self.integer(e[3])
            if left is None or right is None:
                return None
            return ("ar", e[1], left, right)
        if tag == "ternary":
            a, b = self.integer(e[2], equality), self.integer(e[3], equality)
            if a is None or b is None:
                return None
            return ("iite", self.boolean(e[1]), a, b)
        return None


def _bool_context(e: Expr, out: set[str]) -> None:
    """Names used as booleans (operands of !, &&, || or the whole condition)."""
    tag = e[0]
    if tag == "name":
        out.add(e[1])
    elif tag == "not":
        _bool_context(e[1], out)
    elif tag in ("and", "or"):
        _bool_context(e[1], out)
        _bool_context(e[2], out)


def _split_assignment(expression: str) -> tuple[str, str] | None:
    target, sep, value = expression.partition(" = ")
    return (target.strip(), value) if sep else None


def translate(conditions: Sequence[Condition]) -> tuple[list[Formula], bool]:
    """The constraints of ``conditions`` in order, and whether every one was translated exactly."""
    bool_names: set[tuple[str, str]] = set()
    for c in conditions:
        if c.kind not in BOOKKEEPING and c.kind not in SEMANTIC:
            names: set[str] = set()
            _bool_context(parse_condition(c.expression), names)
            bool_names.update((c.scope, n) for n in names)
    t = _Translator(bool_names)
    constraints: list[Formula] = []
    for c in conditions:
        t.scope = c.scope
        if c.kind == "iterate":
            t._state().epoch += 1
        elif c.kind == "havoc":
            t.new_version(c.expression.strip())
        elif c.kind == "assign":
            split = _split_assignment(c.expression)
            if split is not None:
                _assign(t, constraints, *split)
        elif c.kind == "bind":  # scope "callee<caller": the argument is read in the caller's scope
            split = _split_assignment(c.expression)
            target_scope, _, source_scope = c.scope.partition("<")
            if split is not None:
                _assign(t, constraints, *split, source_scope=source_scope, target_scope=target_scope)
        elif c.kind in SEMANTIC:
            t.exact = False
        else:
            formula = t.boolean(parse_condition(c.expression))
            constraints.append(formula if c.holds else ("not", formula))
    return constraints, t.exact


def _assign(t: _Translator, constraints: list[Formula], target: str, value: str,
            source_scope: str | None = None, target_scope: str | None = None) -> None:
    parsed = parse_condition(value)
    exact_before, t.exact = t.exact, True
    if target_scope is not None:
        t.scope = target_scope
    is_bool = (t.scope, target) in t.bool_names
    if source_scope is not None:
        t.scope = source_scope
    formula: Formula | None
    if is_bool:
        formula = None if parsed[0] == "opaque" else t.boolean(parsed)
    else:
        formula = t.integer(parsed, equality=True)
    known = formula is not None and t.exact
    t.exact = exact_before  # an untranslatable value is a free one, not an approximation
    if target_scope is not None:
        t.scope = target_scope
    sym = t.new_version(target)
    if known and formula is not None:
        constraints.append(("beq", ("B", sym), formula) if is_bool else ("cmp", "==", ("I", sym), formula))


def check_feasibility(conditions: Iterable[Condition]) -> Feasibility:
    """SAT, UNSAT, or UNKNOWN (some condition needs a semantic check) for a path's conditions."""
    conds = list(conditions)
    if not conds:
        return Feasibility.SAT
    constraints, exact = translate(conds)
    result = decide(constraints) if constraints else z3.sat
    if result == z3.unsat:
        return Feasibility.UNSAT
    if result == z3.sat and exact:
        return Feasibility.SAT
    return Feasibility.UNKNOWN
