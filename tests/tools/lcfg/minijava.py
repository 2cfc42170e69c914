"""A deliberately tiny stand-in for tools/java, for the hand-written LCFG fixtures only.

It builds a ``Program`` from fixture sources with the simplest possible rules (a log call is
``LOG.<level>("literal", ...)``; a call resolves to every method with that name and arity) so the LCFG
tests check the LCFG code, not the real front end's resolution. Statement ids are ``<Type>:<line>``
so expected paths read naturally in the tests.
"""

from __future__ import annotations

from pathlib import Path

import tree_sitter_java
from tree_sitter import Language, Node, Parser

from anomalygen.records import Level, LogStatement
from anomalygen.tools.java.model import CallSite, MethodInfo, Parameter, Program, TypeInfo, call_key

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lcfg"
_LANG = Language(tree_sitter_java.language())
_LEVELS = {"trace", "debug", "info", "warn", "error"}
_TYPES = ("class_declaration", "interface_declaration", "enum_declaration")


def _text(node: Node | None) -> str:
    return node.text.decode() if node is not None and node.text is not None else ""


def load_fixture(*names: str, root: Path = FIXTURES) -> Program:
    program = Program(root=str(root))
    pending: list[tuple[str, Node]] = []
    for name in names:
        tree = Parser(_LANG).parse((root / name).read_bytes())
        program.files.append(name)
        _collect_types(program, name, tree.root_node, None)
        pending.append((name, tree.root_node))
    for file, tree_root in pending:
        _collect_invocations(program, file, tree_root)
    return program


def _collect_types(program: Program, file: str, node: Node, outer: str | None) -> None:
    for child in node.named_children:
        if child.type in _TYPES:
            name = _text(child.child_by_field_name("name"))
            full = f"{outer}.{name}" if outer else name
            sup = child.child_by_field_name("superclass")
            ifaces = child.child_by_field_name("interfaces")
            info = TypeInfo(full, name, child.type.split("_")[0], file,
                            superclass=_text(sup).replace("extends", "").strip() or None,
                            interfaces=tuple(_text(t) for t in ifaces.named_children[0].named_children)
                            if ifaces is not None else ())
            program.types[full] = info
            body = child.child_by_field_name("body")
            if body is not None:
                _collect_methods(program, file, info, body)
                _collect_types(program, file, body, full)


def _collect_methods(program: Program, file: str, owner: TypeInfo, body: Node) -> None:
    for member in body.named_children:
        if member.type not in ("method_declaration", "constructor_declaration"):
            continue
        name = _text(member.child_by_field_name("name"))
        formal = member.child_by_field_name("parameters")
        params = tuple(Parameter(_text(p.child_by_field_name("name")), _text(p.child_by_field_name("type")))
                       for p in (formal.named_children if formal is not None else [])
                       if p.type == "formal_parameter")
        mid = f"{owner.name}.{name}({','.join(p.type_name for p in params)})"
        mods = next((c for c in member.named_children if c.type == "modifiers"), None)
        info = MethodInfo(mid, owner.name, name, params, _text(member.child_by_field_name("type")), file,
                          member.start_point[0] + 1, member.end_point[0] + 1, member,
                          member.child_by_field_name("body"),
                          modifiers=tuple(_text(mods).split()) if mods is not None else ())
        program.methods[mid] = info
        owner.methods.append(mid)
        if info.body is not None:
            _collect_nested(program, file, info, info.body)


def _collect_nested(program: Program, file: str, method: MethodInfo, root: Node) -> None:
    """Lambdas become methods of their own; anonymous classes become types (iterative: fixtures
    include pathologically deep code)."""
    stack = [(method, root)]
    while stack:
        owner, node = stack.pop()
        for child in node.named_children:
            if child.type == "lambda_expression":
                mid = f"{owner.id}$lambda@{child.start_point[0] + 1}:{child.start_point[1] + 1}"
                info = MethodInfo(mid, owner.type_name, "lambda", (), "", file, child.start_point[0] + 1,
                                  child.end_point[0] + 1, child, child.child_by_field_name("body"),
                                  is_lambda=True)
                program.methods[mid] = info
                stack.append((info, child))
            elif child.type == "class_body" and node.type == "object_creation_expression":
                anon = TypeInfo(f"{owner.type_name}$anon@{child.start_point[0] + 1}", "anon", "class", file,
                                superclass=_text(node.child_by_field_name("type")))
                program.types[anon.name] = anon
                _collect_methods(program, file, anon, child)
            else:
                stack.append((owner, child))


def _enclosing(program: Program, file: str, node: Node) -> str:
    best: MethodInfo | None = None
    for m in program.methods.values():
        body = m.body
        if m.file == file and body is not None and body.start_byte <= node.start_byte < body.end_byte and (
                best is None or best.body is None or body.start_byte >= best.body.start_byte):
            best = m
    return best.id if best is not None else ""


def _collect_invocations(program: Program, file: str, node: Node) -> None:
    stack = [node]
    while stack:
        cur = stack.pop()
        stack.extend(cur.named_children)
        if cur.type not in ("method_invocation", "object_creation_expression"):
            continue
        line = cur.start_point[0] + 1
        caller = _enclosing(program, file, cur)
        receiver = cur.child_by_field_name("object")
        name = _text(cur.child_by_field_name("name")) or _text(cur.child_by_field_name("type"))
        args = cur.child_by_field_name("arguments")
        arity = args.named_child_count if args is not None else 0
        if _text(receiver) == "LOG" and name in _LEVELS:
            caller_type = program.methods[caller].type_name if caller else ""
            sid = f"{caller_type.split('.')[-1]}:{line}"
            first = args.named_children[0] if args is not None and args.named_child_count else None
            template = _text(first).strip('"')
            program.log_statements[sid] = LogStatement(sid, file, line, Level.parse(name), template,
                                                       type_name=caller_type, method=caller)
            program.log_at[call_key(file, cur)] = sid
            continue
        targets = tuple(m.id for m in program.methods.values()
                        if (m.name == name or (cur.type == "object_creation_expression"
                                               and m.type_name.split(".")[-1] == name
                                               and m.name == name))
                        and m.arity == arity and m.body is not None)
        program.calls[call_key(file, cur)] = CallSite(caller, call_key(file, cur), name, arity, line,
                                                         _text(receiver) or None, targets)
