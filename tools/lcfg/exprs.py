"""Parse a condition's Java source text into a small tuple tree the solver translator can read.

The text is parsed by tree-sitter inside a wrapper declaration, never evaluated. Forms:
``("int", v)``, ``("bool", v)``, ``("null",)``, ``("str", text)``, ``("name", text)``,
``("const", NAME)`` (an ALL_CAPS constant or enum value), ``("call", text, simple)``,
``("not", a)``, ``("and", a, b)``, ``("or", a, b)``, ``("cmp", op, a, b)``, ``("arith", op, a, b)``,
``("neg", a)``, ``("instanceof", a, type)``, ``("equals", a, b)``, ``("ternary", c, a, b)`` and
``("opaque", text)`` for anything else (floats, array access, lambdas...).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import tree_sitter_java
from tree_sitter import Language, Node, Parser

Expr = tuple[Any, ...]

_LANG = Language(tree_sitter_java.language())
_PARSER = Parser(_LANG)
_CONST = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SPACES = re.compile(r"\s+")
_PREFIX = b"class W { Object f = ("
_SIMPLE_ARGS = frozenset({"identifier", "field_access", "this", "decimal_integer_literal", "string_literal",
                          "true", "false", "null_literal", "character_literal"})
_INTS = frozenset({"decimal_integer_literal", "hex_integer_literal", "octal_integer_literal",
                   "binary_integer_literal"})
_CMP = frozenset({"==", "!=", "<", "<=", ">", ">="})
_ARITH = frozenset({"+", "-", "*", "/", "%"})


def _text(node: Node) -> str:
    raw = node.text.decode("utf-8", "replace") if node.text is not None else ""
    return _SPACES.sub("", raw)


@lru_cache(maxsize=65536)
def parse_condition(source: str) -> Expr:
    """The tuple tree of ``source``; ``("opaque", text)`` when it does not parse as one expression."""
    data = _PREFIX + source.encode("utf-8", "replace") + b"); }"
    tree = _PARSER.parse(data)
    if tree.root_node.has_error:
        return ("opaque", _SPACES.sub("", source))
    try:
        decl = tree.root_node.named_children[0].child_by_field_name("body").named_children[0]  # type: ignore[union-attr]
        value = decl.child_by_field_name("declarator").child_by_field_name("value")  # type: ignore[union-attr]
    except (AttributeError, IndexError):
        return ("opaque", _SPACES.sub("", source))
    if value is None:
        return ("opaque", _SPACES.sub("", source))
    try:
        return convert(value)
    except RecursionError:  # a thousand-term concatenation: not worth a formula
        return ("opaque", _SPACES.sub("", source))


def _name_text(node: Node) -> str | None:
    """``x``, ``this.x`` (as ``x``), ``a.b.c``: a variable-like access path, else None."""
    if node.type == "identifier":
        return _text(node)
    if node.type == "field_access":
        obj, fld = node.child_by_field_name("object"), node.child_by_field_name("field")
        if obj is None or fld is None:
            return None
        if obj.type == "this":
            return _text(fld)
        base = _name_text(obj)
        return f"{base}.{_text(fld)}" if base is not None else None
    return None


def _int_value(node: Node) -> int | None:
    raw = _text(node).replace("_", "").rstrip("lL")
    try:
        octal = raw.startswith("0") and raw != "0" and not raw.startswith(("0x", "0X", "0b", "0B"))
        return int(raw, 8) if octal else int(raw, 0)
    except ValueError:
        return None


def convert(node: Node) -> Expr:
    kind = node.type
    if kind == "parenthesized_expression" and node.named_child_count == 1:
        return convert(node.named_children[0])
    if kind in _INTS:
        value = _int_value(node)
        return ("int", value) if value is not None else ("opaque", _text(node))
    if kind in ("true", "false"):
        return ("bool", kind == "true")
    if kind == "null_literal":
        return ("null",)
    if kind == "string_literal":
        return ("str", _text(node))
    if kind == "character_literal":
        body = _text(node)[1:-1]
        return ("int", ord(body)) if len(body) == 1 else ("opaque", _text(node))
    name = _name_text(node)
    if name is not None:
        last = name.rsplit(".", 1)[-1]
        qualifier = name.rsplit(".", 1)[0] if "." in name else ""
        if _CONST.match(last) and (not qualifier or qualifier[:1].isupper()):
            return ("const", last)
        return ("name", name)
    if kind == "unary_expression":
        op, operand = node.child_by_field_name("operator"), node.child_by_field_name("operand")
        if op is None or operand is None:
            return ("opaque", _text(node))
        inner = convert(operand)
        if _text(op) == "!":
            return ("not", inner)
        if _text(op) == "-":
            return ("neg", inner)
        if _text(op) == "+":
            return inner
        return ("opaque", _text(node))
    if kind == "binary_expression":
        return _binary(node)
    if kind == "instanceof_expression":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return ("opaque", _text(node))
        return ("instanceof", convert(left), _text(right))
    if kind == "cast_expression":
        cast = node.child_by_field_name("value")
        return convert(cast) if cast is not None else ("opaque", _text(node))
    if kind == "ternary_expression":
        parts = [node.child_by_field_name(f) for f in ("condition", "consequence", "alternative")]
        if any(p is None for p in parts):
            return ("opaque", _text(node))
        return ("ternary", *(convert(p) for p in parts if p is not None))
    if kind == "method_invocation":
        return _call(node)
    return ("opaque", _text(node))


def _binary(node: Node) -> Expr:
    left, right, op = (node.child_by_field_name(f) for f in ("left", "right", "operator"))
    if left is None or right is None or op is None:
        return ("opaque", _text(node))
    operator = _text(op)
    a, b = convert(left), convert(right)
    if operator == "&&":
        return ("and", a, b)
    if operator == "||":
        return ("or", a, b)
    if operator in _CMP:
        return ("cmp", operator, a, b)
    if operator in _ARITH:
        return ("arith", operator, a, b)
    return ("opaque", _text(node))


def _call(node: Node) -> Expr:
    name = node.child_by_field_name("name")
    obj = node.child_by_field_name("object")
    args = node.child_by_field_name("arguments")
    arguments = list(args.named_children) if args is not None else []
    method = _text(name) if name is not None else ""
    if method == "equals" and obj is not None and len(arguments) == 1:
        return ("equals", convert(obj), convert(arguments[0]))
    if method == "equals" and obj is not None and _text(obj) == "Objects" and len(arguments) == 2:
        return ("equals", convert(arguments[0]), convert(arguments[1]))
    simple_receiver = obj is None or obj.type in ("identifier", "this", "field_access", "method_invocation")
    simple = simple_receiver and all(a.type in _SIMPLE_ARGS for a in arguments)
    return ("call", _text(node), simple)
