"""A small real Program for the LLM tests: tests/llm/data/*.java parsed with tree-sitter, plus
hand-traced paths through it (the LCFG stage is another room's; these tests exercise Verify).

Kept independent of tools/java's scanner so the LLM tests do not break while it evolves; the
ids follow tools/java/model.py's conventions.
"""

from __future__ import annotations

from pathlib import Path as FsPath

import tree_sitter_java
from tree_sitter import Language, Node, Parser

from anomalygen.records import Condition, Feasibility, Level, LogStatement, Path
from anomalygen.tools.java.model import MethodInfo, Parameter, Program

DATA = FsPath(__file__).resolve().parent / "data"
_LEVELS = {"trace", "debug", "info", "warn", "error"}


def _text(node: Node | None) -> str:
    return (node.text or b"").decode() if node is not None else ""


def _walk(node: Node) -> list[Node]:
    out = [node]
    for child in node.children:
        out.extend(_walk(child))
    return out


def load_program(name: str = "BlockReceiver.java", source: bytes | None = None) -> Program:
    """Parse one fixture file (or ``source`` under that file name) into a Program."""
    data = source if source is not None else (DATA / name).read_bytes()
    tree = Parser(Language(tree_sitter_java.language())).parse(data)
    program = Program(root=str(DATA), files=[name])
    package = next((_text(n.child_by_field_name("name") or n.named_children[0])
                    for n in _walk(tree.root_node) if n.type == "package_declaration"), "")
    for node in _walk(tree.root_node):
        if node.type not in ("method_declaration", "constructor_declaration"):
            continue
        owner = node.parent.parent if node.parent is not None else None
        type_name = f"{package}.{_text(owner.child_by_field_name('name'))}" if owner else package
        params = tuple(
            Parameter(_text(p.child_by_field_name("name")), _text(p.child_by_field_name("type")))
            for p in (node.child_by_field_name("parameters") or node).named_children
            if p.type == "formal_parameter"
        )
        method_name = _text(node.child_by_field_name("name"))
        method_id = f"{type_name}.{method_name}({','.join(p.type_name for p in params)})"
        program.methods[method_id] = MethodInfo(
            id=method_id, type_name=type_name, name=method_name, parameters=params,
            return_type=_text(node.child_by_field_name("type")) or "void", file=name,
            start_line=node.start_point[0] + 1, end_line=node.end_point[0] + 1,
            node=node, body=node.child_by_field_name("body"),
        )
        for call in _walk(node):
            if call.type != "method_invocation" or _text(call.child_by_field_name("object")) != "LOG":
                continue
            level = _text(call.child_by_field_name("name"))
            args = call.child_by_field_name("arguments")
            arg_nodes = args.named_children if args else []
            literal = next((a for a in arg_nodes if a.type == "string_literal"), None)
            if level not in _LEVELS or literal is None:
                continue
            line = call.start_point[0] + 1
            statement = LogStatement(id=f"{name}:{line}", file=name, line=line, level=Level.parse(level),
                                     template=_text(literal).strip('"'), type_name=type_name,
                                     method=method_id)
            program.log_statements[statement.id] = statement
    return program


def statement_at(program: Program, line: int) -> str:
    return next(s.id for s in program.log_statements.values() if s.line == line)


RECEIVE = "org.example.blockstore.BlockReceiver.receiveBlock(String,byte[],String)"
DELETE = "org.example.blockstore.BlockReceiver.deleteBlock(String)"


def _cond(expression: str, holds: bool, line: int, kind: str = "if") -> Condition:
    return Condition(expression=expression, holds=holds, file="BlockReceiver.java", line=line, kind=kind)


def receiver_paths(program: Program) -> list[Path]:
    """Paths through BlockReceiver.java as the LCFG stage would report them."""
    def s(line: int) -> str:
        return statement_at(program, line)

    empty = _cond("data == null || data.length == 0", False, 18)
    exists = _cond("storage.exists(blockId)", False, 22)
    loop = _cond("attempt < retries", True, 28, "loop")
    return [
        Path("p-stored", RECEIVE, (s(17), s(31)), (empty, exists, loop),
             Feasibility.UNKNOWN, methods=(RECEIVE,)),
        Path("p-empty", RECEIVE, (s(17), s(19)), (_cond("data == null || data.length == 0", True, 18),),
             Feasibility.SAT, methods=(RECEIVE,)),
        Path("p-duplicate", RECEIVE, (s(17), s(23)), (empty, _cond("storage.exists(blockId)", True, 22)),
             Feasibility.UNKNOWN, methods=(RECEIVE,)),
        Path("p-retry-give-up", RECEIVE, (s(17), s(35), s(38)),
             (empty, exists, loop, _cond("IOException", True, 33, "catch"),
              _cond("attempt < retries", False, 28, "loop")),
             Feasibility.UNKNOWN, through_catch=True, through_throw=True, methods=(RECEIVE,)),
        Path("p-contradiction", DELETE, (s(44), s(48)),
             (_cond("!storage.exists(blockId)", True, 43), _cond("storage.exists(blockId)", True, 47)),
             Feasibility.UNKNOWN, methods=(DELETE,)),
    ]
