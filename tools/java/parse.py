"""Reading and parsing one Java file with tree-sitter, keeping track of what went wrong.

Source bytes are parsed as they are (tree-sitter positions are byte offsets); text taken out of
the tree is decoded with replacement, and a file with bytes that are not UTF-8 is reported.
Syntax errors never stop the scan: the ERROR/MISSING spans are reported and the caller drops
only the declarations that contain them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter_java
from tree_sitter import Language, Node, Parser, Query, QueryCursor, Tree

from anomalygen.tools.java.files import SourceFile
from anomalygen.tools.java.model import ParseError

JAVA = Language(tree_sitter_java.language())
_ERRORS = Query(JAVA, "(ERROR) @error (MISSING) @missing")
_MAX_ERROR_SPANS = 20
"""Per file: a file of garbage would otherwise produce thousands of spans."""


@dataclass(slots=True)
class ParsedFile:
    file: str
    source: bytes
    tree: Tree
    errors: list[ParseError] = field(default_factory=list)
    error_spans: list[tuple[int, int]] = field(default_factory=list)
    """Byte ranges of ERROR/MISSING nodes: declarations overlapping them are dropped."""

    def text(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def has_error_in(self, node: Node) -> bool:
        return node.has_error and any(
            s < node.end_byte and e > node.start_byte for s, e in self.error_spans
        )


def new_parser() -> Parser:
    return Parser(JAVA)


def parse_source(file: str, source: bytes, parser: Parser | None = None) -> ParsedFile:
    tree = (parser or new_parser()).parse(source)
    parsed = ParsedFile(file, source, tree)
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = source.count(b"\n", 0, exc.start) + 1
        parsed.errors.append(
            ParseError(file, "bytes that are not UTF-8 were replaced (U+FFFD)", line, line)
        )
    if tree.root_node.has_error:
        _collect_error_spans(parsed)
    return parsed


def read_and_parse(source_file: SourceFile, parser: Parser | None = None) -> ParsedFile | ParseError:
    try:
        data = source_file.absolute.read_bytes()
    except OSError as exc:
        return ParseError(source_file.relative, f"cannot read file: {exc.strerror or exc}")
    return parse_source(source_file.relative, data, parser)


def _collect_error_spans(parsed: ParsedFile) -> None:
    captures = QueryCursor(_ERRORS).captures(parsed.tree.root_node)
    nodes = sorted(
        [*captures.get("error", []), *captures.get("missing", [])], key=lambda n: n.start_byte
    )
    if not nodes:  # has_error without a queryable node: report the whole file
        end = parsed.tree.root_node.end_point.row + 1
        parsed.errors.append(ParseError(parsed.file, "syntax error", 1, end))
        parsed.error_spans.append((0, len(parsed.source)))
        return
    for node in nodes:
        if any(s <= node.start_byte and node.end_byte <= e for s, e in parsed.error_spans):
            continue  # nested inside a span already reported
        start, end = node.start_point.row + 1, node.end_point.row + 1
        if node.is_missing:
            message = f"syntax error: missing {node.type!r}"
            span = (node.start_byte, max(node.end_byte, node.start_byte + 1))
        else:
            snippet = parsed.text(node).strip().splitlines()
            first = snippet[0][:60] if snippet else ""
            message = f"syntax error near {first!r}"
            span = (node.start_byte, node.end_byte)
        parsed.error_spans.append(span)
        if len(parsed.errors) < _MAX_ERROR_SPANS:
            parsed.errors.append(ParseError(parsed.file, message, start, end))
