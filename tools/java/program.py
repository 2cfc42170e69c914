"""``load_program``: a repository's Java source -> the shared ``Program`` model."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from tree_sitter import Node

from anomalygen.console import progress as progress_display
from anomalygen.records import LogStatement, Slot
from anomalygen.tools.java.bundles import MessageBundles
from anomalygen.tools.java.context import Context, Resolution
from anomalygen.tools.java.declarations import collect_declarations
from anomalygen.tools.java.files import SourceFile, SourceRootError, discover_java_files
from anomalygen.tools.java.ids import statement_id
from anomalygen.tools.java.logcalls import (
    LogCall,
    detect_log_call,
    forwards_message,
    is_logger_type,
    root_logger_types,
)
from anomalygen.tools.java.model import CallSite, NodeKey, ParseError, Program
from anomalygen.tools.java.parse import new_parser, read_and_parse
from anomalygen.tools.java.resolve import Resolver
from anomalygen.tools.java.scope import SourceScope
from anomalygen.tools.java.symbols import MethodDecl, SymbolTable
from anomalygen.tools.java.templates import Template, TemplateBuilder
from anomalygen.tools.java.typeres import TypeIndex


class NoJavaSourceError(SourceRootError):
    """The root holds no .java file that could be scanned."""


def load_program(
    root: Path | str,
    *,
    max_file_bytes: int = 2_000_000,
    exclude_dirs: Iterable[str] | None = None,
    progress: bool = False,
    scope: SourceScope | None = None,
) -> Program:
    """Parse every .java file under ``root``: types, methods, log statements, call graph.

    Raises ``SourceRootError`` when ``root`` is missing or not a directory and
    ``NoJavaSourceError`` when it holds no scannable .java file. Files that cannot be read or
    parsed are reported in ``Program.parse_errors``; nothing stops the scan. ``scope`` says
    which folders and files are scanned (default: ``SourceScope()``, no tests, no build tooling);
    ``exclude_dirs`` is the older form, folder names replacing every default.
    """
    started = time.perf_counter()
    root_path = Path(root).expanduser()
    found = discover_java_files(root_path, max_file_bytes=max_file_bytes, exclude_dirs=exclude_dirs,
                                resources=(".properties",), scope=scope)
    if not found.files:
        detail = ""
        if found.skipped:
            path, reason = found.skipped[0]
            detail = f" ({len(found.skipped)} paths skipped, e.g. {path}: {reason})"
        raise NoJavaSourceError(f"no .java files under {root_path}{detail}")
    program = Program(root=str(root_path.resolve()), skipped=list(found.skipped))
    program.warnings.extend(found.warnings)
    table = SymbolTable(program)
    parser = new_parser()
    with progress_display(quiet=not progress) as bar:
        task = bar.add_task("parsing Java", total=len(found.files))
        for source_file in found.files:
            parsed = read_and_parse(source_file, parser)
            bar.advance(task)
            if isinstance(parsed, ParseError):
                program.parse_errors.append(parsed)
                continue
            program.files.append(parsed.file)
            program.source_lines += parsed.source.count(b"\n") + 1
            program.parse_errors.extend(parsed.errors)
            collect_declarations(parsed, table)
    bundles = _read_bundles(found.resources, program)
    _merge_enclosing_locals(table)
    index = TypeIndex(table)
    index.link()
    resolver = Resolver(table, index)
    for decl in table.types.values():
        decl.info.logger_fields = tuple(
            name for name, written in decl.info.fields.items()
            if (resolved := index.resolve(written, decl)) is not None and is_logger_type(resolver, resolved)
        )
    program.logger_types = root_logger_types(resolver)
    _extract(table, resolver, bundles, progress)
    program.seconds = time.perf_counter() - started
    if not program.log_statements:
        program.warnings.append(
            f"no log statements found in {len(program.files)} Java files: nothing to build LCFGs from"
        )
    return program


def _merge_enclosing_locals(table: SymbolTable) -> None:
    """Lambdas and local/anonymous class methods see the locals of the method around them."""
    for decl in table.methods.values():  # enclosing bodies are always added first
        decl.info.enclosing = decl.enclosing
        outer = table.methods.get(decl.enclosing) if decl.enclosing else None
        if outer is not None:
            decl.info.locals = {**outer.info.locals, **decl.info.locals}


class _CallKeys:
    """``call_key`` without walking up the tree: the invocation with the largest end among those
    starting at one byte is the outermost one there (every invocation of the file is known)."""

    def __init__(self, table: SymbolTable) -> None:
        self.longest: dict[tuple[str, int], int] = {}
        lists = [(m.decl_type.info.file, m.invocations) for m in table.methods.values()]
        lists += [(t.info.file, t.field_invocations) for t in table.types.values()]
        for file, nodes in lists:
            for node in nodes:
                key = (file, node.start_byte)
                if node.end_byte > self.longest.get(key, -1):
                    self.longest[key] = node.end_byte

    def key(self, file: str, node: Node) -> NodeKey:
        if self.longest.get((file, node.start_byte), node.end_byte) <= node.end_byte:
            return (file, node.start_byte)
        inner = node.child_by_field_name("name") or node.child_by_field_name("type")
        return (file, inner.end_byte if inner is not None else node.end_byte)


def _read_bundles(files: list[SourceFile], program: Program) -> MessageBundles:
    bundles = MessageBundles()
    for resource in files:
        try:
            data = resource.absolute.read_bytes()
        except OSError as exc:
            program.skipped.append((resource.relative, f"unreadable file: {exc.strerror}"))
            continue
        bundles.add_file(resource.relative, data)
    program.bundle_files = bundles.files
    return bundles


def _extract(table: SymbolTable, resolver: Resolver, bundles: MessageBundles, progress: bool) -> None:
    program = table.program
    templates = TemplateBuilder(resolver, bundles)
    keys = _CallKeys(table)
    found: dict[str, list[tuple[MethodDecl, LogCall]]] = {}
    with progress_display(quiet=not progress) as bar:
        task = bar.add_task("resolving calls", total=len(table.methods))
        for decl in table.methods.values():
            bar.advance(task)
            ctx = Context(decl.decl_type, decl)
            for node in decl.invocations:
                log = detect_log_call(resolver, ctx, node)
                if log is not None and not forwards_message(resolver, ctx, log):
                    found.setdefault(decl.outer_method, []).append((decl, log))
                    continue
                _record_call(program, resolver, ctx, decl.info.id, node, keys)
    for type_decl in table.types.values():
        ctx = Context(type_decl)
        for node in type_decl.field_invocations:
            if detect_log_call(resolver, ctx, node) is None:
                _record_call(program, resolver, ctx, type_decl.info.name, node, keys)
    for outer_id in sorted(found):
        ordinals: dict[tuple[str, str], int] = {}
        calls = sorted(found[outer_id], key=lambda item: item[1].node.start_byte)
        outer = table.methods.get(outer_id)
        for decl, log in calls:
            ctx = Context(decl.decl_type, decl)
            try:
                template = templates.build(ctx, log)
            except RecursionError:  # absurdly nested source: keep the statement, opaque message
                template = Template("{}", (Slot(0, "<expression too deeply nested>"),))
            except Exception as exc:  # a construct we mis-handle must not sink the whole scan
                _internal_error(program, decl.info.file, log.node, exc)
                template = Template("{}", (Slot(0, "<message not understood>"),))
            key = (log.level.value, template.text)
            ordinals[key] = ordinals.get(key, 0) + 1
            name_node = log.node.child_by_field_name("name") or log.node
            type_name = decl.decl_type.info.name
            statement = LogStatement(
                id=statement_id(
                    decl.info.file, type_name, outer_id,
                    outer.info.name if outer is not None else "init",
                    log.level.value, template.text, ordinals[key],
                ),
                file=decl.info.file,
                line=name_node.start_point.row + 1,
                level=log.level,
                template=template.text,
                slots=template.slots,
                type_name=type_name,
                method=decl.info.id,
                guarded=log.guarded,
                exception=template.exception,
            )
            program.log_statements[statement.id] = statement
            program.log_at[keys.key(decl.info.file, log.node)] = statement.id


def _record_call(
    program: Program, resolver: Resolver, ctx: Context, caller: str, node: Node, keys: _CallKeys
) -> None:
    try:
        resolution = resolver.resolve_call(ctx, node)
    except RecursionError:  # a receiver chain thousands of calls long: give up on this one
        resolution = Resolution((), "unresolved")
    except Exception as exc:  # a construct we mis-handle must not sink the whole scan
        _internal_error(program, ctx.type.info.file, node, exc)
        resolution = Resolution((), "unresolved")
    name_node = node.child_by_field_name("name") or node.child_by_field_name("type")
    obj = node.child_by_field_name("object")
    if node.type == "explicit_constructor_invocation":
        ctor = node.child_by_field_name("constructor")
        name = resolver.text(ctx, ctor) if ctor is not None else "this"
    else:
        name = resolver.text(ctx, name_node) if name_node is not None else node.type
    file = ctx.type.info.file
    key = keys.key(file, node)
    program.calls[key] = CallSite(
        caller=caller,
        key=key,
        name=name,
        arity=resolution.arity,
        line=node.start_point.row + 1,
        receiver=resolver.text(ctx, obj) if obj is not None else None,
        targets=resolution.targets,
        status=resolution.status,
    )


_MAX_INTERNAL_WARNINGS = 20


def _internal_error(program: Program, file: str, node: Node, exc: Exception) -> None:
    """Report (a bounded number of) analysis failures as warnings, keeping the scan going."""
    reported = sum(1 for w in program.warnings if w.startswith("internal error"))
    if reported < _MAX_INTERNAL_WARNINGS:
        program.warnings.append(
            f"internal error at {file}:{node.start_point.row + 1}: {type(exc).__name__}: {exc}"
        )
