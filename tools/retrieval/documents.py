"""A parsed program -> searchable documents: methods, classes and log statements, one file at a time."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from anomalygen.regular import read_regular
from anomalygen.tools.java.model import MethodInfo, Program

MAX_DOC = 600
"""Characters of one document embedded: MiniLM reads 256 tokens at most, shorter is faster."""
MAX_SOURCE_BYTES = 8 << 20
"""A source file larger than this lends no class javadoc (generated code, not documentation)."""
MAX_BODY = 4000
"""Characters of a method body given to the word ranking (the head of a long method says most)."""
DECLARATION_WEIGHT = 0.7
SHORT_METHOD_LINES = 3
"""A method this short without javadoc (an accessor, a delegation) says nothing a vector adds to
its name: it is found by words and by symbol, and not embedded (half of ZooKeeper's methods)."""


@dataclass(frozen=True, slots=True)
class Document:
    kind: str
    """method, class or statement."""
    id: str
    name: str
    file: str
    line: int
    text: str
    """What is embedded and tokenised: names, javadoc, template, level."""
    snippet: str
    statement_id: str | None = None
    method_id: str | None = None
    embed: bool = True
    """Whether the vector ranking holds it (every document is in the word ranking)."""
    words: str = ""
    """More text for the word ranking only: a method's body (the calls, fields, strings and comments
    that say what it does, which its name and signature often do not)."""
    weight: float = 1.0
    """A declaration without a body (interface, abstract) ranks below the code that implements it."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _javadoc(method: MethodInfo) -> str:
    node = method.node.prev_named_sibling
    if node is not None and node.type == "block_comment" and node.text is not None:
        text = node.text.decode("utf-8", "replace")
        if text.startswith("/**"):
            return _clean_comment(text)
    return ""


def _clean_comment(text: str) -> str:
    text = re.sub(r"^/\*\*|\*/$", "", text.strip())
    text = re.sub(r"(?m)^\s*\*\s?", "", text)
    text = re.sub(r"<[^>]+>|\{@\w+\s+([^}]*)\}", r"\1", text)
    return " ".join(text.split())[:400]


_CLASS_DOC = r"(/\*\*(?:(?!\*/).)*\*/)\s*(?:@\w+(?:\([^)]*\))?\s*)*(?:\w+\s+)*{kind}\s+{name}\b"


def _class_line_and_doc(source: str, kind: str, simple: str) -> tuple[int, str]:
    word = "@interface" if kind == "annotation" else kind
    found = re.search(rf"\b{re.escape(word)}\s+{re.escape(simple)}\b", source)
    if found is None:
        return 1, ""
    line = source.count("\n", 0, found.start()) + 1
    head = source[max(0, found.start() - 3000) : found.end()]
    doc = re.search(_CLASS_DOC.format(kind=re.escape(word), name=re.escape(simple)), head, re.S)
    return line, _clean_comment(doc.group(1)) if doc else ""


_IDENTIFIER_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def spelled(identifier: str) -> str:
    """``waitForEpochAck`` -> ``wait for epoch ack``: the embedding model reads words, not camelCase."""
    return " ".join(w.lower() for w in _IDENTIFIER_WORD.findall(identifier))


def documents_of(program: Program, files: set[str]) -> list[Document]:
    """The documents of ``files`` (paths relative to the repository)."""
    docs: list[Document] = []
    templates: dict[str, list[str]] = {}
    for st in program.log_statements.values():
        if st.file in files:
            owner_and_name = ".".join(st.method.split("(")[0].rsplit(".", 2)[-2:])
            templates.setdefault(st.method, []).append(st.template)
            docs.append(Document(
                "statement", st.id, st.template, st.file, st.line,
                f"log {st.level.value.lower()}: {st.template} "
                f"(in {owner_and_name}: {spelled(owner_and_name)})"[:MAX_DOC],
                f"{st.level.value} {st.template}", st.id, st.method,
            ))
    for info in program.methods.values():
        if info.file in files and not info.is_lambda:
            owner = info.type_name.rsplit(".", 1)[-1]
            doc = _javadoc(info)
            worth = bool(doc) or info.end_line - info.start_line > SHORT_METHOD_LINES
            body = info.body.text if info.body is not None else None
            logs = "; ".join(templates.get(info.id, [])[:3])
            docs.append(Document(
                "method", info.id, f"{owner}.{info.name}", info.file, info.start_line,
                # what the window of the embedding model sees first: names as words, javadoc, logs
                (f"{owner}.{info.name} ({spelled(owner)}: {spelled(info.name)}). {doc}"
                 + (f" Logs: {logs}." if logs else "") + f" {info.signature}")[:MAX_DOC],
                info.signature, None, info.id, embed=worth,
                words=" ".join(body.decode("utf-8", "replace").split())[:MAX_BODY] if body else "",
                weight=1.0 if info.body is not None else DECLARATION_WEIGHT,
            ))
    sources: dict[str, str] = {}
    for type_info in program.types.values():
        if type_info.file not in files:
            continue
        if type_info.file not in sources:
            # a regular file inside the repository only: a planted symlink is not followed
            try:
                data = read_regular(Path(program.root) / type_info.file, MAX_SOURCE_BYTES,
                                    follow_symlinks=False)
            except OSError:
                data = None
            sources[type_info.file] = data.decode("utf-8", errors="replace") if data else ""
        line, doc = _class_line_and_doc(sources[type_info.file], type_info.kind, type_info.simple_name)
        docs.append(Document(
            "class", type_info.name, type_info.simple_name, type_info.file, line,
            f"{type_info.kind} {type_info.simple_name} ({spelled(type_info.simple_name)}). {doc}"[:MAX_DOC],
            f"{type_info.kind} {type_info.name}",
        ))
    return docs
